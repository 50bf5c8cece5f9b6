package io.linesight.line;

import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The counts of one shadow trial. Comparisons and errors are recorded by the trial's thread;
 * offers by the line's inference thread; snapshots are taken by anyone: every method holds the object's lock, and
 * each is a few array writes, so the inference thread never waits long.
 *
 * <p>Overload: of the last {@value #OVERLOAD_WINDOW} frames offered, more than half displaced a frame the candidate
 * had not taken yet. Such a candidate judges a thinning, time-biased sample of the line's frames, and keeps a core
 * busy that the active model needs on a small box.
 */
final class ShadowStatistics {

    static final int OVERLOAD_WINDOW = 200;
    static final double OVERLOAD_SHARE = 0.5;
    /** Latency percentiles cover the last this many judged frames. */
    static final int LATENCY_WINDOW = 256;

    private static final int VERDICTS = Verdict.values().length;

    private final long[] confusion = new long[VERDICTS * VERDICTS];
    private final long[] activeHistogram = new long[ShadowFigures.BINS];
    private final long[] candidateHistogram = new long[ShadowFigures.BINS];
    private final long[] activeLatency = new long[LATENCY_WINDOW];
    private final long[] candidateLatency = new long[LATENCY_WINDOW];
    private final boolean[] displaced = new boolean[OVERLOAD_WINDOW];
    private long offered;
    private int displacedInWindow;
    private long judged;
    private long verdictAgreements;
    private long top1Agreements;
    private long skipped;
    private long errors;

    /** One comparison; returns whether the verdicts agree. */
    synchronized boolean record(Outcome active, Outcome candidate) {
        confusion[active.verdict().ordinal() * VERDICTS + candidate.verdict().ordinal()]++;
        activeHistogram[bin(active.confidence())]++;
        candidateHistogram[bin(candidate.confidence())]++;
        int slot = (int) (judged % LATENCY_WINDOW);
        activeLatency[slot] = active.latencyNanos();
        candidateLatency[slot] = candidate.latencyNanos();
        judged++;
        boolean agree = active.verdict() == candidate.verdict();
        verdictAgreements += agree ? 1 : 0;
        top1Agreements += active.top1().equals(candidate.top1()) ? 1 : 0;
        return agree;
    }

    /** A frame offered to the candidate; {@code displacedOne} when it pushed out one the candidate never took. */
    synchronized void offered(boolean displacedOne) {
        int slot = (int) (offered % OVERLOAD_WINDOW);
        if (offered >= OVERLOAD_WINDOW && displaced[slot]) {
            displacedInWindow--;
        }
        displaced[slot] = displacedOne;
        displacedInWindow += displacedOne ? 1 : 0;
        skipped += displacedOne ? 1 : 0;
        offered++;
    }

    synchronized void error() {
        errors++;
    }

    /** The overload rule (see the class comment), or null while it does not apply. */
    synchronized String overload() {
        if (offered < OVERLOAD_WINDOW || displacedInWindow <= OVERLOAD_SHARE * OVERLOAD_WINDOW) {
            return null;
        }
        return "overload: the candidate missed " + displacedInWindow + " of the last " + OVERLOAD_WINDOW
                + " frames (more than " + Math.round(OVERLOAD_SHARE * 100) + " %); it is too slow for this line's frame rate";
    }

    /** The counts as they stand, for {@link ShadowFigures}. */
    synchronized Snapshot snapshot() {
        int n = (int) Math.min(judged, LATENCY_WINDOW);
        return new Snapshot(judged, skipped, share(verdictAgreements), share(top1Agreements), boxed(confusion),
                boxed(activeHistogram), boxed(candidateHistogram), percentileMs(activeLatency, n, 50),
                percentileMs(activeLatency, n, 95), percentileMs(candidateLatency, n, 50),
                percentileMs(candidateLatency, n, 95), errors);
    }

    /** What one model said about one frame, reduced to what the trial compares. */
    record Outcome(Verdict verdict, String top1, float confidence, long latencyNanos) {
    }

    /** The counts at one moment. */
    record Snapshot(long judged, long skipped, double verdictAgreement, double top1Agreement, List<Long> confusion,
                    List<Long> activeHistogram, List<Long> candidateHistogram, double activeP50Ms, double activeP95Ms,
                    double candidateP50Ms, double candidateP95Ms, long errors) {

        double latencyRatio() {
            return activeP95Ms <= 0 || candidateP95Ms <= 0 ? 0 : candidateP95Ms / activeP95Ms;
        }
    }

    private double share(long count) {
        return judged == 0 ? 0 : (double) count / judged;
    }

    /** Bin of a confidence in [0, 1]: 0.1 wide, 1.0 in the last; anything outside is clamped. */
    static int bin(float confidence) {
        int bin = (int) (confidence * ShadowFigures.BINS);
        return Math.max(0, Math.min(ShadowFigures.BINS - 1, bin));
    }

    private static double percentileMs(long[] window, int n, double percentile) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(window, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }

    private static List<Long> boxed(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }
}
