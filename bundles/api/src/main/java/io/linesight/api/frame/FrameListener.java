package io.linesight.api.frame;

/**
 * Receives frames from a {@link FrameSource}.
 *
 * <p>Threading: both methods are called on the source's threads (its grab thread, or its watchdog when
 * the grab thread is stuck in a read), one call at a time, and must return quickly; an implementation
 * hands the frame to its own thread (the line's latest-frame mailbox) and never blocks the camera. An exception thrown here is logged by the source and does not stop it.
 */
public interface FrameListener {

    /** A new frame; the listener now owns it (see {@link Frame}). */
    void onFrame(Frame frame);

    /**
     * The source changed state, for example lost its stream. {@code detail} says why in words an OT
     * engineer can act on; it may be empty.
     */
    default void onSourceState(SourceState state, String detail) {
    }
}
