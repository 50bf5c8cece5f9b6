package io.linesight.sparkplug;

/**
 * A token bucket: {@code perSecond} tokens a second, bursts up to one second's worth. Single-threaded.
 */
final class RateLimit {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    RateLimit(int perSecond, long nowNanos) {
        perNano = perSecond / 1e9;
        capacity = Math.max(1, perSecond);
        tokens = capacity;
        last = nowNanos;
    }

    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whole tokens available now, without taking them. */
    int available(long nowNanos) {
        refill(nowNanos);
        return (int) tokens;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
    }
}
