package io.linesight.plc.modbus;

/**
 * Capped exponential backoff: the delay before the next connect attempt starts at {@code minMs} and
 * doubles with every consecutive failure, never exceeding {@code maxMs}.
 */
record Backoff(long minMs, long maxMs) {

    /** Delay after {@code failures} consecutive failed attempts (1 or more). */
    long delayMs(int failures) {
        long delay = minMs;
        for (int i = 1; i < failures && delay < maxMs; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMs);
    }
}
