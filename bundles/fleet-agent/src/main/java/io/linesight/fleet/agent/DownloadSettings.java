package io.linesight.fleet.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds and pacing of a {@link PackageDownload}.
 *
 * @param maxPackageBytes      a package the manifest says is larger is refused before any request
 * @param freeSpaceMarginBytes free space that must remain in the download folder's file store once the package
 *                             is complete (the models, logs and journal of the box live there too)
 * @param bytesPerSecond       the most the copy loop takes from the network, so that the download does not
 *                             saturate a plant link; 0 = unlimited
 * @param readTimeout          the longest wait for the response headers and, while the body flows, for the next
 *                             bytes: a server or link that stays silent longer is taken as stalled and the attempt
 *                             is retried
 * @param initialBackoff       the pause after the first failed round of attempts; it doubles with every further
 *                             failed round, with jitter, up to {@code maxBackoff}, and starts again from here once
 *                             an attempt moves bytes
 * @param maxBackoff           the cap of that pause
 * @param deadline             the whole download, retries and transfers included, gives up after this long
 * @param bufferBytes          the copy buffer: the body is streamed to disk through this one buffer, so memory
 *                             does not grow with the package's size
 * @param freeSpace            how usable space is measured; {@link FreeSpaceProbe#FILE_STORE} except in tests
 */
public record DownloadSettings(long maxPackageBytes, long freeSpaceMarginBytes, long bytesPerSecond,
                               Duration readTimeout, Duration initialBackoff, Duration maxBackoff,
                               Duration deadline, int bufferBytes, FreeSpaceProbe freeSpace) {

    /** Measures the usable space of the file store that holds a folder. */
    @FunctionalInterface
    public interface FreeSpaceProbe {

        /** {@link java.nio.file.FileStore#getUsableSpace()} of the folder's file store. */
        FreeSpaceProbe FILE_STORE = folder -> Files.getFileStore(folder).getUsableSpace();

        /** Bytes this process may still write to the file store of {@code folder}. */
        long usableBytes(Path folder) throws IOException;
    }

    /** Checks the values. */
    public DownloadSettings {
        requireNotNegative("maxPackageBytes", maxPackageBytes);
        requireNotNegative("freeSpaceMarginBytes", freeSpaceMarginBytes);
        requireNotNegative("bytesPerSecond", bytesPerSecond);
        requirePositive("readTimeout", readTimeout);
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("deadline", deadline);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff "
                    + initialBackoff);
        }
        if (bufferBytes < 1024 || bufferBytes > 4 << 20) {
            throw new IllegalArgumentException("bufferBytes must be between 1 KiB and 4 MiB, not " + bufferBytes);
        }
        Objects.requireNonNull(freeSpace, "freeSpace");
    }

    /**
     * 1 GiB at most, 256 MiB margin, unlimited rate, 30 s read timeout, back-off from 1 s to 60 s, 30 min
     * deadline, 64 KiB buffer, the real file store.
     */
    public static DownloadSettings defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settings one at a time; {@link #build()} checks them. */
    public static final class Builder {
        private long maxPackageBytes = 1L << 30;
        private long freeSpaceMarginBytes = 256L << 20;
        private long bytesPerSecond;
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private Duration deadline = Duration.ofMinutes(30);
        private int bufferBytes = 64 << 10;
        private FreeSpaceProbe freeSpace = FreeSpaceProbe.FILE_STORE;

        private Builder() {
        }

        private Builder(DownloadSettings from) {
            maxPackageBytes = from.maxPackageBytes;
            freeSpaceMarginBytes = from.freeSpaceMarginBytes;
            bytesPerSecond = from.bytesPerSecond;
            readTimeout = from.readTimeout;
            initialBackoff = from.initialBackoff;
            maxBackoff = from.maxBackoff;
            deadline = from.deadline;
            bufferBytes = from.bufferBytes;
            freeSpace = from.freeSpace;
        }

        /** See {@link DownloadSettings#maxPackageBytes()}. */
        public Builder maxPackageBytes(long bytes) {
            this.maxPackageBytes = bytes;
            return this;
        }

        /** See {@link DownloadSettings#freeSpaceMarginBytes()}. */
        public Builder freeSpaceMarginBytes(long bytes) {
            this.freeSpaceMarginBytes = bytes;
            return this;
        }

        /** See {@link DownloadSettings#bytesPerSecond()}; 0 = unlimited. */
        public Builder bytesPerSecond(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
            return this;
        }

        /** See {@link DownloadSettings#readTimeout()}. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** See {@link DownloadSettings#initialBackoff()} and {@link DownloadSettings#maxBackoff()}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** See {@link DownloadSettings#deadline()}. */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /** See {@link DownloadSettings#bufferBytes()}. */
        public Builder bufferBytes(int bytes) {
            this.bufferBytes = bytes;
            return this;
        }

        /** See {@link DownloadSettings#freeSpace()}. */
        public Builder freeSpace(FreeSpaceProbe probe) {
            this.freeSpace = probe;
            return this;
        }

        /** The settings. @throws IllegalArgumentException naming the first value out of range */
        public DownloadSettings build() {
            return new DownloadSettings(maxPackageBytes, freeSpaceMarginBytes, bytesPerSecond, readTimeout,
                    initialBackoff, maxBackoff, deadline, bufferBytes, freeSpace);
        }
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, not " + value);
        }
    }
}
