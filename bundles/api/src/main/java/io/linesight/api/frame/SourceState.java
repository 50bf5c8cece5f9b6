package io.linesight.api.frame;

/** What a camera is doing, as a line, the console and SCADA see it. */
public enum SourceState {
    /** Opening the device or stream; no frames yet. */
    CONNECTING,
    /** Frames are arriving. */
    STREAMING,
    /** The stream ended, stalled or failed; the source is trying to get it back. */
    LOST,
    /** Closed on purpose (no subscriber, or the component is stopping). */
    STOPPED
}
