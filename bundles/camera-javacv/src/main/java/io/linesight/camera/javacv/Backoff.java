package io.linesight.camera.javacv;

/**
 * Capped exponential backoff between reconnects: min, 2 min, 4 min, ... up to max, back to min after a
 * connection delivered a picture. Not thread-safe; owned by the grab thread.
 */
final class Backoff {

    private final long minMs;
    private final long maxMs;
    private long nextMs;

    Backoff(long minMs, long maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.nextMs = minMs;
    }

    /** The wait before the next attempt; doubles the one after it, up to the cap. */
    long nextDelayMs() {
        long delay = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return delay;
    }

    /** A connection worked: start again from the minimum. */
    void reset() {
        nextMs = minMs;
    }
}
