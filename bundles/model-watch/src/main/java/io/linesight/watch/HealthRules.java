package io.linesight.watch;

import io.linesight.api.watch.DriftFigures;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of the health window, as pure functions of the window's figures and the previous model's. Each returns the
 * broken rule with a reason that names it and its figures (it becomes the history entry's reason, the event and the
 * log line), or nothing. A rule that is off, or that lacks the frames it needs, is kept.
 */
final class HealthRules {

    /** A broken rule: its short name and the sentence that says why, figures included. */
    record Breach(String rule, String reason) {
    }

    /** What the rules look at for one evaluation. */
    record Evidence(ModelFrames.Figures window, ModelFrames.Figures previous, long inferenceErrors,
                    DriftFigures drift) {
    }

    private final HealthSettings settings;

    HealthRules(HealthSettings settings) {
        this.settings = settings;
    }

    /** The first broken rule, in the order errors, reject rate, latency, drift. */
    Optional<Breach> firstBroken(Evidence e) {
        return inferenceErrors(e).or(() -> rejectRate(e)).or(() -> latency(e)).or(() -> drift(e));
    }

    /**
     * The rules that compare with the previous model and cannot, because its figures rest on too few frames (none for
     * the first model of a line): "reject rate and latency", "latency", ... or empty when every rule that is on can.
     */
    String skippedComparisons(ModelFrames.Figures previous) {
        boolean reject = settings.rejectRuleOn() && previous.frames() < settings.minFramesForRejectRule();
        boolean latency = settings.latencyRuleOn() && previous.frames() < HealthSettings.MIN_FRAMES_FOR_LATENCY_RULE;
        return reject && latency ? "reject rate and latency" : reject ? "reject rate" : latency ? "latency" : "";
    }

    Optional<Breach> inferenceErrors(Evidence e) {
        if (!settings.errorRuleOn() || e.inferenceErrors() <= settings.maxInferenceErrors()) {
            return Optional.empty();
        }
        return breach("inference errors", "%d inference errors > %d allowed, after %d judged frames",
                e.inferenceErrors(), settings.maxInferenceErrors(), e.window().frames());
    }

    Optional<Breach> rejectRate(Evidence e) {
        int needed = settings.minFramesForRejectRule();
        if (!settings.rejectRuleOn() || e.window().frames() < needed || e.previous().frames() < needed) {
            return Optional.empty();
        }
        double now = e.window().rejectRate();
        double before = e.previous().rejectRate();
        if (now <= settings.maxRejectRateRatio() * before || now <= before + settings.minRejectRateIncrease()) {
            return Optional.empty();
        }
        return breach("reject rate", "reject rate %.3f > %.1f x previous %.3f (and > previous + %.3f) over %d frames",
                now, settings.maxRejectRateRatio(), before, settings.minRejectRateIncrease(), e.window().frames());
    }

    Optional<Breach> latency(Evidence e) {
        int needed = HealthSettings.MIN_FRAMES_FOR_LATENCY_RULE;
        if (!settings.latencyRuleOn() || e.window().frames() < needed || e.previous().frames() < needed) {
            return Optional.empty();
        }
        double now = e.window().latencyP95Ms();
        double before = e.previous().latencyP95Ms();
        if (now <= settings.maxLatencyRatio() * before) {
            return Optional.empty();
        }
        return breach("latency", "inference latency p95 %.2f ms > %.1f x previous %.2f ms over %d frames",
                now, settings.maxLatencyRatio(), before, e.window().frames());
    }

    /** The drift watch's figures must be for the model under watch: the caller passes null otherwise. */
    Optional<Breach> drift(Evidence e) {
        DriftFigures d = e.drift();
        if (!settings.rollbackOnDrift() || d == null || d.state() != DriftFigures.State.DRIFTING) {
            return Optional.empty();
        }
        return breach("drift", "the drift watch reports drift (confidence PSI %.3f, KS %.3f, verdict PSI %.3f, class"
                + " PSI %.3f) after %d judged frames", d.confidencePsi(), d.confidenceKs(), d.verdictPsi(), d.classPsi(),
                e.window().frames());
    }

    private static Optional<Breach> breach(String rule, String format, Object... figures) {
        return Optional.of(new Breach(rule, "health window: " + String.format(Locale.ROOT, format, figures)));
    }
}
