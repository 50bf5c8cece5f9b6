package io.linesight.plc.modbus;

/**
 * What a PLC link has done since activation. A snapshot; each value is read atomically on its own.
 *
 * @param rejectsReceived REJECT verdicts handed to the link
 * @param pulsesSent      rising edges of the reject coil the PLC acknowledged
 * @param rejectsMerged   rejects that fell inside a running pulse and extended it (no new edge)
 * @param rejectsMissed   rejects not ejected: verdict too late, PLC unreachable, or the ON write failed
 * @param resultsWritten  result register writes the PLC acknowledged
 * @param resultsDropped  result writes dropped because the bounded queue was full (PLC slow or down)
 * @param writeErrors     writes the PLC answered with a Modbus exception (usually a wrong address)
 * @param heartbeatsSent  heartbeat writes the PLC acknowledged
 */
public record PlcCounters(
        long rejectsReceived,
        long pulsesSent,
        long rejectsMerged,
        long rejectsMissed,
        long resultsWritten,
        long resultsDropped,
        long writeErrors,
        long heartbeatsSent) {
}
