package io.linesight.fleet.agent;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link PackageDownload} ended.
 *
 * @param outcome  the kind of ending, for code that reacts to it
 * @param file     the verified package when {@code outcome} is {@link Outcome#COMPLETED}, else {@code null}
 * @param reason   for people: what happened, with figures (bytes missing, deadline, each source's last error)
 * @param progress the counters at the end
 */
public record DownloadResult(Outcome outcome, Path file, String reason, DownloadProgress progress) {

    /** The kinds of ending. */
    public enum Outcome {
        /** The package is in place under its final name and its SHA-256 is the manifest's. */
        COMPLETED,
        /** Refused before any request: the manifest's size is above {@link DownloadSettings#maxPackageBytes()}. */
        TOO_LARGE,
        /** Refused before any request: the folder's file store lacks room for the package and the margin. */
        NO_SPACE,
        /**
         * A source served a complete file whose SHA-256 is not the manifest's; the {@code .part} was deleted and
         * that source dropped for this download, and no other source succeeded.
         */
        CHECKSUM_MISMATCH,
        /** Every source refused for good (404, 403, a different size, ...); the {@code .part} is kept. */
        UNAVAILABLE,
        /** The deadline passed while sources kept failing or the transfer was not done; the {@code .part} is kept. */
        DEADLINE_PASSED,
        /** The download folder could not be written or read (disk full, permissions); the {@code .part} is kept. */
        LOCAL_ERROR,
        /** {@link PackageDownload#cancel(boolean)} was called; the {@code .part} is kept unless asked otherwise. */
        CANCELLED
    }

    /** Checks that a completed download names its file. */
    public DownloadResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(progress, "progress");
        if ((outcome == Outcome.COMPLETED) != (file != null)) {
            throw new IllegalArgumentException("a file goes with COMPLETED and only with it");
        }
    }

    /** Whether the package is in place and verified. */
    public boolean completed() {
        return outcome == Outcome.COMPLETED;
    }
}
