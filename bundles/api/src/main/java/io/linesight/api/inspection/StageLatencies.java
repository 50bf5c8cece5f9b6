package io.linesight.api.inspection;

/**
 * How long each stage took for one frame, in nanoseconds.
 *
 * @param queueNanos       from capture until the inference thread took the frame
 * @param preprocessNanos  frame to input tensor
 * @param inferenceNanos   inside the inference engine
 * @param postprocessNanos output tensors to result
 * @param decisionNanos    result to verdict
 * @param totalNanos       from capture to verdict
 */
public record StageLatencies(
        long queueNanos,
        long preprocessNanos,
        long inferenceNanos,
        long postprocessNanos,
        long decisionNanos,
        long totalNanos) {
}
