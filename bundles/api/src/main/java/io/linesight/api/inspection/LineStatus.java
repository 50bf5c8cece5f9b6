package io.linesight.api.inspection;

import io.linesight.api.frame.SourceState;
import io.linesight.api.model.ModelInfo;
import java.time.Instant;
import java.util.Optional;

/**
 * A consistent snapshot of one line, taken after a frame was judged or when the line's state changed.
 *
 * @param lineId          the line
 * @param state           what the line is doing
 * @param stateDetail     why (for FAULT: what is wrong and what to do); may be empty
 * @param sourceId        the id of the camera the line is bound to (its target filter while unbound)
 * @param sourceState     what the camera is doing
 * @param model           the active model, if one is loaded
 * @param counters        counts since start or reset
 * @param framesPerSecond inspected frames per second over the last few seconds
 * @param latencyP50Ms    median capture-to-verdict latency over the recent window, milliseconds
 * @param latencyP95Ms    95th percentile of the same, milliseconds
 * @param lastVerdict     the most recent verdict, if any
 * @param taken           when the snapshot was taken
 */
public record LineStatus(
        String lineId,
        LineState state,
        String stateDetail,
        String sourceId,
        SourceState sourceState,
        Optional<ModelInfo> model,
        LineCounters counters,
        double framesPerSecond,
        double latencyP50Ms,
        double latencyP95Ms,
        Optional<Verdict> lastVerdict,
        Instant taken) {
}
