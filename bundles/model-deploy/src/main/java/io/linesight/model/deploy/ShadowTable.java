package io.linesight.model.deploy;

import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.Verdict;
import java.util.List;
import java.util.Locale;

/** A shadow trial's figures as console text: summary, rule, confusion matrix, histograms. Pure formatting. */
final class ShadowTable {

    private ShadowTable() {
    }

    static String figures(ShadowFigures f) {
        StringBuilder out = new StringBuilder();
        out.append("Line '").append(f.lineId()).append("': shadow trial of ").append(f.candidate().displayName())
                .append(" beside active ").append(f.active() == null ? "none" : f.active().displayName())
                .append(", started ").append(DeployTables.TIME.format(f.startedAt())).append('\n');
        out.append("State:    ").append(f.state()).append(f.stopReason().isEmpty() ? "" : " (" + f.stopReason() + ")")
                .append('\n');
        out.append("Figures:  ").append(f.summary()).append(", ").append(f.disagreementsSaved())
                .append(" disagreements saved\n");
        out.append(String.format(Locale.ROOT, "Latency:  candidate p50 %.1f / p95 %.1f ms, active p50 %.1f / p95 %.1f ms%n",
                f.candidateLatencyP50Ms(), f.candidateLatencyP95Ms(), f.activeLatencyP50Ms(), f.activeLatencyP95Ms()));
        out.append("Rule:     ").append(f.rule()).append(f.unmet().isEmpty() ? " - holds" : " - lacks " + f.unmet())
                .append('\n');
        out.append(confusion(f));
        out.append("Confidence (top-1, 10 bins from 0 to 1):\n");
        out.append("  active    ").append(bins(f.activeConfidence())).append('\n');
        out.append("  candidate ").append(bins(f.candidateConfidence())).append('\n');
        if (f.state() == ShadowFigures.State.READY_TO_PROMOTE) {
            out.append("Ready: model:promote ").append(f.lineId()).append('\n');
        }
        return out.toString();
    }

    /** Rows: the active model's verdict; columns: the candidate's. */
    private static String confusion(ShadowFigures f) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-18s", "active \\ candidate"));
        for (Verdict c : Verdict.values()) {
            out.append(String.format(Locale.ROOT, "%10s", c));
        }
        out.append('\n');
        for (Verdict a : Verdict.values()) {
            out.append(String.format(Locale.ROOT, "%-18s", a));
            for (Verdict c : Verdict.values()) {
                out.append(String.format(Locale.ROOT, "%10d", f.confusion(a, c)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String bins(List<Long> counts) {
        StringBuilder out = new StringBuilder();
        for (Long n : counts) {
            out.append(String.format(Locale.ROOT, "%7d", n));
        }
        return out.toString();
    }
}
