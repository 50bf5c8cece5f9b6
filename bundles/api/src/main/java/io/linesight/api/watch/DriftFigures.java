package io.linesight.api.watch;

import java.time.Instant;
import java.util.Objects;

/**
 * One line's drift, as last evaluated.
 *
 * @param lineId              the line
 * @param model               the active model ("name:version") the windows belong to
 * @param state               LEARNING until both windows are full, then STABLE or DRIFTING
 * @param referenceFrames     frames in the reference window (the first judged after the activation)
 * @param windowFrames        frames in the rolling window (the latest judged)
 * @param confidencePsi       population stability index of the top-1 confidence, window against reference
 * @param confidenceKs        two-sample Kolmogorov-Smirnov statistic of the top-1 confidence
 * @param verdictPsi          population stability index of the verdict shares (PASS, REJECT, REVIEW)
 * @param classPsi            population stability index of the top-1 class shares (classifier: its best class;
 *                            detector: the class of its most confident object, or none)
 * @param referenceRejectRate share of REJECT in the reference window
 * @param windowRejectRate    share of REJECT in the rolling window
 * @param evaluatedAt         when these figures were computed
 */
public record DriftFigures(
        String lineId,
        String model,
        State state,
        int referenceFrames,
        int windowFrames,
        double confidencePsi,
        double confidenceKs,
        double verdictPsi,
        double classPsi,
        double referenceRejectRate,
        double windowRejectRate,
        Instant evaluatedAt) {

    /** Where a line's drift watch stands. */
    public enum State {
        /** Still filling its windows after an activation: no figures yet (they read 0). */
        LEARNING,
        /** Both windows full, every figure below its threshold. */
        STABLE,
        /** A figure at or above its threshold: the alarm MODEL_DRIFT is raised. */
        DRIFTING
    }

    public DriftFigures {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
    }
}
