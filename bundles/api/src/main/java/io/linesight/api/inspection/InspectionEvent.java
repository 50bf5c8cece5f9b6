package io.linesight.api.inspection;

import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * One inspected frame: which frame, which model, what it said, what the line decided, and how long it
 * took. Immutable; carries no pixels, so sinks can keep it cheaply.
 *
 * @param lineId       the line that inspected it
 * @param sourceId     the camera that took the frame
 * @param sequence     the frame's sequence number at its source
 * @param captureNanos capture instant on the monotonic clock (deadline arithmetic, e.g. eject timing)
 * @param captureTime  capture instant on the wall clock (timestamps for people and SCADA)
 * @param model        the model that judged the frame
 * @param result       what the model said
 * @param verdict      what the line decided
 * @param reason       why, in words (for example "defect 0.93 >= 0.50")
 * @param latencies    time spent in each stage
 * @param truth        ground truth known to a simulated source, or {@code null}
 */
public record InspectionEvent(
        String lineId,
        String sourceId,
        long sequence,
        long captureNanos,
        Instant captureTime,
        ModelInfo model,
        InferenceResult result,
        Verdict verdict,
        String reason,
        StageLatencies latencies,
        String truth) {

    public InspectionEvent {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(captureTime, "captureTime");
    }
}
