package io.linesight.sparkplug.journal;

import static io.linesight.sparkplug.journal.Payloads.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageJournalTest {

    private static final Instant START = Instant.parse("2025-03-01T08:00:00Z");
    private static final long BASE = START.toEpochMilli();
    private static final JournalSettings ROOMY =
            new JournalSettings(64L << 20, Duration.ofDays(7), Duration.ofSeconds(1));

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(START);

    private MessageJournal open(Path file, JournalSettings settings) throws JournalException {
        return MessageJournal.open(file, settings, clock);
    }

    // ---- order, remove, ids, meta ------------------------------------------------------------------------------

    @Test
    void entriesComeBackInAppendOrderAcrossReopen() throws Exception {
        Path file = dir.resolve("journal.mv");
        try (MessageJournal journal = open(file, ROOMY)) {
            journal.appendAll(batch(1, 3, BASE));
            journal.appendAll(batch(4, 1, BASE));
            assertEquals(List.of(1L, 2L, 3L, 4L), ids(journal.peek(10)));
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            journal.appendAll(batch(5, 2, BASE));
            List<JournalEntry> all = journal.peek(100);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), ids(all));
            all.forEach(entry -> assertTrue(Payloads.intact(entry, BASE), entry::toString));
            assertEquals("", all.get(4).deviceId(), "the node's own messages keep the empty device id");
            assertEquals(List.of(1L, 2L), ids(journal.peek(2)), "peek reads without removing");
            assertEquals(6, journal.figures().entries());
            assertEquals(Optional.of(Instant.ofEpochMilli(BASE + 1)), journal.figures().oldest());
            assertEquals(2, journal.figures().appended(), "appended counts since this open");
        }
    }

    @Test
    void peekAfterReadsOnPastEntriesStillInTheJournal() throws Exception {
        try (MessageJournal journal = open(dir.resolve("journal.mv"), ROOMY)) {
            journal.appendAll(batch(1, 10, BASE));
            assertEquals(List.of(4L, 5L, 6L), ids(journal.peekAfter(3, 3)));
            journal.remove(2);
            assertEquals(List.of(3L, 4L), ids(journal.peekAfter(0, 2)), "0: from the oldest");
            assertEquals(List.of(10L), ids(journal.peekAfter(9, 5)));
            assertEquals(List.of(), journal.peekAfter(10, 5));
            assertEquals(8, journal.figures().entries(), "reading removes nothing");
        }
    }

    @Test
    void removeDropsEverythingUpToTheIdAndTheBytesWithIt() throws Exception {
        try (MessageJournal journal = open(dir.resolve("journal.mv"), ROOMY)) {
            journal.appendAll(batch(1, 10, BASE));
            long bytesBefore = journal.figures().bytes();
            journal.remove(4);
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), ids(journal.peek(100)));
            long removed = Stream.of(1L, 2L, 3L, 4L).mapToLong(id -> accounted(id)).sum();
            assertEquals(bytesBefore - removed, journal.figures().bytes());
            journal.remove(4);
            assertEquals(6, journal.figures().entries(), "removing again changes nothing");
            journal.remove(10);
            assertEquals(List.of(), journal.peek(100));
            assertEquals(0, journal.figures().bytes());
            assertEquals(Optional.empty(), journal.figures().oldest());
        }
    }

    @Test
    void idsAreNeverGivenTwiceEvenWhenTheJournalWasEmptiedAndReopened() throws Exception {
        Path file = dir.resolve("journal.mv");
        try (MessageJournal journal = open(file, ROOMY)) {
            assertEquals(0, journal.lastId());
            journal.appendAll(batch(1, 5, BASE));
            journal.remove(5);
            assertEquals(5, journal.lastId());
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            assertEquals(5, journal.lastId());
            journal.appendAll(batch(6, 1, BASE));
            assertEquals(List.of(6L), ids(journal.peek(10)));
        }
    }

    @Test
    void metaValuesSurviveReopen() throws Exception {
        Path file = dir.resolve("journal.mv");
        try (MessageJournal journal = open(file, ROOMY)) {
            assertEquals(-1, journal.meta("bdSeq", -1));
            journal.putMeta("bdSeq", 7);
            journal.putMeta("bdSeq", 8);
            journal.putMeta("other", Long.MIN_VALUE);
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            assertEquals(8, journal.meta("bdSeq", -1));
            assertEquals(Long.MIN_VALUE, journal.meta("other", 0));
            assertEquals(0, journal.figures().entries(), "meta values are not entries");
        }
    }

    // ---- bounds ------------------------------------------------------------------------------------------------

    @Test
    void anAppendBeyondMaxBytesDropsTheOldestAndTheCountPersists() throws Exception {
        Path file = dir.resolve("journal.mv");
        List<Long> held = new ArrayList<>(range(1, 10));
        long bound = accounted(held);
        JournalSettings tenFit = new JournalSettings(bound, Duration.ofDays(7), Duration.ofSeconds(1));
        long dropped;
        try (MessageJournal journal = open(file, tenFit)) {
            journal.appendAll(batch(1, 10, BASE));
            assertEquals(0, journal.figures().droppedForSize(), "exactly at the bound is within it");
            journal.appendAll(batch(11, 3, BASE));
            dropped = keepNewestWithin(held, range(11, 13), bound);
            assertTrue(dropped >= 3, "the later payloads are larger, so at least three went");
            assertEquals(held, ids(journal.peek(100)), "the oldest went first");
            assertEquals(dropped, journal.figures().droppedForSize());
            assertEquals(accounted(held), journal.figures().bytes());
        }
        try (MessageJournal journal = open(file, tenFit)) {
            assertEquals(dropped, journal.figures().droppedForSize(), "the drop count persists");
            assertEquals(accounted(held), journal.figures().bytes(), "the bytes are summed again at open");
            journal.appendAll(batch(14, 40, BASE));
            dropped += keepNewestWithin(held, range(14, 53), bound);
            assertEquals(held, ids(journal.peek(100)), "a batch larger than the bound keeps its newest part");
            assertEquals(53, held.get(held.size() - 1));
            assertEquals(dropped, journal.figures().droppedForSize());
        }
    }

    /** What the journal should keep: the held ids plus the added, oldest dropped until within the bound. */
    private static long keepNewestWithin(List<Long> held, List<Long> added, long bound) {
        held.addAll(added);
        long dropped = 0;
        while (accounted(held) > bound) {
            held.remove(0);
            dropped++;
        }
        return dropped;
    }

    @Test
    void entriesOlderThanMaxAgeAreDroppedNotReplayedAndTheCountPersists() throws Exception {
        Path file = dir.resolve("journal.mv");
        JournalSettings hour = new JournalSettings(64L << 20, Duration.ofHours(1), Duration.ofSeconds(1));
        long now = START.toEpochMilli();
        try (MessageJournal journal = open(file, hour)) {
            journal.appendAll(List.of(
                    new PendingMessage("a", now - 10_000, new byte[] {1}),
                    new PendingMessage("a", now - 5_000, new byte[] {2}),
                    new PendingMessage("a", now + 10_000, new byte[] {3})));
            clock.advance(Duration.ofHours(1).plusMillis(6_000)); // the first two are older than an hour now
            List<JournalEntry> young = journal.peek(10);
            assertEquals(List.of(3L), ids(young));
            assertEquals(2, journal.figures().droppedForAge());
            assertEquals(1, journal.figures().entries());
        }
        try (MessageJournal journal = open(file, hour)) {
            assertEquals(2, journal.figures().droppedForAge(), "the drop count persists");
            long later = clock.millis();
            // out of order: an old message behind a young one at the head is still never returned
            journal.appendAll(List.of(
                    new PendingMessage("b", later, new byte[] {4}),
                    new PendingMessage("b", later - Duration.ofHours(2).toMillis(), new byte[] {5}),
                    new PendingMessage("b", later, new byte[] {6})));
            assertEquals(List.of(3L, 4L, 6L), ids(journal.peek(10)));
            assertEquals(3, journal.figures().droppedForAge());
            clock.advance(Duration.ofHours(2));
            journal.appendAll(List.of(new PendingMessage("b", clock.millis(), new byte[] {7})));
            assertEquals(6, journal.figures().droppedForAge(), "an append drops the expired oldest entries first");
            assertEquals(List.of(7L), ids(journal.peek(10)));
        }
    }

    @Test
    void fileStaysWithinASmallMultipleOfMaxBytesUnderASteadyWorkload() throws Exception {
        long maxBytes = 8L << 20;
        JournalSettings settings = new JournalSettings(maxBytes, Duration.ofDays(7), Duration.ofSeconds(1));
        long largestFile = 0;
        byte[] payload = new byte[300];
        try (MessageJournal journal = open(dir.resolve("journal.mv"), settings)) {
            long backlogEntries = maxBytes / MessageJournal.accountedBytes(new PendingMessage("cam-1", 0, payload)) / 2;
            for (int appended = 0; appended < 200_000; appended += 8) {
                List<PendingMessage> messages = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    messages.add(new PendingMessage("cam-1", clock.millis(), payload));
                }
                journal.appendAll(messages);
                if (journal.figures().entries() > backlogEntries) {
                    List<JournalEntry> oldest = journal.peek(500);
                    journal.remove(oldest.get(oldest.size() - 1).id());
                }
                largestFile = Math.max(largestFile, journal.figures().fileBytes());
            }
            JournalFigures end = journal.figures();
            System.out.printf("steady workload: 200000 appends, %d held (%d bytes), file %d bytes at the end, largest"
                    + " %d = %.2f x maxBytes%n", end.entries(), end.bytes(), end.fileBytes(), largestFile,
                    largestFile / (double) maxBytes);
            assertEquals(0, end.droppedForSize(), "the replayer kept up, nothing dropped");
        }
        assertTrue(largestFile <= 4 * maxBytes, "file grew to " + largestFile + " bytes for maxBytes " + maxBytes);
        assertTrue(Files.size(dir.resolve("journal.mv")) <= 3 * maxBytes, "after close");
    }

    // ---- damage, locking, misuse ---------------------------------------------------------------------------------

    @Test
    void aGarbageFileIsMovedAsideAndAFreshJournalStarts() throws Exception {
        Path file = dir.resolve("journal.mv");
        byte[] garbage = "this is not an MVStore file\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
        Files.write(file, garbage);
        try (MessageJournal journal = open(file, ROOMY)) {
            Path aside = Path.of(journal.figures().recoveredFrom().orElseThrow());
            assertEquals(dir.resolve("journal.mv.damaged-20250301T080000.000Z"), aside);
            assertArrayEquals(garbage, Files.readAllBytes(aside), "the damaged file is kept as it was");
            assertEquals(0, journal.figures().entries());
            journal.appendAll(batch(1, 2, BASE));
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            assertEquals(Optional.empty(), journal.figures().recoveredFrom(), "the fresh journal opens normally");
            assertEquals(List.of(1L, 2L), ids(journal.peek(10)));
        }
    }

    @Test
    void aTruncatedJournalIsMovedAsideToo() throws Exception {
        Path file = dir.resolve("journal.mv");
        try (MessageJournal journal = open(file, ROOMY)) {
            for (long first = 1; first < 2000; first += 20) {
                journal.appendAll(batch(first, 20, BASE));
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4096 + 100); // part of the two header blocks, no chunk
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            assertTrue(journal.figures().recoveredFrom().isPresent());
            assertEquals(0, journal.figures().entries());
            assertEquals(0, journal.lastId(), "a fresh journal");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("journal.mv.damaged-")).count());
        }
    }

    @Test
    void aPayloadDamagedOnTheDiskIsNotReplayed() throws Exception {
        Path file = dir.resolve("journal.mv");
        byte[] marker = "PAYLOAD-MARKER-0123456789-PAYLOAD-MARKER".getBytes(StandardCharsets.US_ASCII);
        try (MessageJournal journal = open(file, ROOMY)) {
            journal.appendAll(batch(1, 5, BASE));
            journal.appendAll(List.of(new PendingMessage("cam-1", BASE, marker)));
        }
        byte[] bytes = Files.readAllBytes(file);
        int flipped = 0;
        for (int at = indexOf(bytes, marker, 0); at >= 0; at = indexOf(bytes, marker, at + 1)) {
            bytes[at + marker.length / 2] ^= 0x01; // every copy MVStore left in the file
            flipped++;
        }
        assertTrue(flipped > 0, "the payload is stored as it is");
        Files.write(file, bytes);
        try (MessageJournal journal = open(file, ROOMY)) {
            assertTrue(journal.figures().recoveredFrom().isPresent(), "the damaged journal was moved aside");
            assertEquals(0, journal.figures().entries());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anMVStoreFileOfSomethingElseIsNotWrittenInto() throws Exception {
        Path file = dir.resolve("journal.mv");
        try (org.h2.mvstore.MVStore other = org.h2.mvstore.MVStore.open(file.toString())) {
            other.<String, String>openMap("customers").put("k", "v");
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            assertTrue(journal.figures().recoveredFrom().isPresent());
        }
    }

    @Test
    void aFileLockedByAnotherRuntimeIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("journal.mv");
        try (MessageJournal journal = open(file, ROOMY)) {
            journal.appendAll(batch(1, 3, BASE));
        }
        byte[] before = Files.readAllBytes(file);
        try (ChildJvm holder = ChildJvm.start(dir, "holder", "hold", file.toString())) {
            assertEquals(Optional.of("OPEN 3"), holder.nextLine(Duration.ofSeconds(60)));
            JournalException refused = assertThrows(JournalException.class, () -> open(file, ROOMY));
            assertTrue(refused.getMessage().contains("in use by another runtime"), refused.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "the file is left as it was");
            try (Stream<Path> files = Files.list(dir)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("damaged")));
            }
            holder.closeStdin();
            assertEquals(0, holder.waitForExit(Duration.ofSeconds(60)), holder.stderrText());
        }
        try (MessageJournal journal = open(file, ROOMY)) {
            assertEquals(List.of(1L, 2L, 3L), ids(journal.peek(10)), "once the other runtime is gone it opens");
        }
    }

    @Test
    void closeIsIdempotentAndAClosedJournalRefusesWork() throws Exception {
        MessageJournal journal = open(dir.resolve("journal.mv"), ROOMY);
        journal.close();
        journal.close();
        assertThrows(IllegalStateException.class, () -> journal.appendAll(batch(1, 1, BASE)));
        assertThrows(IllegalStateException.class, () -> journal.peek(1));
    }

    @Test
    void settingsRejectBoundsThatAreNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new JournalSettings(0, Duration.ofHours(1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new JournalSettings(1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new JournalSettings(1, Duration.ofHours(1), Duration.ofMillis(-1)));
        new JournalSettings(1, Duration.ofHours(1), Duration.ZERO);
    }

    @Test
    void figuresCanBeReadFromAnotherThreadWhileTheWriterWorks() throws Exception {
        try (MessageJournal journal = open(dir.resolve("journal.mv"), ROOMY)) {
            List<Long> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Thread reader = new Thread(() -> {
                long last = -1;
                while (last < 1000 && System.nanoTime() - deadline < 0) {
                    long entries = journal.figures().entries();
                    if (entries != last) {
                        synchronized (seen) {
                            seen.add(entries);
                        }
                        last = entries;
                    }
                }
            }, "figures-reader");
            reader.setDaemon(true);
            reader.start();
            for (long first = 1; first <= 1000; first += 10) {
                journal.appendAll(batch(first, 10, BASE));
            }
            reader.join(Duration.ofSeconds(90).toMillis());
            synchronized (seen) {
                assertEquals(1000L, seen.get(seen.size() - 1), "the reader saw the last figures: " + seen);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i) > seen.get(i - 1), "figures only grow here: " + seen);
                    assertEquals(0, seen.get(i) % 10, "a batch is published whole: " + seen);
                }
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static List<Long> ids(List<JournalEntry> entries) {
        return entries.stream().map(JournalEntry::id).toList();
    }

    private static List<Long> range(long from, long toInclusive) {
        List<Long> ids = new ArrayList<>();
        for (long id = from; id <= toInclusive; id++) {
            ids.add(id);
        }
        return ids;
    }

    private static long accounted(long id) {
        return MessageJournal.accountedBytes(Payloads.messageFor(id, BASE));
    }

    private static long accounted(List<Long> ids) {
        return ids.stream().mapToLong(MessageJournalTest::accounted).sum();
    }
}
