package io.linesight.sparkplug;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * Sparkplug B payloads in and out, with Eclipse Tahu's protobuf codec: live messages (aliases, seq), journal records
 * (the same protobuf payload with metric names and no seq, since aliases and seq belong to one session) and what
 * hosts send (commands).
 */
final class Payloads {

    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();

    /** A message of this session: metrics by alias (or by name in births), with its seq. */
    byte[] encode(List<Metric> metrics, long timestampMillis, Long seq) {
        SparkplugBPayload payload = new SparkplugBPayload(new Date(timestampMillis), new ArrayList<>(metrics), seq);
        try {
            return encoder.getBytes(payload, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a Sparkplug payload", e);
        }
    }

    /** A journal record: the samples by name, with their types and timestamps. */
    byte[] encodeForJournal(List<Sample> samples, long timestampMillis) {
        List<Metric> metrics = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            metrics.add(DeviceMetrics.named(s.name(), s.type(), s.value(), new Date(s.timestampMillis())));
        }
        return encode(metrics, timestampMillis, null);
    }

    /** The samples of a journal record. */
    List<Sample> decodeJournal(byte[] record) throws Exception {
        SparkplugBPayload payload = decode(record);
        List<Sample> out = new ArrayList<>(payload.getMetrics().size());
        for (Metric m : payload.getMetrics()) {
            long at = m.getTimestamp() == null ? payload.getTimestamp().getTime() : m.getTimestamp().getTime();
            out.add(new Sample(m.getName(), m.getDataType(), m.getValue(), at));
        }
        return out;
    }

    /** Any Sparkplug B payload (a host's command). */
    SparkplugBPayload decode(byte[] bytes) throws Exception {
        return decoder.buildFromByteArray(bytes, null);
    }
}
