package io.linesight.sparkplug.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds and the fsync policy of a {@link MessageJournal}.
 *
 * @param maxBytes the most the journal holds, counted as {@link MessageJournal#accountedBytes}: payload and device
 *     id bytes plus {@link MessageJournal#ENTRY_OVERHEAD_BYTES} per entry; beyond it the oldest entries are dropped
 * @param maxAge entries whose timestamp is older than now minus this are dropped, never replayed
 * @param fsyncInterval the longest time acknowledged appends stay written to the OS but not forced to the disk, so
 *     what a power cut can lose ({@link Duration#ZERO}: every append is forced before it returns); holds while the
 *     owner calls {@link MessageJournal#syncIfDue()} when idle. The journal also forces after 256 commits, sooner
 */
public record JournalSettings(long maxBytes, Duration maxAge, Duration fsyncInterval) {

    public JournalSettings {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        if (fsyncInterval.isNegative()) {
            throw new IllegalArgumentException("fsyncInterval must be zero (fsync every append) or positive, was "
                    + fsyncInterval);
        }
        try {
            maxAge.toMillis();
            fsyncInterval.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("maxAge or fsyncInterval too long to count: " + maxAge + ", "
                    + fsyncInterval, e);
        }
    }
}
