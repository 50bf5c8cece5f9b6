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
}
