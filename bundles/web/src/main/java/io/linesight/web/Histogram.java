package io.linesight.web;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram: lock-free {@link #observe}, so the line's inference thread never waits. */
final class Histogram {

    private final double[] boundsSeconds;
    /** One count per bucket (not cumulative) plus one for values above the last bound. */
    private final AtomicLongArray counts;
    private final DoubleAdder sumSeconds = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    Histogram(double[] boundsMs) {
        boundsSeconds = new double[boundsMs.length];
        for (int i = 0; i < boundsMs.length; i++) {
            boundsSeconds[i] = boundsMs[i] / 1000.0;
        }
        counts = new AtomicLongArray(boundsMs.length + 1);
    }

    void observeNanos(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int i = 0;
        while (i < boundsSeconds.length && seconds > boundsSeconds[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumSeconds.add(seconds);
        count.increment();
    }

    /** A consistent-enough copy for one scrape: cumulative bucket counts, the +Inf bucket equals {@code count}. */
    Snapshot snapshot() {
        long[] cumulative = new long[counts.length()];
        long running = 0;
        for (int i = 0; i < cumulative.length; i++) {
            running += counts.get(i);
            cumulative[i] = running;
        }
        return new Snapshot(boundsSeconds.clone(), cumulative, sumSeconds.sum());
    }

    /**
     * @param boundsSeconds upper bounds, without +Inf
     * @param cumulative    one more entry than bounds: the last is +Inf (the count)
     * @param sumSeconds    sum of the observations
     */
    record Snapshot(double[] boundsSeconds, long[] cumulative, double sumSeconds) {
        long count() {
            return cumulative[cumulative.length - 1];
        }
    }
}
