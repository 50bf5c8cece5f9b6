package io.linesight.plc.simulator;

/**
 * The simulator's configuration, validated. Invalid values fail with a message naming the property.
 */
record SimulatorSettings(
        String bindAddress,
        int port,
        int coilCount,
        int holdingRegisterCount,
        int rejectCoil,
        int heartbeatRegister,
        long heartbeatTimeoutMs) {

    SimulatorSettings {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw invalid("bindAddress", bindAddress, "an interface address such as 127.0.0.1");
        }
        check("port", port, 1, 65535);
        check("coilCount", coilCount, 1, 65536);
        check("holdingRegisterCount", holdingRegisterCount, 1, 65536);
        check("rejectCoil", rejectCoil, 0, coilCount - 1);
        check("heartbeatRegister", heartbeatRegister, 0, holdingRegisterCount - 1);
        check("heartbeatTimeoutMs", heartbeatTimeoutMs, 100, 3_600_000);
    }

    static SimulatorSettings from(SimulatorConfig config) {
        return new SimulatorSettings(config.bindAddress().trim(), config.port(), config.coilCount(),
                config.holdingRegisterCount(), config.rejectCoil(), config.heartbeatRegister(),
                config.heartbeatTimeoutMs());
    }

    private static void check(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(property, value, "a value in [" + min + ", " + max + "]");
        }
    }

    private static IllegalArgumentException invalid(String property, Object value, String expected) {
        return new IllegalArgumentException("Configuration " + SimulatorConfig.PID + ": property '" + property
                + "' is " + value + ", expected " + expected);
    }
}
