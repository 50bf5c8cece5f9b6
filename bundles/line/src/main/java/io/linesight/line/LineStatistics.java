package io.linesight.line;

import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.Verdict;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters, frame rate and latency percentiles of one line. Verdicts and latencies are recorded by the
 * inference thread; drops may be recorded by the camera thread too, so every counter is atomic. Frame
 * rate and percentiles cover a recent window (the last {@value #WINDOW} inspections).
 */
final class LineStatistics {

    static final int WINDOW = 256;
    /** Frame rate is measured over at most this span, so a stall shows quickly as a falling rate. */
    private static final long RATE_SPAN_NANOS = 5_000_000_000L;

    private final Map<Verdict, AtomicLong> verdicts = new EnumMap<>(Verdict.class);
    private final Map<DropCause, AtomicLong> drops = new EnumMap<>(DropCause.class);
    private final long[] latencies = new long[WINDOW];
    private final long[] completions = new long[WINDOW];
    /** Inspections recorded since the last reset: a long, so 100 frames/s run for 2.9 billion years, not 248 days. */
    private long recorded;

    LineStatistics() {
        this(0);
    }

    /** Statistics whose window position starts at {@code recorded} (tests: a counter near the int limit). */
    LineStatistics(long recorded) {
        this.recorded = recorded;
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, new AtomicLong());
        }
        for (DropCause c : DropCause.values()) {
            drops.put(c, new AtomicLong());
        }
    }

    void recordDrop(DropCause cause) {
        drops.get(cause).incrementAndGet();
    }

    /** Frame rate and latency percentiles at one instant. */
    record Rates(double framesPerSecond, double latencyP50Ms, double latencyP95Ms, long atNanos) {
    }

    /** How long {@link #rates} may hand out the same figures: a status per frame must not sort the window per frame. */
    static final long RATES_MAX_AGE_NANOS = 200_000_000L;
    private volatile Rates rates = new Rates(0, 0, 0, Long.MIN_VALUE / 2);

    /** The frame rate and percentiles, computed again when the last ones are older than 200 ms. */
    Rates rates(long nowNanos) {
        Rates current = rates;
        if (nowNanos - current.atNanos() < RATES_MAX_AGE_NANOS) {
            return current;
        }
        Rates fresh = new Rates(framesPerSecond(nowNanos), latencyPercentileMs(50), latencyPercentileMs(95), nowNanos);
        rates = fresh;
        return fresh;
    }

    synchronized void recordInspection(Verdict verdict, long totalLatencyNanos, long completedAtNanos) {
        verdicts.get(verdict).incrementAndGet();
        int slot = (int) (recorded % WINDOW);
        latencies[slot] = totalLatencyNanos;
        completions[slot] = completedAtNanos;
        recorded++;
    }

    LineCounters counters() {
        Map<DropCause, Long> dropped = new EnumMap<>(DropCause.class);
        drops.forEach((cause, count) -> dropped.put(cause, count.get()));
        return new LineCounters(verdicts.get(Verdict.PASS).get(), verdicts.get(Verdict.REJECT).get(),
                verdicts.get(Verdict.REVIEW).get(), dropped);
    }

    /** Inspections per second over the recent window; 0 once the last inspection is older than the span. */
    synchronized double framesPerSecond(long nowNanos) {
        int n = (int) Math.min(recorded, WINDOW);
        if (n < 2) {
            return 0;
        }
        long newest = completions[(int) ((recorded - 1) % WINDOW)];
        if (nowNanos - newest > RATE_SPAN_NANOS) {
            return 0;
        }
        int counted = 1;
        long oldest = newest;
        for (int i = 1; i < n; i++) {
            long t = completions[(int) ((recorded - 1 - i) % WINDOW)];
            if (newest - t > RATE_SPAN_NANOS) {
                break;
            }
            oldest = t;
            counted++;
        }
        return counted < 2 || newest == oldest ? 0 : (counted - 1) * 1e9 / (newest - oldest);
    }

    /** The given percentile (0..100) of recent capture-to-verdict latencies, in milliseconds. */
    synchronized double latencyPercentileMs(double percentile) {
        int n = (int) Math.min(recorded, WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }

    synchronized void reset() {
        rates = new Rates(0, 0, 0, Long.MIN_VALUE / 2);
        verdicts.values().forEach(c -> c.set(0));
        drops.values().forEach(c -> c.set(0));
        recorded = 0;
    }
}
