package io.linesight.fleet.agent;

/**
 * Paces the copy loop to a byte rate: tokens accrue at the rate up to a quarter second's worth, each byte taken
 * costs one, and a take that overdraws pauses until the debt is paid. The pause is the caller's, so that a
 * cancellation ends it.
 */
final class TokenBucket {

    /** A pause that ends early, returning {@code false}, when the download is cancelled. */
    @FunctionalInterface
    interface Pause {
        boolean sleep(long nanos);
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final double capacity;
    private final Pause pause;
    private double tokens;
    private long lastRefill;

    /** A bucket for {@code bytesPerSecond}; 0 takes everything at once. */
    TokenBucket(long bytesPerSecond, Pause pause) {
        this.bytesPerSecond = bytesPerSecond;
        this.capacity = Math.max(1.0, bytesPerSecond / 4.0);
        this.pause = pause;
        this.tokens = capacity;
        this.lastRefill = System.nanoTime();
    }

    /** Takes {@code bytes}, pausing if the rate demands it; {@code false} if cancelled during the pause. */
    boolean take(long bytes) {
        if (bytesPerSecond == 0) {
            return true;
        }
        refill();
        tokens -= bytes;
        if (tokens >= 0) {
            return true;
        }
        return pause.sleep((long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond));
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (double) (now - lastRefill) * bytesPerSecond / NANOS_PER_SECOND);
        lastRefill = now;
    }
}
