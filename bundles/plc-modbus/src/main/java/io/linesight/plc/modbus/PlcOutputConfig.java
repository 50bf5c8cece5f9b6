package io.linesight.plc.modbus;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

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
            description = "Ids of the lines whose ejector this output drives, comma-separated (service property"
                    + " 'lines'). Unset, empty or 'all': the runtime's only line; with two or more lines such an output"
                    + " drives no ejector and raises OUTPUT_LINES_AMBIGUOUS until its lines are named.")
    String[] lines();

    @AttributeDefinition(name = "Output id", required = false,
            description = "Name of this output on the console and in OPC UA (Outputs/<id>). Empty: the name of"
                    + " the configuration (io.linesight.plc.modbus-<name>.cfg gives <name>), else host:port.")
    String outputId() default "";

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

    @AttributeDefinition(name = "Line fault coil",
            description = "Coil held ON while a line this output serves is in FAULT (camera lost, model failed), so"
                    + " the PLC can stop or divert the conveyor; OFF while every served line can inspect."
                    + " -1 = not used.", min = "-1", max = "65535")
    int lineFaultCoil() default -1;

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
            description = "First of the 13 holding registers that carry each result (see the register map).",
            min = "0", max = "65523")
    int resultRegisterBase() default 10;

    @AttributeDefinition(name = "Word order",
            description = "Register order of every 32-bit value (counters, sequence, part id): HIGH_FIRST puts the"
                    + " high word in the lower address (ABCD), LOW_FIRST the low word (CDAB).",
            options = {@Option(label = "High word first (ABCD)", value = "HIGH_FIRST"),
                @Option(label = "Low word first (CDAB)", value = "LOW_FIRST")})
    String wordOrder() default "HIGH_FIRST";

    @AttributeDefinition(name = "Part id register",
            description = "First of two holding registers that receive a reject's frame sequence number (uint32,"
                    + " in wordOrder) just before its pulse's rising edge, so the PLC can match pulse and part."
                    + " -1 = not used.", min = "-1", max = "65534")
    int partIdRegister() default -1;

    @AttributeDefinition(name = "Master lock register",
            description = "First of two holding registers through which LineSight runtimes agree that only one drives"
                    + " this PLC: the owner's token and a lease it renews every heartbeat period. An output that finds"
                    + " another runtime's lease advancing drives nothing (alarm PLC_OTHER_MASTER) until that runtime"
                    + " stops. The PLC program only has to leave the two registers alone. -1 = no lock.",
            min = "-1", max = "65534")
    int masterLockRegister() default -1;

    @AttributeDefinition(name = "Request timeout (ms)",
            description = "Connect and request timeout; a request without answer counts as a lost connection.",
            min = "100", max = "60000")
    long requestTimeoutMs() default 1000;

    @AttributeDefinition(name = "Reconnect backoff min (ms)",
            description = "First delay between reconnect attempts; doubles per failure up to the max, less up to a"
                    + " fifth of jitter.",
            min = "10", max = "600000")
    long reconnectBackoffMinMs() default 200;

    @AttributeDefinition(name = "Reconnect backoff max (ms)",
            description = "Longest delay between reconnect attempts: a PLC that returns is reached within about this"
                    + " time (ejection is blind until then), so keep it short; a PLC takes an attempt per second"
                    + " without harm.",
            min = "10", max = "600000")
    long reconnectBackoffMaxMs() default 1000;
}
