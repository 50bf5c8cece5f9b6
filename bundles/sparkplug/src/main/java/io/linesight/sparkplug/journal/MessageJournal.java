package io.linesight.sparkplug.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RandomAccessStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge node's durable store-and-forward journal: messages that could not be published wait here, oldest first,
 * until a replayer {@linkplain #peek reads} them, publishes them as historical data and {@linkplain #remove removes}
 * them. One H2 MVStore file with three maps: {@code entries} (id to the encoded entry, see {@link EntryCodec}),
 * {@code counters} (format, next id, drop counts) and {@code meta} (the owner's numbers).
 *
 * <h2>Threads</h2>
 * Not thread-safe: one thread (the edge node's publisher thread, which also replays) calls every method but
 * {@link #figures()}, which any thread may call: it returns the snapshot published after the last operation, without
 * locking or I/O. MVStore's background writer thread is not started (auto-commit disabled, and no commit from inside a
 * put when unsaved changes pile up), so nothing is committed behind the writer's back at an arbitrary moment: every
 * commit is one of this class's, and each holds one whole operation (a batch with its new ids, the drops it caused
 * and the counters). Compaction runs on the writer's thread too, after a force.
 *
 * <h2>Durability</h2>
 * <ul>
 * <li><b>{@code kill -9} loses nothing acknowledged.</b> When {@link #appendAll}, {@link #remove} or
 * {@link #putMeta} returns, its commit has been written to the operating system (with auto-commit disabled MVStore
 * writes the new chunk with a plain {@code FileChannel} write inside {@code commit()}), and a process kill does not
 * take back what the OS has. The next {@link #open} finds the last complete commit; a commit the kill interrupted is
 * absent as a whole (MVStore ignores a chunk whose header and footer do not match), so an unacknowledged batch is
 * either all there or all gone, and a remove the kill interrupted either happened or did not.
 * <li><b>A power cut (or kernel crash) can lose the acknowledged operations since the last force</b>, that is up to
 * {@code fsyncInterval} of them. The file is forced ({@code FileChannel.force}) after a commit once
 * {@code fsyncInterval} has passed since the last force (after every commit with {@link java.time.Duration#ZERO}), or
 * once 256 commits were made since it (see below), by {@link #syncIfDue()}, at open and at
 * {@link #close()}. The owner calls {@link #syncIfDue()} from its loop: without it the last appends before a pause
 * stay unforced until the next operation.
 * <li>Forced data stays intact through later power cuts because space is reused only once that is safe: MVStore
 * writes each commit into free space and frees a chunk once no version in use needs it; this journal keeps the version
 * of its last force in use ({@code MVStore.registerVersionUsage}), so a chunk that went out of use after the last
 * force is not overwritten before the next force made its replacement durable. MVStore's time-based retention (45 s
 * by default, which trusts the OS to flush within that time) is set to 0: the pin is the real condition.
 * <li>Limit: MVStore checks a chunk's header and footer (and after an unclean shutdown that the chunk index it names
 * reads), not every byte between. A power cut that tears the newest, unforced chunk in its middle leaves pages or
 * entries that fail their checks; the scan at open finds that, and the file is then moved aside as damaged (kept, not
 * deleted) and the journal restarts empty. {@code kill -9} cannot tear a chunk.
 * </ul>
 *
 * <h2>Bounds</h2>
 * Each entry counts {@link #accountedBytes} (payload and device id bytes plus {@link #ENTRY_OVERHEAD_BYTES}) against
 * {@link JournalSettings#maxBytes()}; an append that would exceed it drops the oldest entries first, in the same
 * commit (a batch larger than the bound keeps its newest part). Entries whose timestamp is older than now minus
 * {@link JournalSettings#maxAge()} are dropped from the oldest end at each append, and {@link #peek} drops any it
 * meets instead of returning them (an old entry behind a younger one is caught there). Both drop counts persist.
 *
 * <h2>File size</h2>
 * MVStore never overwrites in place: each commit writes a new chunk and the file holds the live pages plus the
 * chunks not yet reusable. Three things keep it within a small multiple of {@code maxBytes}: the force after at most
 * 256 commits (dead chunks wait for a force, so under a high commit rate this bounds them, and
 * a small chunk index keeps each commit cheap); after a force, at most every 1000 ms or
 * 256 commits, rewriting the live pages of chunks less than 80 %
 * live (a queue leaves each old chunk with one full leaf and little else) and, when less than
 * 70 % of the file is in use, moving chunks from its end into the holes so it can be
 * truncated. Measured with 300-byte payloads in batches of 8, as fast as the machine goes: a steady append/remove
 * workload holding half of maxBytes (8 MiB) peaks at 2.1 to 2.4 x maxBytes; a journal at its bound (16 MiB), dropping
 * at every append, stays at 2.5 x; a one-hour backlog at 30 frames/s (108,000 entries, 36 MB counted) takes 1.65 x
 * the bytes it holds. Space freed by a fast drain is given back by the next forces and compactions, not at close.
 *
 * <h2>Damage and locking</h2>
 * A file that is not a readable journal at open (garbage, truncated, an MVStore file of something else, a page or an
 * entry failing its check in the scan of every entry) is moved aside as {@code <name>.damaged-<UTC timestamp>} and a
 * fresh journal starts; {@link JournalFigures#recoveredFrom()} says where the old file went, for the caller's alarm. A
 * file locked by another process (another runtime) is refused with a {@link JournalException} and left alone.
 */
public final class MessageJournal implements AutoCloseable {

    /**
     * Bytes counted for each entry on top of its payload and device id. On disk an entry costs its id key (a varint,
     * 3 bytes at a million), a length prefix (2), the entry's checksum, timestamp and device id length (14) and its
     * share of the page headers; 32 rounds that up to a number the owner can size {@code maxBytes} with.
     */
    public static final int ENTRY_OVERHEAD_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(MessageJournal.class);

    private static final String ENTRIES_MAP = "entries";
    private static final String COUNTERS_MAP = "counters";
    private static final String META_MAP = "meta";
    private static final String FORMAT_KEY = "format";
    private static final String NEXT_ID_KEY = "nextId";
    private static final String DROPPED_FOR_SIZE_KEY = "droppedForSize";
    private static final String DROPPED_FOR_AGE_KEY = "droppedForAge";
    private static final long FORMAT = 1;

    /**
     * The file is forced after this many commits even before {@code fsyncInterval} has passed: the space a commit
     * frees is reused only after a force, so under a high commit rate this bounds the dead space in the file (and
     * keeps the chunk index small, which makes commits cheaper).
     */
    private static final int FORCE_EVERY_COMMITS = 256;
    /** The file is compacted after a force when this many commits or this much time passed since the last time. */
    private static final long COMPACT_MILLIS = 1000;
    /** Chunks less full than this (percent live) have their live pages rewritten into new chunks. */
    private static final int CHUNK_FILL_TARGET = 80;
    /** The most live data one housekeeping round rewrites. */
    private static final int REWRITE_LIMIT_BYTES = 4 << 20;
    /** Below this fill rate (percent of the file in use), chunks are moved towards the start so the file shrinks. */
    private static final int FILE_FILL_TARGET = 70;
    /** The most chunk bytes one housekeeping round moves. */
    private static final int MOVE_LIMIT_BYTES = 8 << 20;

    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final JournalSettings settings;
    private final Clock clock;
    private final MVStore store;
    private final MVMap<Long, byte[]> entries;
    private final MVMap<String, Long> counters;
    private final MVMap<String, Long> meta;
    private final Optional<String> recoveredFrom;
    private final long fsyncIntervalNanos;

    private Totals totals;
    private boolean unsynced;
    private int commitsSinceSync;
    private int commitsSinceCompaction;
    private long lastCompactionNanos;
    private long lastSyncNanos;
    private MVStore.TxCounter syncedVersionPin;
    private boolean closed;
    private volatile JournalFigures figures;

    private MessageJournal(Path file, JournalSettings settings, Clock clock, Opened opened,
            Optional<String> recoveredFrom) {
        this.file = file;
        this.settings = settings;
        this.clock = clock;
        this.store = opened.store;
        this.entries = opened.entries;
        this.counters = opened.counters;
        this.meta = opened.meta;
        this.totals = opened.totals;
        this.recoveredFrom = recoveredFrom;
        this.fsyncIntervalNanos = settings.fsyncInterval().toNanos();
        this.lastCompactionNanos = System.nanoTime();
    }

    /** Forces what an earlier run left in the OS cache and takes the first pin; closes the store if that fails. */
    private MessageJournal started() throws JournalException {
        try {
            syncNow(System.nanoTime());
        } catch (RuntimeException e) {
            closed = true;
            store.closeImmediately();
            throw new JournalException("Journal " + file + " cannot be forced to the disk (" + e.getMessage()
                    + "): check the disk (free space, I/O errors)", e);
        }
        publishFigures();
        return this;
    }

    /**
     * Opens the journal at {@code file}, creating it (and its directory) when absent. A damaged file is moved aside
     * and a fresh journal started (see the class description).
     *
     * @param clock judges the age bound and names a damaged file moved aside
     * @throws JournalException when the file is locked by another runtime, cannot be read or written, or a damaged
     *     file cannot be moved aside
     */
    public static MessageJournal open(Path file, JournalSettings settings, Clock clock) throws JournalException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Path absolute = file.toAbsolutePath();
        createDirectory(absolute.getParent());
        try {
            return new MessageJournal(absolute, settings, clock, Opened.existing(absolute), Optional.empty())
                    .started();
        } catch (DamagedJournalException damaged) {
            Path aside = moveAside(absolute, clock, damaged);
            return new MessageJournal(absolute, settings, clock, Opened.fresh(absolute), Optional.of(aside.toString()))
                    .started();
        }
    }

    /**
     * Appends the messages in order, in one commit, and gives them the next ids. When this returns the messages
     * survive a {@code kill -9}; they are forced to the disk per the fsync policy. Expired entries are dropped from
     * the oldest end first, then the oldest entries until the journal is within {@code maxBytes} again (counted).
     *
     * @throws JournalException when the file cannot be written; nothing of the batch is acknowledged then (it may
     *     still be in the journal if only the force failed)
     */
    public void appendAll(List<PendingMessage> messages) throws JournalException {
        checkOpen();
        if (messages.isEmpty()) {
            return;
        }
        List<byte[]> values = new ArrayList<>(messages.size());
        for (PendingMessage message : messages) {
            values.add(EntryCodec.encode(message));
        }
        mutate("append " + messages.size() + " messages", working -> {
            dropExpiredHead(working, cutoffMillis());
            for (byte[] value : values) {
                entries.put(working.nextId++, value);
                working.bytes += EntryCodec.accountedBytes(value);
            }
            dropOldestBeyondBound(working);
            working.appended += values.size();
            return null;
        });
    }

    /**
     * Returns up to {@code max} entries, oldest first. Entries older than {@code maxAge} met on the way are dropped
     * (and counted) instead of returned. Nothing is removed otherwise: call {@link #remove} once they are published.
     */
    public List<JournalEntry> peek(int max) throws JournalException {
        return peekAfter(0, max);
    }

    /**
     * As {@link #peek}, from the first entry after {@code afterId}: the replay reads on while the entries it already
     * sent stay in the journal until they are surely delivered.
     */
    public List<JournalEntry> peekAfter(long afterId, int max) throws JournalException {
        checkOpen();
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        return mutate("read", working -> collectDroppingExpired(working, afterId, max));
    }

    /** Removes every entry with an id up to {@code upToInclusive} (after they were published), in one commit. */
    public void remove(long upToInclusive) throws JournalException {
        checkOpen();
        mutate("remove entries up to id " + upToInclusive, working -> {
            Long first;
            while ((first = entries.firstKey()) != null && first <= upToInclusive) {
                working.bytes -= EntryCodec.accountedBytes(entries.remove(first));
            }
            return null;
        });
    }

    /** What the journal holds and has done; any thread, no I/O. */
    public JournalFigures figures() {
        return figures;
    }

    /** The id given to the newest message ever appended (0 before the first); the next append continues above. */
    public long lastId() {
        return totals.nextId - 1;
    }

    /** A small persisted number of the owner's (the Sparkplug bdSeq survives restarts here). */
    public long meta(String key, long defaultValue) {
        checkOpen();
        Long value = meta.get(Objects.requireNonNull(key, "key"));
        return value == null ? defaultValue : value;
    }

    /** Stores a number of the owner's, in one commit, durable as an append is. */
    public void putMeta(String key, long value) throws JournalException {
        checkOpen();
        Objects.requireNonNull(key, "key");
        mutate("store " + key, working -> meta.put(key, value));
    }

    /**
     * Forces the commits not yet forced when {@code fsyncInterval} has passed since the last force (and compacts the
     * file when due). Cheap when nothing is due: the owner calls it from its loop so that a pause after the last
     * append does not leave it unforced.
     */
    public void syncIfDue() throws JournalException {
        checkOpen();
        try {
            afterCommit();
        } catch (RuntimeException e) {
            throw failure("force the file to the disk", e);
        } finally {
            publishFigures();
        }
    }

    /** Commits, forces and closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            store.commit();
            store.sync();
            releasePin();
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("Journal {} did not close cleanly ({}); it reopens from its last commit", file, e.toString());
            store.closeImmediately();
        }
    }

    /** The size an entry for {@code message} counts against {@link JournalSettings#maxBytes()}. */
    public static long accountedBytes(PendingMessage message) {
        return message.deviceId().getBytes(StandardCharsets.UTF_8).length + message.payload().length
                + (long) ENTRY_OVERHEAD_BYTES;
    }

    // ---- one operation, one commit -----------------------------------------------------------------------------

    /**
     * Runs {@code change} on a working copy of the totals, commits what it changed together with the changed
     * counters, and adopts the totals only then; on failure rolls the store back to the last commit.
     */
    private <T> T mutate(String what, Function<Totals, T> change) throws JournalException {
        Totals working = totals.copy();
        T result;
        try {
            result = change.apply(working);
            if (store.hasUnsavedChanges()) {
                writeChangedCounters(totals, working);
                store.commit();
                unsynced = true;
                commitsSinceSync++;
            }
        } catch (RuntimeException e) {
            rollBackQuietly();
            throw failure(what, e);
        }
        totals = working;
        try {
            afterCommit();
        } catch (RuntimeException e) {
            throw failure("force the file to the disk after " + what, e);
        } finally {
            publishFigures();
        }
        return result;
    }

    private void writeChangedCounters(Totals before, Totals after) {
        putIfChanged(NEXT_ID_KEY, before.nextId, after.nextId);
        putIfChanged(DROPPED_FOR_SIZE_KEY, before.droppedForSize, after.droppedForSize);
        putIfChanged(DROPPED_FOR_AGE_KEY, before.droppedForAge, after.droppedForAge);
    }

    private void putIfChanged(String key, long before, long after) {
        if (before != after) {
            counters.put(key, after);
        }
    }

    private void rollBackQuietly() {
        try {
            store.rollback();
        } catch (RuntimeException e) {
            LOG.debug("Journal {}: rollback after a failure failed too", file, e);
        }
    }

    private JournalException failure(String what, RuntimeException cause) {
        return new JournalException("Journal " + file + " could not " + what + " (" + cause.getMessage()
                + "). Check the disk (free space, I/O errors); the journal keeps what it acknowledged up to its last"
                + " commit, and reopening it (restarting the runtime) resumes from there", cause);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Journal " + file + " is closed");
        }
    }

    // ---- bounds ------------------------------------------------------------------------------------------------

    private long cutoffMillis() {
        return clock.millis() - settings.maxAge().toMillis();
    }

    private void dropExpiredHead(Totals working, long cutoff) {
        Long first;
        while ((first = entries.firstKey()) != null && EntryCodec.timestamp(entries.get(first)) < cutoff) {
            working.bytes -= EntryCodec.accountedBytes(entries.remove(first));
            working.droppedForAge++;
        }
    }

    private void dropOldestBeyondBound(Totals working) {
        Long first;
        while (working.bytes > settings.maxBytes() && (first = entries.firstKey()) != null) {
            working.bytes -= EntryCodec.accountedBytes(entries.remove(first));
            working.droppedForSize++;
        }
    }

    private List<JournalEntry> collectDroppingExpired(Totals working, long afterId, int max) {
        long cutoff = cutoffMillis();
        List<JournalEntry> result = new ArrayList<>(Math.min(max, 1024));
        List<Long> expired = new ArrayList<>();
        Cursor<Long, byte[]> cursor = entries.cursor(afterId <= 0 ? null : afterId + 1);
        while (result.size() < max && cursor.hasNext()) {
            long id = cursor.next();
            byte[] value = cursor.getValue();
            if (EntryCodec.timestamp(value) < cutoff) {
                expired.add(id);
            } else {
                result.add(EntryCodec.decode(id, value));
            }
        }
        for (long id : expired) {
            working.bytes -= EntryCodec.accountedBytes(entries.remove(id));
            working.droppedForAge++;
        }
        return result;
    }

    // ---- forcing and compaction --------------------------------------------------------------------------------

    private void afterCommit() {
        long now = System.nanoTime();
        if (unsynced && (now - lastSyncNanos >= fsyncIntervalNanos || commitsSinceSync >= FORCE_EVERY_COMMITS)) {
            syncNow(now);
            compactIfDue(now);
        }
    }

    /**
     * Forces the file and moves the pin to the version just forced: chunks that went out of use before it may be
     * overwritten from now on, those that go out of use later wait for the next force.
     */
    private void syncNow(long now) {
        commitsSinceCompaction += commitsSinceSync;
        store.sync();
        MVStore.TxCounter previous = syncedVersionPin;
        syncedVersionPin = store.registerVersionUsage();
        if (previous != null) {
            store.deregisterVersionUsage(previous);
        }
        unsynced = false;
        commitsSinceSync = 0;
        lastSyncNanos = now;
    }

    private void releasePin() {
        if (syncedVersionPin != null) {
            store.deregisterVersionUsage(syncedVersionPin);
            syncedVersionPin = null;
        }
    }

    /**
     * Keeps the file small: rewrites the live pages of sparse chunks (a FIFO leaves old chunks with a few live
     * pages), then moves chunks from the end of the file into the holes so that the file can be truncated.
     */
    private void compactIfDue(long now) {
        if (commitsSinceCompaction < FORCE_EVERY_COMMITS
                && now - lastCompactionNanos < TimeUnit.MILLISECONDS.toNanos(COMPACT_MILLIS)) {
            return;
        }
        commitsSinceCompaction = 0;
        lastCompactionNanos = now;
        if (store.getFileStore().getChunksFillRate() < CHUNK_FILL_TARGET
                && store.compact(CHUNK_FILL_TARGET, REWRITE_LIMIT_BYTES)) {
            store.commit();
            unsynced = true;
            commitsSinceSync++;
        }
        if (store.getFileStore() instanceof RandomAccessStore randomAccess && store.getFillRate() < FILE_FILL_TARGET) {
            // forces the file itself before it moves anything
            randomAccess.compactMoveChunks(FILE_FILL_TARGET, MOVE_LIMIT_BYTES, store);
            syncNow(System.nanoTime());
        }
    }

    // ---- figures -----------------------------------------------------------------------------------------------

    private void publishFigures() {
        try {
            figures = new JournalFigures(entries.sizeAsLong(), totals.bytes, totals.appended, totals.droppedForSize,
                    totals.droppedForAge, oldestTimestamp(), store.getFileStore().size(), recoveredFrom);
        } catch (RuntimeException e) {
            LOG.debug("Journal {}: figures not refreshed", file, e);
        }
    }

    private Optional<Instant> oldestTimestamp() {
        Long first = entries.firstKey();
        return first == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(EntryCodec.timestamp(entries.get(first))));
    }

    // ---- opening -----------------------------------------------------------------------------------------------

    private static void createDirectory(Path directory) throws JournalException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new JournalException("Cannot create the journal's directory " + directory + " (" + e
                    + "): check the data folder's permissions and free space", e);
        }
    }

    private static Path moveAside(Path file, Clock clock, DamagedJournalException damaged) throws JournalException {
        String stamp = ASIDE_STAMP.format(clock.instant());
        for (int attempt = 0; attempt < 100; attempt++) {
            Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp + (attempt == 0 ? "" : "-"
                    + attempt));
            try {
                Files.move(file, aside);
                LOG.warn("Journal {} was damaged ({}): moved aside to {}, starting an empty journal. Messages it"
                        + " held are not replayed", file, damaged.getMessage(), aside);
                return aside;
            } catch (FileAlreadyExistsException taken) {
                // another damaged file in the same millisecond: the next suffix
            } catch (IOException e) {
                throw new JournalException("Journal " + file + " is damaged (" + damaged.getMessage()
                        + ") and cannot be moved aside (" + e + "): move or delete it by hand", e);
            }
        }
        throw new JournalException("Journal " + file + " is damaged (" + damaged.getMessage()
                + ") and the names to move it aside are taken: clean up the old " + file.getFileName()
                + ".damaged-* files");
    }

    /** The file could be read but is not a journal (garbage, truncated, another format). */
    private static final class DamagedJournalException extends Exception {

        private static final long serialVersionUID = 1L;

        DamagedJournalException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The persisted counters and the byte total, copied for each operation and adopted after its commit. */
    private static final class Totals {
        long nextId = 1;
        long bytes;
        long droppedForSize;
        long droppedForAge;
        /** Messages appended since open; not persisted. */
        long appended;

        Totals copy() {
            Totals copy = new Totals();
            copy.nextId = nextId;
            copy.bytes = bytes;
            copy.droppedForSize = droppedForSize;
            copy.droppedForAge = droppedForAge;
            copy.appended = appended;
            return copy;
        }
    }

    /** An opened and checked store with its maps and totals. */
    private static final class Opened {
        final MVStore store;
        final MVMap<Long, byte[]> entries;
        final MVMap<String, Long> counters;
        final MVMap<String, Long> meta;
        final Totals totals;

        private Opened(MVStore store) {
            this.store = store;
            this.entries = store.openMap(ENTRIES_MAP,
                    new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                            .valueType(ByteArrayDataType.INSTANCE));
            this.counters = store.openMap(COUNTERS_MAP, longValues());
            this.meta = store.openMap(META_MAP, longValues());
            this.totals = readTotals();
            if (counters.putIfAbsent(FORMAT_KEY, FORMAT) == null) {
                store.commit();
            }
        }

        private static MVMap.Builder<String, Long> longValues() {
            return new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE);
        }

        /** Reads every entry once: checks it can be decoded and sums the bytes. */
        private Totals readTotals() {
            Totals totals = new Totals();
            totals.nextId = counters.getOrDefault(NEXT_ID_KEY, 1L);
            totals.droppedForSize = counters.getOrDefault(DROPPED_FOR_SIZE_KEY, 0L);
            totals.droppedForAge = counters.getOrDefault(DROPPED_FOR_AGE_KEY, 0L);
            Cursor<Long, byte[]> cursor = entries.cursor(null);
            while (cursor.hasNext()) {
                long id = cursor.next();
                byte[] value = cursor.getValue();
                EntryCodec.decode(id, value);
                if (id >= totals.nextId) {
                    throw new IllegalStateException("entry " + id + " is beyond the next id " + totals.nextId);
                }
                totals.bytes += EntryCodec.accountedBytes(value);
            }
            return totals;
        }

        static Opened existing(Path file) throws JournalException, DamagedJournalException {
            MVStore store = openStore(file);
            try {
                checkIsJournal(store);
                return new Opened(store);
            } catch (RuntimeException e) {
                store.closeImmediately();
                throw new DamagedJournalException(e.getMessage(), e);
            }
        }

        static Opened fresh(Path file) throws JournalException {
            MVStore store;
            try {
                store = openStore(file);
            } catch (DamagedJournalException e) {
                throw cannotStartFresh(file, e);
            }
            try {
                return new Opened(store);
            } catch (RuntimeException e) {
                store.closeImmediately();
                throw cannotStartFresh(file, e);
            }
        }

        private static JournalException cannotStartFresh(Path file, Exception e) {
            return new JournalException("Cannot start a fresh journal at " + file + " (" + e.getMessage()
                    + "): check the data folder (permissions, free space)", e);
        }

        /** A valid MVStore file holding other maps is not ours to write into. */
        private static void checkIsJournal(MVStore store) {
            if (store.hasMap(COUNTERS_MAP)) {
                MVMap<String, Long> existing = store.openMap(COUNTERS_MAP, longValues());
                Long format = existing.get(FORMAT_KEY);
                if (format == null || format != FORMAT) {
                    throw new IllegalStateException("journal format " + format + ", this runtime reads " + FORMAT);
                }
            } else if (!store.getMapNames().isEmpty()) {
                throw new IllegalStateException("an MVStore file that is not a journal (maps " + store.getMapNames()
                        + ")");
            }
        }

        private static MVStore openStore(Path file) throws JournalException, DamagedJournalException {
            try {
                MVStore store = new MVStore.Builder()
                        .fileName(file.toString())
                        // no background thread committing at arbitrary times, no commit from inside a put
                        .autoCommitDisabled()
                        .autoCommitBufferSize(0)
                        .open();
                // the version pin decides when space is reused (see the class description)
                store.setRetentionTime(0);
                return store;
            } catch (MVStoreException e) {
                if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                    throw new JournalException("Journal " + file + " is in use by another runtime (its file lock is"
                            + " held): stop the other LineSight runtime, or give each runtime its own data folder",
                            e);
                }
                throw unreadable(file, e);
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
        }

        private static DamagedJournalException unreadable(Path file, RuntimeException e) throws JournalException {
            if (!Files.isRegularFile(file) || !Files.isReadable(file) || !Files.isWritable(file)) {
                throw new JournalException("Journal " + file + " cannot be opened (" + e.getMessage()
                        + "): it must be a regular file this runtime can read and write; check its permissions", e);
            }
            return new DamagedJournalException(e.getMessage(), e);
        }
    }
}
