package io.linesight.line;

import io.linesight.api.frame.Frame;

/**
 * Keeps a line's frame sequence unique and increasing for the runtime's lifetime. A frame's sequence is the part's
 * identity on the PLC (part-id register), in events and upstream; a camera counts from 1 again when its
 * configuration is edited, its bundle upgraded or the line switches to another camera. The camera's numbers are kept
 * while they increase (its gaps still show its own drops); when they go back, an offset continues the line's count.
 * Across a runtime restart sequences start again: the runtime's start time tells runs apart.
 *
 * <p>Thread-safe: a camera switch may overlap one frame of the old camera with one of the new.
 */
final class FrameNumbering {

    private long offset;
    private long last;

    /** The frame with the line's sequence (the same object when the camera's number already fits). */
    Frame number(Frame frame) {
        long sequence;
        synchronized (this) {
            sequence = frame.sequence() + offset;
            if (sequence <= last) {
                offset = last + 1 - frame.sequence();
                sequence = last + 1;
            }
            last = sequence;
        }
        return sequence == frame.sequence() ? frame : new Frame(frame.sourceId(), sequence, frame.captureNanos(),
                frame.captureTime(), frame.width(), frame.height(), frame.format(), frame.pixels(), frame.truth());
    }
}
