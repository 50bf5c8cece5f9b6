package io.linesight.plc.simulator;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the PLC simulator, PID {@value #PID}. The component requires this configuration,
 * so the simulator runs only where a configuration file enables it (demo and test profiles).
 */
@ObjectClassDefinition(
        id = SimulatorConfig.PID,
        name = "LineSight PLC simulator",
        description = "A Modbus TCP slave that plays the line's PLC: stores writes, counts reject pulses,"
                + " watches the heartbeat register. For demos and tests, not for production.")
public @interface SimulatorConfig {

    /** The configuration PID. */
    String PID = "io.linesight.plc.simulator";

    @AttributeDefinition(name = "Bind address",
            description = "Interface to listen on. Keep 127.0.0.1 unless a real master elsewhere must reach it.")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port of the Modbus server (the standard port is 502).",
            min = "1", max = "65535")
    int port() default 1502;

    @AttributeDefinition(name = "Coils", description = "Number of coils (addresses 0 .. count-1).",
            min = "1", max = "65536")
    int coilCount() default 2000;

    @AttributeDefinition(name = "Holding registers",
            description = "Number of holding registers (addresses 0 .. count-1).", min = "1", max = "65536")
    int holdingRegisterCount() default 2000;

    @AttributeDefinition(name = "Reject coil", description = "Coil address whose rising edges count as reject pulses.",
            min = "0", max = "65535")
    int rejectCoil() default 0;

    @AttributeDefinition(name = "Heartbeat register", description = "Holding register the runtime increments.",
            min = "0", max = "65535")
    int heartbeatRegister() default 0;

    @AttributeDefinition(name = "Heartbeat timeout (ms)",
            description = "The heartbeat counts as stopped when the register does not change for this long.",
            min = "100")
    long heartbeatTimeoutMs() default 3000;
}
