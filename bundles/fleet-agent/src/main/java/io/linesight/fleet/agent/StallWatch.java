package io.linesight.fleet.agent;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that leaves a read waiting longer than the read timeout, or that is still open when the
 * download's deadline passes. Only time spent inside a read counts as silence: the rate limit's pauses between
 * reads are ours, not the server's. The JDK's HTTP client has no timeout for body reads, and a blocked read returns
 * only when its stream is closed (an interrupt does not end it), so this is what turns a stalled plant link into a
 * failed attempt. It checks on the JDK's shared delay thread: the bundle starts no thread of its own.
 */
final class StallWatch implements AutoCloseable {

    /** Why the watch closed the stream. */
    enum Trip { NONE, STALLED, DEADLINE }

    private static final long MAX_CHECK_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_CHECK_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Closeable stream;
    private final long timeoutNanos;
    private final long deadlineNanos;
    private final long periodNanos;
    private volatile long readSinceNanos;
    private volatile boolean reading;
    private volatile boolean closed;
    private volatile Trip trip = Trip.NONE;

    private StallWatch(Closeable stream, Duration timeout, long deadlineNanos) {
        this.stream = stream;
        this.timeoutNanos = timeout.toNanos();
        this.deadlineNanos = deadlineNanos;
        this.periodNanos = Math.max(MIN_CHECK_PERIOD_NANOS, Math.min(MAX_CHECK_PERIOD_NANOS, timeoutNanos / 4));
    }

    /** Starts watching {@code stream}. */
    static StallWatch start(Closeable stream, Duration timeout, long deadlineNanos) {
        StallWatch watch = new StallWatch(stream, timeout, deadlineNanos);
        watch.schedule();
        return watch;
    }

    /** Notes that a read begins: the server has the read timeout from now to send something. */
    void readStarts() {
        readSinceNanos = System.nanoTime();
        reading = true;
    }

    /** Notes that the read returned. */
    void readEnded() {
        reading = false;
    }

    /** Why the stream was closed by this watch, {@link Trip#NONE} if it was not. */
    Trip trip() {
        return trip;
    }

    /** Stops watching (the next check does nothing). */
    @Override
    public void close() {
        closed = true;
    }

    private void check() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (now - deadlineNanos >= 0) {
            closeStream(Trip.DEADLINE);
        } else if (reading && now - readSinceNanos >= timeoutNanos) {
            closeStream(Trip.STALLED);
        } else {
            schedule();
        }
    }

    private void closeStream(Trip reason) {
        trip = reason;
        try {
            stream.close();
        } catch (IOException e) {
            // the reader fails either way, which is all this is for
        }
    }

    private void schedule() {
        CompletableFuture.delayedExecutor(periodNanos, TimeUnit.NANOSECONDS).execute(this::check);
    }
}
