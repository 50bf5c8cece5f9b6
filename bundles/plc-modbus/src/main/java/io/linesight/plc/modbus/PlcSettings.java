package io.linesight.plc.modbus;

import java.util.Arrays;
import java.util.List;

/**
 * One PLC link's configuration, validated once on activation. An invalid value fails activation with a
 * message naming the property; nothing is silently replaced by a default.
 */
record PlcSettings(
        List<String> lines,
        String host,
        int port,
        int unitId,
        int rejectCoil,
        long pulseWidthMs,
        long ejectDelayMs,
        long ejectToleranceMs,
        int heartbeatRegister,
        long heartbeatPeriodMs,
        int resultRegisterBase,
        long requestTimeoutMs,
        long reconnectBackoffMinMs,
        long reconnectBackoffMaxMs) {

    PlcSettings {
        lines = List.copyOf(lines);
        if (host == null || host.isBlank()) {
            throw invalid("host", host, "a host name or address");
        }
        check("port", port, 1, 65535);
        check("unitId", unitId, 0, 255);
        check("rejectCoil", rejectCoil, 0, 65535);
        check("pulseWidthMs", pulseWidthMs, 1, 60_000);
        check("ejectDelayMs", ejectDelayMs, 0, 600_000);
        check("ejectToleranceMs", ejectToleranceMs, 0, 60_000);
        check("heartbeatRegister", heartbeatRegister, 0, 65535);
        check("heartbeatPeriodMs", heartbeatPeriodMs, 50, 600_000);
        check("resultRegisterBase", resultRegisterBase, 0, 65536 - ResultRegisters.COUNT);
        check("requestTimeoutMs", requestTimeoutMs, 100, 60_000);
        check("reconnectBackoffMinMs", reconnectBackoffMinMs, 10, 600_000);
        check("reconnectBackoffMaxMs", reconnectBackoffMaxMs, reconnectBackoffMinMs, 600_000);
        checkNoOverlap(heartbeatRegister, resultRegisterBase);
    }

    static PlcSettings from(PlcOutputConfig config) {
        String[] lines = config.lines() == null ? new String[0] : config.lines();
        return new PlcSettings(Arrays.asList(lines), config.host() == null ? null : config.host().trim(),
                config.port(), config.unitId(), config.rejectCoil(), config.pulseWidthMs(), config.ejectDelayMs(),
                config.ejectToleranceMs(), config.heartbeatRegister(), config.heartbeatPeriodMs(),
                config.resultRegisterBase(), config.requestTimeoutMs(), config.reconnectBackoffMinMs(),
                config.reconnectBackoffMaxMs());
    }

    /** {@code host:port}, as logs name the PLC. */
    String endpoint() {
        return host + ":" + port;
    }

    /** The effective configuration in one line, for the activation log. */
    String describe() {
        return "PLC " + endpoint() + " unit " + unitId + ", lines " + (lines.isEmpty() ? "all" : lines)
                + ", reject coil " + rejectCoil + " pulse " + pulseWidthMs + " ms, eject delay " + ejectDelayMs
                + " ms (tolerance " + ejectToleranceMs + " ms), heartbeat register " + heartbeatRegister
                + " every " + heartbeatPeriodMs + " ms, result registers " + resultRegisterBase + ".."
                + (resultRegisterBase + ResultRegisters.COUNT - 1) + ", request timeout " + requestTimeoutMs
                + " ms, reconnect backoff " + reconnectBackoffMinMs + ".." + reconnectBackoffMaxMs + " ms";
    }

    private static void checkNoOverlap(int heartbeatRegister, int resultRegisterBase) {
        if (heartbeatRegister >= resultRegisterBase
                && heartbeatRegister < resultRegisterBase + ResultRegisters.COUNT) {
            throw new IllegalArgumentException("Configuration " + PlcOutputConfig.PID + ": property"
                    + " 'heartbeatRegister' (" + heartbeatRegister + ") lies inside the result registers "
                    + resultRegisterBase + ".." + (resultRegisterBase + ResultRegisters.COUNT - 1)
                    + " ('resultRegisterBase'); move one of them");
        }
    }

    private static void check(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(property, value, "a value in [" + min + ", " + max + "]");
        }
    }

    private static IllegalArgumentException invalid(String property, Object value, String expected) {
        return new IllegalArgumentException("Configuration " + PlcOutputConfig.PID + ": property '" + property
                + "' is " + value + ", expected " + expected);
    }
}
