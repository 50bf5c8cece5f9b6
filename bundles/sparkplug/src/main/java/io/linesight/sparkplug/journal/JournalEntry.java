package io.linesight.sparkplug.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message held by the journal, as {@link MessageJournal#peek} returns it (oldest first). The payload array is
 * the caller's own copy.
 *
 * @param id given by the journal at append: increasing in append order and never given twice, also across reopens
 * @param deviceId the Sparkplug device the message belongs to, {@code ""} for the edge node itself
 * @param timestampMillis when the message was produced (epoch milliseconds), as appended
 * @param payload the payload bytes, as appended
 */
public record JournalEntry(long id, String deviceId, long timestampMillis, byte[] payload) {

    public JournalEntry {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(payload, "payload");
    }

    // A record compares arrays by reference; entries with the same bytes are the same entry.
    @Override
    public boolean equals(Object other) {
        return other instanceof JournalEntry e && e.id == id && e.timestampMillis == timestampMillis
                && e.deviceId.equals(deviceId) && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, deviceId, timestampMillis, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "JournalEntry[id=" + id + ", deviceId=" + deviceId + ", timestampMillis=" + timestampMillis
                + ", payload=" + payload.length + " bytes]";
    }
}
