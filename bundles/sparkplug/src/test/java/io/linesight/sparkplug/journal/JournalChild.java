package io.linesight.sparkplug.journal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The other JVM of the journal tests (started by {@link ChildJvm}), a main class and not a test.
 *
 * <ul>
 * <li>{@code append <file> <fsyncMillis> <seed>}: appends batches of 1 to 16 messages (see {@link Payloads}) for ever,
 * and every few batches removes the oldest few entries. After {@code appendAll} returns it prints
 * {@code A <firstId> <lastId> .}; before a remove {@code R- <upTo> .} and after it returns {@code R <upTo> .}. The
 * trailing dot tells a whole line from one cut by the kill.
 * <li>{@code hold <file>}: opens the journal, prints {@code OPEN}, keeps it open until its stdin closes.
 * </ul>
 */
public final class JournalChild {

    static final long TIMESTAMP_BASE = 1_700_000_000_000L;
    static final JournalSettings SETTINGS_1S =
            new JournalSettings(1L << 40, Duration.ofDays(365_000), Duration.ofSeconds(1));

    private JournalChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        switch (args[0]) {
            case "append" -> appendForEver(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]), out);
            case "hold" -> hold(Path.of(args[1]), out);
            default -> throw new IllegalArgumentException("mode append or hold, was " + args[0]);
        }
    }

    static JournalSettings settings(long fsyncMillis) {
        return new JournalSettings(SETTINGS_1S.maxBytes(), SETTINGS_1S.maxAge(), Duration.ofMillis(fsyncMillis));
    }

    private static void appendForEver(Path file, long fsyncMillis, long seed, PrintStream out) throws Exception {
        Random random = new Random(seed);
        MessageJournal journal = MessageJournal.open(file, settings(fsyncMillis), Clock.systemUTC());
        for (int round = 1; ; round++) {
            long first = journal.lastId() + 1;
            int count = 1 + random.nextInt(16);
            journal.appendAll(Payloads.batch(first, count, TIMESTAMP_BASE));
            if (journal.lastId() != first + count - 1) {
                throw new IllegalStateException("ids " + first + ".." + (first + count - 1) + " expected, last id is "
                        + journal.lastId());
            }
            out.println("A " + first + " " + journal.lastId() + " .");
            out.flush();
            if (round % 5 == 0) {
                removeOldest(journal, 1 + random.nextInt(24), out);
            }
        }
    }

    private static void removeOldest(MessageJournal journal, int count, PrintStream out) throws JournalException {
        List<JournalEntry> oldest = journal.peek(count);
        if (oldest.isEmpty()) {
            return;
        }
        long upTo = oldest.get(oldest.size() - 1).id();
        out.println("R- " + upTo + " .");
        out.flush();
        journal.remove(upTo);
        out.println("R " + upTo + " .");
        out.flush();
    }

    private static void hold(Path file, PrintStream out) throws Exception {
        try (MessageJournal journal = MessageJournal.open(file, SETTINGS_1S, Clock.systemUTC());
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            out.println("OPEN " + journal.lastId());
            out.flush();
            while (in.readLine() != null) {
                // held until the parent closes our stdin
            }
        }
    }
}
