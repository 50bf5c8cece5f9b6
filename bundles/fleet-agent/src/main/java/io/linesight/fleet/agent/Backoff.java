package io.linesight.fleet.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between failed rounds of attempts: doubling from an initial pause up to a cap, each drawn at random from
 * its upper half so that boxes of a plant that lost the same link do not all come back in the same second.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The next pause, longer than the one before until the cap. */
    Duration next() {
        long ceiling = (long) Math.min(maxNanos, initialNanos * Math.pow(2, failures));
        if (ceiling < maxNanos) {
            failures++;
        }
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** Back to the initial pause, after an attempt that moved bytes. */
    void reset() {
        failures = 0;
    }
}
