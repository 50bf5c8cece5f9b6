package io.linesight.line;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.LineState;
import io.linesight.api.model.ModelInfo;
import java.util.Optional;

/**
 * What a line is doing, why, and with which camera and model: the slow-changing part of its status, one immutable
 * record replaced whenever one of its conditions changes (camera, model, configuration, watchdog), never per frame.
 * Each judged frame's status is this record plus the counters and the cached rates.
 *
 * @param state       what the line is doing
 * @param detail      why, in words an OT engineer can act on
 * @param sourceId    the camera's id, or the line's camera.target while none is bound
 * @param cameraState what the camera last reported
 * @param model       the active model, if any
 */
record LineCondition(LineState state, String detail, String sourceId, SourceState cameraState,
                     Optional<ModelInfo> model) {

    /** Before the line has a valid configuration. */
    static LineCondition unconfigured(String problem) {
        return new LineCondition(LineState.FAULT, problem == null ? "not configured" : problem, "", SourceState.STOPPED,
                Optional.empty());
    }
}
