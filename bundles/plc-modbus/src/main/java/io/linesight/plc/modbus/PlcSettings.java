package io.linesight.plc.modbus;

import java.util.Arrays;
import java.util.List;

/**
 * One PLC link's configuration, validated once on activation. An invalid value fails activation with a
 * message naming the property; nothing is silently replaced by a default. {@code -1} switches the
 * optional addresses ({@code lineFaultCoil}, {@code partIdRegister}) off.
 */
record PlcSettings(
        List<String> lines,
        String outputId,
        String host,
        int port,
        int unitId,
        int rejectCoil,
        int lineFaultCoil,
        long pulseWidthMs,
        long ejectDelayMs,
        long ejectToleranceMs,
        int heartbeatRegister,
        long heartbeatPeriodMs,
        int resultRegisterBase,
        WordOrder wordOrder,
        int partIdRegister,
        int masterLockRegister,
        long requestTimeoutMs,
        long reconnectBackoffMinMs,
        long reconnectBackoffMaxMs) {

    /** The value of an optional address that is not used. */
    static final int OFF = -1;

    /** A block of holding registers, for the overlap check. */
    private record Block(String property, int first, int count) {
        boolean overlaps(Block other) {
            return first < other.first + other.count && other.first < first + count;
        }

        String range() {
            return count == 1 ? String.valueOf(first) : first + ".." + (first + count - 1);
        }
    }

    PlcSettings {
        lines = List.copyOf(lines);
        outputId = outputId == null ? "" : outputId.trim();
        if (host == null || host.isBlank()) {
            throw invalid("host", host, "a host name or address");
        }
        if (wordOrder == null) {
            throw invalid("wordOrder", null, "HIGH_FIRST or LOW_FIRST");
        }
        check("port", port, 1, 65535);
        check("unitId", unitId, 0, 255);
        check("rejectCoil", rejectCoil, 0, 65535);
        check("lineFaultCoil", lineFaultCoil, OFF, 65535);
        check("pulseWidthMs", pulseWidthMs, 1, 60_000);
        check("ejectDelayMs", ejectDelayMs, 0, 600_000);
        check("ejectToleranceMs", ejectToleranceMs, 0, 60_000);
        check("heartbeatRegister", heartbeatRegister, 0, 65535);
        check("heartbeatPeriodMs", heartbeatPeriodMs, 50, 600_000);
        check("resultRegisterBase", resultRegisterBase, 0, 65536 - ResultRegisters.COUNT);
        check("partIdRegister", partIdRegister, OFF, 65534);
        check("masterLockRegister", masterLockRegister, OFF, 65534);
        check("requestTimeoutMs", requestTimeoutMs, 100, 60_000);
        check("reconnectBackoffMinMs", reconnectBackoffMinMs, 10, 600_000);
        check("reconnectBackoffMaxMs", reconnectBackoffMaxMs, reconnectBackoffMinMs, 600_000);
        if (lineFaultCoil == rejectCoil) {
            throw new IllegalArgumentException(prefix("lineFaultCoil") + " is " + lineFaultCoil
                    + ", the same coil as 'rejectCoil'; give the line fault its own coil or -1 to switch it off");
        }
        checkRegistersApart(heartbeatRegister, resultRegisterBase, partIdRegister, masterLockRegister);
    }

    static PlcSettings from(PlcOutputConfig config) {
        String[] lines = config.lines() == null ? new String[0] : config.lines();
        WordOrder wordOrder = WordOrder.parse(config.wordOrder());
        if (wordOrder == null) {
            throw invalid("wordOrder", config.wordOrder(), "HIGH_FIRST or LOW_FIRST");
        }
        return new PlcSettings(Arrays.asList(lines), config.outputId(),
                config.host() == null ? null : config.host().trim(), config.port(), config.unitId(),
                config.rejectCoil(), config.lineFaultCoil(), config.pulseWidthMs(), config.ejectDelayMs(),
                config.ejectToleranceMs(), config.heartbeatRegister(), config.heartbeatPeriodMs(),
                config.resultRegisterBase(), wordOrder, config.partIdRegister(), config.masterLockRegister(),
                config.requestTimeoutMs(), config.reconnectBackoffMinMs(), config.reconnectBackoffMaxMs());
    }

    /** {@code host:port}, as logs name the PLC. */
    String endpoint() {
        return host + ":" + port;
    }

    boolean hasLineFaultCoil() {
        return lineFaultCoil != OFF;
    }

    boolean hasPartIdRegister() {
        return partIdRegister != OFF;
    }

    boolean hasMasterLock() {
        return masterLockRegister != OFF;
    }

    /** The effective configuration in one line, for the activation log. */
    String describe() {
        return "PLC " + endpoint() + " unit " + unitId + ", lines " + (lines.isEmpty() ? "all" : lines)
                + ", reject coil " + rejectCoil + " pulse " + pulseWidthMs + " ms, eject delay " + ejectDelayMs
                + " ms (tolerance " + ejectToleranceMs + " ms), line fault coil " + optional(lineFaultCoil)
                + ", heartbeat register " + heartbeatRegister + " every " + heartbeatPeriodMs + " ms, result registers "
                + resultRegisterBase + ".." + (resultRegisterBase + ResultRegisters.COUNT - 1) + " (" + wordOrder
                + "), part id registers " + (hasPartIdRegister() ? partIdRegister + ".." + (partIdRegister + 1) : "off")
                + ", master lock registers " + (hasMasterLock() ? masterLockRegister + ".." + (masterLockRegister + 1) : "off")
                + ", request timeout " + requestTimeoutMs + " ms, reconnect backoff " + reconnectBackoffMinMs + ".."
                + reconnectBackoffMaxMs + " ms";
    }

    private static String optional(int address) {
        return address == OFF ? "off" : String.valueOf(address);
    }

    /** Heartbeat, result block, part id pair and master lock pair must not share a register: the PLC could not tell them apart. */
    private static void checkRegistersApart(int heartbeatRegister, int resultRegisterBase, int partIdRegister,
            int masterLockRegister) {
        List<Block> blocks = new java.util.ArrayList<>(List.of(new Block("heartbeatRegister", heartbeatRegister, 1),
                new Block("resultRegisterBase", resultRegisterBase, ResultRegisters.COUNT)));
        if (partIdRegister != OFF) {
            blocks.add(new Block("partIdRegister", partIdRegister, 2));
        }
        if (masterLockRegister != OFF) {
            blocks.add(new Block("masterLockRegister", masterLockRegister, 2));
        }
        for (int i = 0; i < blocks.size(); i++) {
            for (int j = i + 1; j < blocks.size(); j++) {
                Block a = blocks.get(i);
                Block b = blocks.get(j);
                if (a.overlaps(b)) {
                    throw new IllegalArgumentException(prefix(a.property()) + " (registers " + a.range()
                            + ") overlaps '" + b.property() + "' (registers " + b.range() + "); move one of them");
                }
            }
        }
    }

    private static void check(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(property, value, "a value in [" + min + ", " + max + "]");
        }
    }

    private static IllegalArgumentException invalid(String property, Object value, String expected) {
        return new IllegalArgumentException(prefix(property) + " is " + value + ", expected " + expected);
    }

    private static String prefix(String property) {
        return "Configuration " + PlcOutputConfig.PID + ": property '" + property + "'";
    }
}
