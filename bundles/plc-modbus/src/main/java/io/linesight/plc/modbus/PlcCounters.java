package io.linesight.plc.modbus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a PLC link has done since activation. A snapshot; each value is read atomically on its own.
 * {@link #asMap()} is what {@code OutputStatus.counters} carries to the console and OPC UA, under the
 * component names below.
 *
 * @param rejectsReceived    REJECT verdicts handed to the link
 * @param pulsesSent         rising edges of the reject coil the PLC acknowledged
 * @param rejectsMerged      rejects that fell inside a running pulse and extended it (no new edge)
 * @param rejectsMissed      rejects not ejected: verdict too late, PLC unreachable, or the ON write failed
 * @param resultsWritten     result register writes the PLC acknowledged
 * @param resultsDropped     result writes dropped because the bounded queue was full (PLC slow or down)
 * @param writeErrors        writes the PLC answered with a Modbus exception (usually a wrong address)
 * @param heartbeatsSent     heartbeat writes the PLC acknowledged
 * @param connects           TCP connections made to the PLC (the first one included)
 * @param outages            times the PLC became unreachable (connection refused, lost or unanswered)
 * @param heartbeatGaps      times the PLC went longer than 3 heartbeat periods without a heartbeat
 * @param heartbeatGapLastMs the last such gap, milliseconds (0 if none)
 * @param heartbeatGapMaxMs  the longest such gap, milliseconds (0 if none)
 */
public record PlcCounters(
        long rejectsReceived,
        long pulsesSent,
        long rejectsMerged,
        long rejectsMissed,
        long resultsWritten,
        long resultsDropped,
        long writeErrors,
        long heartbeatsSent,
        long connects,
        long outages,
        long heartbeatGaps,
        long heartbeatGapLastMs,
        long heartbeatGapMaxMs) {

    /** The counters by component name, in declaration order. */
    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("rejectsReceived", rejectsReceived);
        map.put("pulsesSent", pulsesSent);
        map.put("rejectsMerged", rejectsMerged);
        map.put("rejectsMissed", rejectsMissed);
        map.put("resultsWritten", resultsWritten);
        map.put("resultsDropped", resultsDropped);
        map.put("writeErrors", writeErrors);
        map.put("heartbeatsSent", heartbeatsSent);
        map.put("connects", connects);
        map.put("outages", outages);
        map.put("heartbeatGaps", heartbeatGaps);
        map.put("heartbeatGapLastMs", heartbeatGapLastMs);
        map.put("heartbeatGapMaxMs", heartbeatGapMaxMs);
        return map;
    }
}
