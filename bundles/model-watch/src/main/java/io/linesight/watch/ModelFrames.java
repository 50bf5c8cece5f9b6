package io.linesight.watch;

import java.util.Arrays;

/**
 * The latest frames of one model on one line, as much as the health rules need of each: rejected or not, and the
 * time of the inference stage. A fixed ring: nothing grows with the frames. Not thread-safe; its owner
 * ({@link LineHealth}) guards it.
 */
final class ModelFrames {

    /** What the rules compare: how many frames, their reject share, and the p95 of their inference latency. */
    record Figures(int frames, double rejectRate, double latencyP95Ms) {
        static final Figures NONE = new Figures(0, 0, 0);
    }

    private final boolean[] rejected;
    private final long[] inferenceNanos;
    private int count;
    private int next;

    ModelFrames(int capacity) {
        rejected = new boolean[capacity];
        inferenceNanos = new long[capacity];
    }

    void add(boolean reject, long nanos) {
        rejected[next] = reject;
        inferenceNanos[next] = nanos;
        next = (next + 1) % rejected.length;
        count = Math.min(count + 1, rejected.length);
    }

    int count() {
        return count;
    }

    boolean full() {
        return count == rejected.length;
    }

    void clear() {
        count = 0;
        next = 0;
    }

    /** The figures of the frames held; {@link Figures#NONE} when there are none. */
    Figures figures() {
        if (count == 0) {
            return Figures.NONE;
        }
        int rejects = 0;
        for (int i = 0; i < count; i++) {
            rejects += rejected[i] ? 1 : 0;
        }
        return new Figures(count, rejects / (double) count, p95(Arrays.copyOf(inferenceNanos, count)) / 1e6);
    }

    /** Nearest-rank 95th percentile (the value at or below which 95 % of the frames lie). */
    static long p95(long[] values) {
        Arrays.sort(values);
        int rank = (int) Math.ceil(0.95 * values.length);
        return values[Math.max(0, rank - 1)];
    }
}
