package io.linesight.api.model;

/**
 * What a model said about one frame: a {@link Classification} or a {@link Detections}. Immutable.
 */
public sealed interface InferenceResult permits Classification, Detections {

    /** Time spent turning the frame into the model's input tensor, in nanoseconds. */
    long preprocessNanos();

    /** Time spent inside the inference engine, in nanoseconds. */
    long inferenceNanos();

    /** Time spent turning the output tensors into this result, in nanoseconds. */
    long postprocessNanos();
}
