package io.linesight.api.watch;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one line's health window stands: the window that opens after the line switches to another model, in which
 * rules (reject rate, inference errors, latency, drift) compare the new model with the one before and roll the line
 * back when one breaks.
 *
 * @param lineId                the line
 * @param model                 the model under watch ({@code name:version}), or empty when no window was opened
 * @param previousModel         the model the line ran before it ({@code name:version}), or empty (none)
 * @param state                 see {@link State}
 * @param frames                frames judged by the model under watch inside the window
 * @param remainingMs           time left until the window closes on time, -1 when it has no time limit or is closed
 * @param rejectRate            share of REJECT among the window's frames
 * @param previousRejectRate    share of REJECT among the previous model's last frames (-1: not known)
 * @param previousFrames        how many of the previous model's frames those figures rest on (0: none)
 * @param inferenceErrors       frames the line dropped because the model threw, inside the window
 * @param latencyP95Ms          95th percentile of the inference stage inside the window, milliseconds
 * @param previousLatencyP95Ms  the same for the previous model's last frames (-1: not known)
 * @param note                  one sentence: why the window is in its state (the broken rule and its figures after a
 *                              rollback), or empty
 * @param updatedAt             when this status was taken
 */
public record HealthWindowStatus(
        String lineId,
        String model,
        String previousModel,
        State state,
        long frames,
        long remainingMs,
        double rejectRate,
        double previousRejectRate,
        long previousFrames,
        long inferenceErrors,
        double latencyP95Ms,
        double previousLatencyP95Ms,
        String note,
        Instant updatedAt) {

    /** Where a line's health window stands. */
    public enum State {
        /** No window: the watch has seen only the line's first model, or the health window rolled the line back to it. */
        NONE,
        /** Open: the rules are applied to every evaluation until the window's frames or time are reached. */
        OPEN,
        /** Closed on its frames or time with every rule kept. */
        PASSED,
        /** A rule broke and the line was rolled back to its previous model ({@link #note} names the rule). */
        ROLLED_BACK,
        /** A rule broke but the rollback was refused or failed ({@link #note} says why); the line keeps the model. */
        ROLLBACK_FAILED,
        /** Closed without action: a newer activation (or rollback) replaced the model under watch. */
        SUPERSEDED
    }

    public HealthWindowStatus {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(previousModel, "previousModel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True while the window is open. */
    public boolean open() {
        return state == State.OPEN;
    }
}
