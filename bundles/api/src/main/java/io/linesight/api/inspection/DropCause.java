package io.linesight.api.inspection;

/** Why a frame was not inspected. Every dropped frame is counted under exactly one cause. */
public enum DropCause {
    /** A newer frame arrived before the inference thread took this one (the model is slower than the camera). */
    OVERRUN,
    /** The line had no model loaded when the frame arrived. */
    NO_MODEL,
    /** The model threw on this frame. */
    INFERENCE_ERROR,
    /** Frames left in the mailbox when the line stopped. */
    SHUTDOWN
}
