package io.linesight.plc.modbus;

/**
 * Why a reject could not be pulsed, as a label for counters and alarms (the free text says the figures).
 */
enum MissReason {
    /** The verdict came after the eject instant (plus tolerance): the part had passed the ejector. */
    LATE_VERDICT,
    /** Too many ejects were already waiting. */
    QUEUE_FULL,
    /** The timer woke up after the eject instant (plus tolerance). */
    TIMER_LATE,
    /** The PLC was not connected at the eject instant. */
    PLC_DISCONNECTED,
    /** The PLC refused or did not acknowledge the coil write. */
    WRITE_FAILED,
    /** The output does not name its lines and the runtime runs several: it drives no ejector (see LineWiring). */
    LINES_AMBIGUOUS
}
