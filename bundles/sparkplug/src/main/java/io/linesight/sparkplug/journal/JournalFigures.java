package io.linesight.sparkplug.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link MessageJournal} holds and has done, a snapshot taken after its last operation.
 *
 * @param entries messages held
 * @param bytes their size as counted against {@link JournalSettings#maxBytes()}
 * @param appended messages appended since the journal was opened
 * @param droppedForSize messages dropped, oldest first, to stay within {@code maxBytes}; cumulative over the
 *     journal file's life (persisted)
 * @param droppedForAge messages dropped because they were older than {@code maxAge}; cumulative, persisted
 * @param oldest the timestamp of the oldest entry held (the next to be replayed), empty when the journal is empty
 * @param fileBytes the size of the journal file
 * @param recoveredFrom where a damaged journal file was moved at open (this journal started empty): the caller
 *     raises an alarm; empty when the file opened normally
 */
public record JournalFigures(long entries, long bytes, long appended, long droppedForSize, long droppedForAge,
        Optional<Instant> oldest, long fileBytes, Optional<String> recoveredFrom) {

    public JournalFigures {
        Objects.requireNonNull(oldest, "oldest");
        Objects.requireNonNull(recoveredFrom, "recoveredFrom");
    }
}
