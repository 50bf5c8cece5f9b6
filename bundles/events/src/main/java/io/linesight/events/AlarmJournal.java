package io.linesight.events;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.linesight.api.event.Alarm;
import io.linesight.api.event.AlarmTransition;
import io.linesight.api.event.EventKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm journal on disk: one JSON line per raise, clear and acknowledgement, appended and synced (alarms are
 * rare, and an operator's acknowledgement must survive a power cut), bounded to the last {@code maxEntries} lines
 * (the file is rewritten to that size when it grows to twice it). Keeps the same lines in memory for readers.
 *
 * <p>A journal that cannot be written (disk full, read-only) does not stop alarms: they still work in memory, and
 * the problem is logged once with what to do. Unreadable lines are skipped and counted at start.
 */
final class AlarmJournal {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmJournal.class);

    private final Path file;
    private final int maxEntries;
    private final Deque<AlarmTransition> entries = new ArrayDeque<>();
    private int linesOnDisk;
    private boolean writeFailureLogged;

    /** Opens (or creates) the journal at {@code file} and reads what it holds. */
    AlarmJournal(Path file, int maxEntries) {
        this.file = file;
        this.maxEntries = maxEntries;
        load();
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        int skipped = 0;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                linesOnDisk++;
                try {
                    remember(parse(line));
                } catch (RuntimeException e) {
                    skipped++;
                }
            }
        } catch (IOException e) {
            LOG.warn("Alarm journal {} cannot be read ({}); starting an empty one. Check the file's permissions",
                    file, e.getMessage());
        }
        if (skipped > 0) {
            LOG.warn("Alarm journal {}: {} unreadable lines skipped (a power cut during a write can cut the last one)",
                    file, skipped);
        }
    }

    /** Appends a transition (synced to disk) and keeps it in memory. */
    synchronized void append(AlarmTransition t) {
        remember(t);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, format(t) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
            linesOnDisk++;
            if (linesOnDisk >= 2 * maxEntries) {
                compact();
            }
        } catch (IOException e) {
            if (!writeFailureLogged) {
                writeFailureLogged = true;
                LOG.error("Alarm journal {} cannot be written ({}): alarms keep working but their history is not kept"
                        + " across a restart. Free disk space or fix the folder's permissions", file, e.getMessage());
            }
        }
    }

    private void remember(AlarmTransition t) {
        entries.addLast(t);
        while (entries.size() > maxEntries) {
            entries.removeFirst();
        }
    }

    /** Rewrites the file with the lines kept in memory (atomically: a crash leaves the old or the new file). */
    private void compact() throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder all = new StringBuilder();
        for (AlarmTransition t : entries) {
            all.append(format(t)).append('\n');
        }
        Files.writeString(temporary, all, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        linesOnDisk = entries.size();
    }

    /** The newest {@code limit} transitions, oldest first. */
    synchronized List<AlarmTransition> newest(int limit) {
        List<AlarmTransition> all = new ArrayList<>(entries);
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
    }

    synchronized long highestAlarmId() {
        return entries.stream().mapToLong(AlarmTransition::alarmId).max().orElse(0);
    }

    /**
     * Latching alarms (a missed reject) raised and never acknowledged, as they stood: they must still be seen after
     * a restart. Their occurrence counts are what the journal kept.
     */
    synchronized List<Alarm> unacknowledgedLatching() {
        Map<Long, Alarm> open = new LinkedHashMap<>();
        for (AlarmTransition t : entries) {
            if (!t.kind().latching()) {
                continue;
            }
            switch (t.change()) {
                case RAISED -> open.merge(t.alarmId(),
                        new Alarm(t.alarmId(), t.kind(), t.source(), t.message(), t.time(), 1, t.time(), null, null),
                        (before, again) -> before.repeat(t.message(), t.time()));
                case ACKNOWLEDGED -> open.remove(t.alarmId());
                default -> { }
            }
        }
        return List.copyOf(open.values());
    }

    static String format(AlarmTransition t) {
        JsonObject o = new JsonObject();
        o.addProperty("time", t.time().toString());
        o.addProperty("alarm", t.alarmId());
        o.addProperty("kind", t.kind().name());
        o.addProperty("source", t.source());
        o.addProperty("change", t.change().name());
        o.addProperty("who", t.who());
        o.addProperty("message", t.message());
        return o.toString();
    }

    static AlarmTransition parse(String line) {
        try {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            return new AlarmTransition(Instant.parse(o.get("time").getAsString()), o.get("alarm").getAsLong(),
                    EventKind.valueOf(o.get("kind").getAsString()), o.get("source").getAsString(),
                    AlarmTransition.Change.valueOf(o.get("change").getAsString()), o.get("who").getAsString(),
                    o.get("message").getAsString());
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a journal line: " + line, e);
        }
    }
}
