package io.linesight.plc.modbus;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one PLC link, factory PID {@value #PID} (one configuration per PLC). Addresses are
 * 0-based protocol addresses (coil 0 is what PLC manuals often call 00001, register 10 is 40011).
 */
@ObjectClassDefinition(
        id = PlcOutputConfig.PID,
        name = "LineSight PLC output (Modbus TCP)",
        description = "Modbus TCP master that pulses the reject coil at the ejector, writes each result to"
                + " holding registers and keeps a heartbeat register counting.")
public @interface PlcOutputConfig {

    /** The factory configuration PID. */
    String PID = "io.linesight.plc.modbus";

    @AttributeDefinition(name = "Lines", required = false,
            description = "Ids of the lines this PLC serves (service property 'lines'). Leave unset for all lines.")
    String[] lines();

    @AttributeDefinition(name = "PLC host", description = "Host name or address of the PLC.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "PLC port", description = "Modbus TCP port of the PLC (the standard port is 502).",
            min = "1", max = "65535")
    int port() default 1502;

    @AttributeDefinition(name = "Unit id", description = "Modbus unit (slave) id.", min = "0", max = "255")
    int unitId() default 1;

    @AttributeDefinition(name = "Reject coil", description = "Coil address that drives the ejector.",
            min = "0", max = "65535")
    int rejectCoil() default 0;

    @AttributeDefinition(name = "Pulse width (ms)", description = "How long the reject coil stays ON.",
            min = "1", max = "60000")
    long pulseWidthMs() default 100;

    @AttributeDefinition(name = "Eject delay (ms)",
            description = "Time from frame capture until the part is at the ejector. 0 = pulse as soon as the"
                    + " verdict arrives (no lateness check).", min = "0", max = "600000")
    long ejectDelayMs() default 0;

    @AttributeDefinition(name = "Eject tolerance (ms)",
            description = "If the verdict arrives more than this after the eject instant, the part has passed the"
                    + " ejector: no pulse, a missed reject is counted and logged.", min = "0", max = "60000")
    long ejectToleranceMs() default 20;

    @AttributeDefinition(name = "Heartbeat register",
            description = "Holding register incremented (0..65535, wrapping) every heartbeat period.",
            min = "0", max = "65535")
    int heartbeatRegister() default 0;

    @AttributeDefinition(name = "Heartbeat period (ms)", min = "50", max = "600000")
    long heartbeatPeriodMs() default 1000;

    @AttributeDefinition(name = "Result register base",
            description = "First of the 8 holding registers that carry each result (see the register map).",
            min = "0", max = "65528")
    int resultRegisterBase() default 10;

    @AttributeDefinition(name = "Request timeout (ms)",
            description = "Connect and request timeout; a request without answer counts as a lost connection.",
            min = "100", max = "60000")
    long requestTimeoutMs() default 1000;

    @AttributeDefinition(name = "Reconnect backoff min (ms)",
            description = "First delay between reconnect attempts; doubles per failure up to the max.",
            min = "10", max = "600000")
    long reconnectBackoffMinMs() default 500;

    @AttributeDefinition(name = "Reconnect backoff max (ms)", min = "10", max = "600000")
    long reconnectBackoffMaxMs() default 10000;
}
