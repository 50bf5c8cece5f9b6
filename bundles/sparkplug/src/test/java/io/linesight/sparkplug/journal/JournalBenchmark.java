package io.linesight.sparkplug.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the journal can take, a benchmark and not a test (surefire's default includes skip {@code *Benchmark}):
 *
 * <ol>
 * <li>append throughput of 300-byte messages in batches of 1, 8 and 32, with a 1 s fsync interval and with an fsync
 * per append, against the edge node's goal: 20 x a 30 frames/s line with every verdict sent, 600 messages/s;
 * <li>a one-hour backlog at 30 frames/s (108,000 entries): the time to reopen it and to drain it with peek + remove in
 * batches of 500, and the file size against maxBytes;
 * <li>the file size against maxBytes while the journal sits at its bound, dropping the oldest at every append.
 * </ol>
 *
 * <pre>
 * mvn -o -q test -pl bundles/sparkplug -Dtest=JournalBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbenchmark.seconds=5]
 * </pre>
 *
 * The journal file lives in the JUnit temporary directory (the system's temp folder), so the figures are those of
 * that disk. Speed is reported against the goal, never asserted; what fails the run is a journal that loses entries.
 */
class JournalBenchmark {

    private static final int PAYLOAD_BYTES = 300;
    private static final int GOAL_MESSAGES_PER_SECOND = 600;
    private static final int BACKLOG_ENTRIES = 30 * 3600;
    private static final int DRAIN_BATCH = 500;

    @TempDir
    Path dir;

    private final byte[] payload = randomPayload();
    private final List<String> report = new ArrayList<>();

    @Test
    void journalThroughputAndFileSize() throws Exception {
        long seconds = Long.getLong("benchmark.seconds", 5);
        report.add(String.format(Locale.ROOT, "append throughput, %d-byte payloads, %d s per row (goal %d messages/s):",
                PAYLOAD_BYTES, seconds, GOAL_MESSAGES_PER_SECOND));
        for (Duration fsync : List.of(Duration.ofSeconds(1), Duration.ZERO)) {
            for (int batch : new int[] {1, 8, 32}) {
                appendThroughput(batch, fsync, seconds);
            }
        }
        hourOfBacklog();
        fileAtTheBound(seconds);
        System.out.println(String.join(System.lineSeparator(), report));
    }

    private void appendThroughput(int batch, Duration fsync, long seconds) throws Exception {
        Path file = dir.resolve("append-" + batch + "-" + fsync.toMillis() + ".mv");
        JournalSettings settings = new JournalSettings(1L << 30, Duration.ofDays(1), fsync);
        long messages = 0;
        long started;
        long elapsed;
        try (MessageJournal journal = MessageJournal.open(file, settings, Clock.systemUTC())) {
            List<PendingMessage> messagesOfBatch = batchOf(batch);
            warmUp(journal, messagesOfBatch);
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            started = System.nanoTime();
            while (System.nanoTime() - deadline < 0) {
                journal.appendAll(messagesOfBatch);
                messages += batch;
            }
            elapsed = System.nanoTime() - started;
        }
        double perSecond = messages / (elapsed / 1e9);
        report.add(String.format(Locale.ROOT, "  batch %2d, fsync %-4s: %,9.0f messages/s (%,8.0f appends/s) %s",
                batch, fsync.isZero() ? "each" : fsync.toMillis() + "ms", perSecond, perSecond / batch,
                perSecond >= GOAL_MESSAGES_PER_SECOND ? "goal met" : "BELOW THE GOAL"));
    }

    private void warmUp(MessageJournal journal, List<PendingMessage> batch) throws JournalException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() - deadline < 0) {
            journal.appendAll(batch);
        }
        journal.remove(journal.lastId());
    }

    private void hourOfBacklog() throws Exception {
        Path file = dir.resolve("backlog.mv");
        long maxBytes = 64L << 20;
        JournalSettings settings = new JournalSettings(maxBytes, Duration.ofDays(1), Duration.ofSeconds(1));
        try (MessageJournal journal = MessageJournal.open(file, settings, Clock.systemUTC())) {
            List<PendingMessage> thirtyTwo = batchOf(32);
            while (journal.figures().entries() < BACKLOG_ENTRIES) {
                journal.appendAll(thirtyTwo.subList(0, (int) Math.min(32,
                        BACKLOG_ENTRIES - journal.figures().entries())));
            }
        }
        long openStarted = System.nanoTime();
        MessageJournal journal = MessageJournal.open(file, settings, Clock.systemUTC());
        long openMillis = (System.nanoTime() - openStarted) / 1_000_000;
        try (journal) {
            JournalFigures full = journal.figures();
            assertEquals(BACKLOG_ENTRIES, full.entries());
            long drainStarted = System.nanoTime();
            long drained = 0;
            long lastId = 0;
            List<JournalEntry> next;
            while (!(next = journal.peek(DRAIN_BATCH)).isEmpty()) {
                assertTrue(next.get(0).id() > lastId, "in order");
                lastId = next.get(next.size() - 1).id();
                journal.remove(lastId);
                drained += next.size();
            }
            double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
            assertEquals(BACKLOG_ENTRIES, drained);
            report.add(String.format(Locale.ROOT, "one hour at 30 frames/s, %,d entries of %d bytes (%,d bytes"
                    + " counted, maxBytes %,d):", BACKLOG_ENTRIES, PAYLOAD_BYTES, full.bytes(), maxBytes));
            report.add(String.format(Locale.ROOT, "  file %,d bytes = %.2f x maxBytes = %.2f x the bytes held",
                    full.fileBytes(), full.fileBytes() / (double) maxBytes, full.fileBytes() / (double) full.bytes()));
            report.add(String.format(Locale.ROOT, "  reopen (reads and checks every entry): %d ms", openMillis));
            report.add(String.format(Locale.ROOT, "  drain with peek(%d) + remove: %.2f s, %,.0f entries/s; file"
                    + " after the drain %,d bytes", DRAIN_BATCH, drainSeconds, drained / drainSeconds,
                    journal.figures().fileBytes()));
        }
        report.add(String.format(Locale.ROOT, "  file after close %,d bytes", Files.size(file)));
    }

    private void fileAtTheBound(long seconds) throws Exception {
        long maxBytes = 16L << 20;
        JournalSettings settings = new JournalSettings(maxBytes, Duration.ofDays(1), Duration.ofSeconds(1));
        long largest = 0;
        long appended = 0;
        try (MessageJournal journal = MessageJournal.open(dir.resolve("bound.mv"), settings, Clock.systemUTC())) {
            List<PendingMessage> eight = batchOf(8);
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds * 2).toNanos();
            while (System.nanoTime() - deadline < 0 || journal.figures().droppedForSize() == 0) {
                journal.appendAll(eight);
                appended += eight.size();
                largest = Math.max(largest, journal.figures().fileBytes());
            }
            JournalFigures end = journal.figures();
            report.add(String.format(Locale.ROOT, "at the bound (maxBytes %,d, batches of 8, %,d appended, %,d"
                    + " dropped for size): file %,d bytes at the end = %.2f x maxBytes, largest %.2f x maxBytes",
                    maxBytes, appended, end.droppedForSize(), end.fileBytes(), end.fileBytes() / (double) maxBytes,
                    largest / (double) maxBytes));
        }
    }

    private List<PendingMessage> batchOf(int size) {
        List<PendingMessage> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(new PendingMessage("cam-" + i % 4, System.currentTimeMillis(), payload));
        }
        return batch;
    }

    private static byte[] randomPayload() {
        byte[] bytes = new byte[PAYLOAD_BYTES];
        new Random(18).nextBytes(bytes); // protobuf payloads compress poorly; so does this
        return bytes;
    }
}
