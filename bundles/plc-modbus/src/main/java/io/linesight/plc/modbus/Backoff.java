package io.linesight.plc.modbus;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: the delay before the next connect attempt starts at {@code minMs}, doubles
 * with every consecutive failure up to {@code maxMs}, and is then shortened by up to a fifth at random, so the
 * boxes of a plant that lost the same PLC network do not knock on it in step. With the defaults (200 ms up to
 * 1 s) a PLC that comes back is reached within about a second; a PLC takes one connection attempt per second
 * without harm.
 */
record Backoff(long minMs, long maxMs) {

    /** Share of the delay that jitter may take off. */
    static final double JITTER = 0.2;

    /** Delay after {@code failures} consecutive failed attempts (1 or more), jittered. */
    long delayMs(int failures) {
        return delayMs(failures, ThreadLocalRandom.current().nextDouble());
    }

    /** Delay after {@code failures} failures for a random {@code draw} in [0, 1): never above the cap. */
    long delayMs(int failures, double draw) {
        long delay = minMs;
        for (int i = 1; i < failures && delay < maxMs; i++) {
            delay *= 2;
        }
        long capped = Math.min(delay, maxMs);
        return Math.max(1, Math.round(capped * (1 - JITTER * draw)));
    }
}
