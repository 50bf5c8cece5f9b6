package io.linesight.line;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a shadow trial's candidate is ready to be promoted: at least {@code minFrames} judged by both models, verdict
 * agreement of at least {@code minVerdictAgreement}, candidate p95 latency at most {@code maxLatencyRatio} times the
 * active model's, and no error. {@code autoPromote} lets the model deployment promote as soon as it holds; otherwise
 * the trial only reports READY_TO_PROMOTE. Pure.
 */
record ShadowRule(long minFrames, double minVerdictAgreement, double maxLatencyRatio, boolean autoPromote) {

    /** What still lacks, in words ("" when the rule holds). */
    String unmet(long frames, double verdictAgreement, double latencyRatio, long errors) {
        List<String> lacking = new ArrayList<>();
        if (frames < minFrames) {
            lacking.add(frames + " of " + minFrames + " frames");
        }
        if (frames > 0 && verdictAgreement < minVerdictAgreement) {
            lacking.add(String.format(Locale.ROOT, "verdict agreement %.4f < %.4f", verdictAgreement, minVerdictAgreement));
        }
        if (latencyRatio > maxLatencyRatio) {
            lacking.add(String.format(Locale.ROOT, "latency ratio %.2f > %.2f", latencyRatio, maxLatencyRatio));
        }
        if (errors > 0) {
            lacking.add(errors + " error" + (errors == 1 ? "" : "s"));
        }
        return String.join("; ", lacking);
    }

    String describe() {
        return String.format(Locale.ROOT, "frames >= %d, verdict agreement >= %.4f, latency p95 ratio <= %.2f, no error%s",
                minFrames, minVerdictAgreement, maxLatencyRatio, autoPromote ? ", promoted automatically" : "");
    }
}
