package io.linesight.web;

import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.Verdict;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters and histograms of one line since this bundle started. Verdicts and latencies come from
 * the inspection events; drops only exist in the line's counters, so they are followed as a
 * {@link MonotonicCounter} (a counter reset does not make them go down).
 */
final class LineMetrics {

    private final Map<Verdict, LongAdder> verdicts = new EnumMap<>(Verdict.class);
    private final Map<DropCause, MonotonicCounter> drops = new EnumMap<>(DropCause.class);
    private final Histogram total;
    private final Histogram inference;

    LineMetrics(double[] bucketsMs) {
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, new LongAdder());
        }
        for (DropCause c : DropCause.values()) {
            drops.put(c, new MonotonicCounter());
        }
        total = new Histogram(bucketsMs);
        inference = new Histogram(bucketsMs);
    }

    void record(InspectionEvent event) {
        verdicts.get(event.verdict()).increment();
        if (event.latencies() != null) {
            total.observeNanos(event.latencies().totalNanos());
            inference.observeNanos(event.latencies().inferenceNanos());
        }
    }

    void follow(LineCounters counters) {
        counters.dropped().forEach((cause, n) -> drops.get(cause).update(n));
    }

    long verdicts(Verdict v) {
        return verdicts.get(v).sum();
    }

    long inspected() {
        long sum = 0;
        for (LongAdder a : verdicts.values()) {
            sum += a.sum();
        }
        return sum;
    }

    long drops(DropCause cause) {
        return drops.get(cause).value();
    }

    Histogram.Snapshot totalLatency() {
        return total.snapshot();
    }

    Histogram.Snapshot inferenceLatency() {
        return inference.snapshot();
    }
}
