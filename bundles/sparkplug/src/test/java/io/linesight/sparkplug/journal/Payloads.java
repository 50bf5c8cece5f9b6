package io.linesight.sparkplug.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * Messages whose every field follows from the id the journal will give them, so a reader can check an entry's
 * integrity from its id alone.
 */
final class Payloads {

    private Payloads() {
    }

    static byte[] payloadFor(long id) {
        byte[] payload = new byte[40 + (int) (id % 300)];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (id * 31 + i * 7);
        }
        return payload;
    }

    static String deviceFor(long id) {
        return id % 5 == 0 ? "" : "cam-" + (id % 3);
    }

    static long timestampFor(long id, long base) {
        return base + id;
    }

    static PendingMessage messageFor(long id, long base) {
        return new PendingMessage(deviceFor(id), timestampFor(id, base), payloadFor(id));
    }

    /** Messages for the ids {@code first..first+count-1}. */
    static List<PendingMessage> batch(long first, int count, long base) {
        List<PendingMessage> batch = new ArrayList<>(count);
        for (long id = first; id < first + count; id++) {
            batch.add(messageFor(id, base));
        }
        return batch;
    }

    /** Whether the entry is exactly what {@link #messageFor} made for its id. */
    static boolean intact(JournalEntry entry, long base) {
        return entry.equals(new JournalEntry(entry.id(), deviceFor(entry.id()), timestampFor(entry.id(), base),
                payloadFor(entry.id())));
    }
}
