package io.linesight.api.inspection;

/**
 * A running inspection line, published as an OSGi service with the service property
 * {@value #LINE_ID}, so the console, SCADA and the web can list and query lines.
 */
@org.osgi.annotation.versioning.ProviderType
public interface InspectionLine {

    /** Service property naming the line; unique within a runtime. */
    String LINE_ID = "line.id";

    /** The value of {@value #LINE_ID}. */
    String id();

    /** A snapshot of the line now; cheap, never blocks on the inference thread. */
    LineStatus status();

    /** Sets every counter back to zero (an operator's command); the line keeps running. */
    void resetCounters();

    /**
     * The model package folder the line's configuration names ({@code model.package}, resolved), or empty while
     * the line has no valid configuration. The model deployment reads it when the line appears and whenever the
     * line's service properties change, and makes it an activation (provenance {@code config}); the line itself
     * never loads it.
     */
    default java.util.Optional<java.nio.file.Path> configuredPackage() {
        return java.util.Optional.empty();
    }

    /**
     * The model deployment could not give the line a model it may run (its configured package is refused, every
     * model in its history is untrusted or missing). Shown in the line's state while the line has no model; a line
     * that has one keeps it.
     */
    default void modelUnavailable(String problem) {
    }

    /**
     * Makes {@code model} the line's model, atomically between two frames: every frame is judged entirely
     * by the old model or entirely by the new one. The line takes ownership of {@code model}; the model it
     * replaces is closed as soon as its last frame in flight is done. Called by the model deployment after
     * the model passed its gate, never on the line's inference thread.
     *
     * @param model  a loaded model, not used by anyone else
     * @param origin where it comes from, for the log (e.g. {@code repository defect-mobilenetv2@0.3.0})
     * @return identity of the model replaced, empty if the line had none
     * @throws IllegalArgumentException if the model cannot judge for this line (e.g. knows none of its
     *                                  reject classes); the model is closed and the line keeps its model
     */
    java.util.Optional<io.linesight.api.model.ModelInfo> installModel(io.linesight.api.model.LoadedModel model,
                                                                     String origin);
    /**
     * Starts a shadow trial: {@code candidate} judges the same live frames as the active model, on a thread of its
     * own, after the active verdict was published, and never reaches a sink or an output. The active path never waits
     * for it: frames the candidate cannot take in time are counted as skipped. A candidate that throws, answers NaN
     * or falls too far behind stops the trial (not the line). A trial already running is stopped first. The line takes
     * ownership of {@code candidate} and closes it when the trial ends. Called by the model deployment after the
     * candidate passed its gate, never on the line's inference thread.
     *
     * @param candidate a loaded model, not used by anyone else
     * @param origin    where it comes from, for the log (e.g. {@code repository defect-mobilenetv2@0.3.0})
     * @throws IllegalArgumentException      if the candidate cannot judge for this line (knows none of its reject
     *                                       classes); the candidate is closed
     * @throws IllegalStateException         if the line has no active model to compare with or is not running; the
     *                                       candidate is closed
     * @throws UnsupportedOperationException if this line cannot run trials; the candidate is closed
     */
    default void startShadow(io.linesight.api.model.LoadedModel candidate, String origin) {
        candidate.close();
        throw new UnsupportedOperationException("line " + id() + " cannot run shadow trials");
    }

    /**
     * Stops the running shadow trial, if any, and closes its candidate; the figures stay readable as STOPPED.
     *
     * @param why for the figures and the log (e.g. {@code stopped by console})
     * @return the trial's last figures, empty when no trial was running
     */
    default java.util.Optional<ShadowFigures> stopShadow(String why) {
        return java.util.Optional.empty();
    }

    /** The figures of the running shadow trial, or of the last one; empty when the line never ran one. */
    default java.util.Optional<ShadowFigures> shadow() {
        return java.util.Optional.empty();
    }
}
