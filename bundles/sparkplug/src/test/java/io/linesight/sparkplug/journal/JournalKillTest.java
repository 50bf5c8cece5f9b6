package io.linesight.sparkplug.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the writing JVM loses nothing the journal acknowledged: a {@link JournalChild} appends (and now
 * and then removes) as fast as it can and prints every acknowledgement; the test SIGKILLs it after a number of them,
 * reopens the journal and checks every acknowledged message is there, in order and intact. Five cycles on the same
 * file, alternating a forced and a 1 s fsync policy, the test removing part of the backlog between cycles.
 */
class JournalKillTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void killMinus9LosesNothingAcknowledged() throws Exception {
        Path file = dir.resolve("journal.mv");
        long base = JournalChild.TIMESTAMP_BASE;
        for (int cycle = 1; cycle <= 5; cycle++) {
            long fsyncMillis = cycle % 2 == 0 ? 0 : 1000;
            Acknowledged acked = appendUntilKilled(file, fsyncMillis, cycle, 300 * cycle);
            try (MessageJournal journal = MessageJournal.open(file, JournalChild.settings(fsyncMillis),
                    Clock.systemUTC())) {
                assertEquals(Optional.empty(), journal.figures().recoveredFrom(), "cycle " + cycle + ": not damaged");
                List<JournalEntry> held = journal.peek(Integer.MAX_VALUE);
                checkOrderAndIntegrity(held, base, cycle);
                checkEveryAcknowledgedAppendIsHeld(held, acked, cycle);
                assertTrue(journal.lastId() >= acked.lastAppended, "cycle " + cycle + ": last id " + journal.lastId()
                        + " below the acknowledged " + acked.lastAppended);
                long next = journal.lastId() + 1;
                journal.appendAll(Payloads.batch(next, 1, base));
                List<JournalEntry> after = journal.peek(Integer.MAX_VALUE);
                assertEquals(next, after.get(after.size() - 1).id(), "ids continue above every id given before");
                if (!held.isEmpty()) {
                    journal.remove(held.get(held.size() / 2).id()); // the replayer's work between two runs
                }
            }
        }
    }

    private Acknowledged appendUntilKilled(Path file, long fsyncMillis, int cycle, int acksBeforeKill)
            throws Exception {
        Acknowledged acked = new Acknowledged();
        try (ChildJvm child = ChildJvm.start(dir, "child-" + cycle, "append", file.toString(),
                Long.toString(fsyncMillis), Long.toString(cycle))) {
            while (acked.appends < acksBeforeKill) {
                Optional<String> line = child.nextLine(PATIENCE);
                if (line.isEmpty()) {
                    fail("cycle " + cycle + ": the child ended by itself; its stderr: " + child.stderrText());
                }
                acked.read(line.get());
            }
            child.kill();
            // what it printed before it died was acknowledged too
            for (Optional<String> line = child.nextLine(PATIENCE); line.isPresent(); line = child.nextLine(PATIENCE)) {
                acked.read(line.get());
            }
        }
        return acked;
    }

    private static void checkOrderAndIntegrity(List<JournalEntry> held, long base, int cycle) {
        for (int i = 0; i < held.size(); i++) {
            JournalEntry entry = held.get(i);
            assertTrue(Payloads.intact(entry, base), "cycle " + cycle + ": entry damaged: " + entry);
            if (i > 0) {
                assertTrue(entry.id() > held.get(i - 1).id(), "cycle " + cycle + ": out of order at " + entry.id());
            }
        }
    }

    /**
     * Every acknowledged append above the highest id a remove was started for must be held; every id up to the
     * highest acknowledged remove must be gone (between the two, a remove the kill interrupted may or may not have
     * been committed).
     */
    private static void checkEveryAcknowledgedAppendIsHeld(List<JournalEntry> held, Acknowledged acked, int cycle) {
        Map<Long, JournalEntry> byId = new HashMap<>();
        held.forEach(entry -> byId.put(entry.id(), entry));
        long checked = 0;
        for (long[] range : acked.appendRanges) {
            for (long id = Math.max(range[0], acked.removeStartedUpTo + 1); id <= range[1]; id++) {
                assertTrue(byId.containsKey(id), "cycle " + cycle + ": acknowledged id " + id + " lost; held "
                        + (held.isEmpty() ? "nothing" : held.get(0).id() + ".." + held.get(held.size() - 1).id())
                        + "; acknowledged appends from " + acked.appendRanges.get(0)[0] + " to " + acked.lastAppended
                        + ", removes started up to " + acked.removeStartedUpTo + ", acknowledged up to "
                        + acked.removeAcknowledgedUpTo);
                checked++;
            }
        }
        assertTrue(checked > 0, "cycle " + cycle + ": some acknowledged ids were checked");
        if (!held.isEmpty()) {
            assertTrue(held.get(0).id() > acked.removeAcknowledgedUpTo, "cycle " + cycle + ": id " + held.get(0).id()
                    + " is back although its removal was acknowledged");
        }
    }

    /** What the child acknowledged, from its stdout. */
    private static final class Acknowledged {
        final List<long[]> appendRanges = new java.util.ArrayList<>();
        int appends;
        long lastAppended;
        long removeStartedUpTo;
        long removeAcknowledgedUpTo;

        void read(String line) {
            String[] parts = line.split(" ");
            if (!line.endsWith(" .")) {
                return; // cut by the kill
            }
            switch (parts[0]) {
                case "A" -> {
                    appendRanges.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                    lastAppended = Math.max(lastAppended, Long.parseLong(parts[2]));
                    appends++;
                }
                case "R-" -> removeStartedUpTo = Math.max(removeStartedUpTo, Long.parseLong(parts[1]));
                case "R" -> removeAcknowledgedUpTo = Math.max(removeAcknowledgedUpTo, Long.parseLong(parts[1]));
                default -> throw new AssertionError("unexpected line from the child: " + line);
            }
        }
    }
}
