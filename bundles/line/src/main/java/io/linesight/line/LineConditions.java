package io.linesight.line;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.LineState;

/**
 * What a line knows about itself at one instant, and the state and explanation that follow from it.
 * Pure: the component takes a snapshot, this decides.
 *
 * @param running        the line is active (not stopping)
 * @param cameraBound    a camera matching the line's filter is bound
 * @param noCamera       why no camera has matched the line's filter for noFrameFaultMs (a typo, a camera file
 *                       deleted), or {@code null}
 * @param cameraState    what the camera last reported
 * @param cameraDetail   the camera's last explanation
 * @param noFrames       why the bound camera delivered no frame for noFrameFaultMs, or {@code null}
 * @param haveModel      a model is active in the slot
 * @param modelProblem   why the last model load failed, or {@code null}
 */
record LineConditions(boolean running, boolean cameraBound, String noCamera, SourceState cameraState,
                      String cameraDetail, String noFrames, boolean haveModel, String modelProblem) {

    /**
     * FAULT whenever the line cannot inspect: camera lost, no camera matching its setting, no frame for
     * noFrameFaultMs, or no model because loading failed. RUNNING with a model and a streaming camera; STARTING
     * while either is still on its way, for at most noFrameFaultMs.
     */
    LineState state() {
        if (!running) {
            return LineState.STOPPED;
        }
        if ((modelProblem != null && !haveModel) || cameraState == SourceState.LOST || noCamera != null
                || noFrames != null) {
            return LineState.FAULT;
        }
        return haveModel && cameraState == SourceState.STREAMING ? LineState.RUNNING : LineState.STARTING;
    }

    /** Why the line is in its state, in words an OT engineer can act on. */
    String detail(String cameraTarget, String modelPackage) {
        if (cameraState == SourceState.LOST) {
            return "camera lost: " + cameraDetail;
        }
        if (noCamera != null) {
            return noCamera;
        }
        if (modelProblem != null && !haveModel) {
            return modelProblem;
        }
        if (noFrames != null) {
            return noFrames;
        }
        if (modelProblem != null) {
            return modelProblem;
        }
        if (state() == LineState.STARTING) {
            if (!cameraBound) {
                return "waiting for camera " + cameraTarget;
            }
            return haveModel ? "waiting for frames" : "waiting for the model deployment to activate " + modelPackage;
        }
        return cameraDetail;
    }
}
