package io.linesight.sparkplug.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message the edge node could not publish yet, handed to {@link MessageJournal#appendAll}. The journal copies the
 * payload when it appends it, so the caller may reuse the array afterwards.
 *
 * @param deviceId the Sparkplug device the message belongs to, {@code ""} for the edge node itself
 * @param timestampMillis when the message was produced (epoch milliseconds); the journal's age bound is judged on it
 * @param payload the encoded Sparkplug payload, published as it is when the journal is replayed
 */
public record PendingMessage(String deviceId, long timestampMillis, byte[] payload) {

    public PendingMessage {
        Objects.requireNonNull(deviceId, "deviceId (\"\" for the node itself)");
        Objects.requireNonNull(payload, "payload");
    }

    // A record compares arrays by reference; two messages with the same bytes are the same message.
    @Override
    public boolean equals(Object other) {
        return other instanceof PendingMessage m && m.timestampMillis == timestampMillis
                && m.deviceId.equals(deviceId) && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, timestampMillis, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "PendingMessage[deviceId=" + deviceId + ", timestampMillis=" + timestampMillis + ", payload="
                + payload.length + " bytes]";
    }
}
