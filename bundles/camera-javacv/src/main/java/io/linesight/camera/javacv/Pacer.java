package io.linesight.camera.javacv;

/**
 * Plays a file at its own speed: maps each frame's presentation time onto the monotonic clock, anchored
 * at the first frame. A frame that is late is delivered at once; a jump in the timestamps (a loop, a
 * broken file) or falling more than a second behind re-anchors, so a slow disk never causes a burst.
 * Not thread-safe; owned by the grab thread.
 */
final class Pacer {

    private static final long MAX_LATE_NANOS = 1_000_000_000L;
    private static final long MAX_JUMP_NANOS = 2_000_000_000L;

    private boolean anchored;
    private long anchorNanos;
    private long anchorMicros;

    /** Nanoseconds to wait before delivering the frame with presentation time {@code ptsMicros}. */
    long waitNanos(long ptsMicros, long nowNanos) {
        if (!anchored) {
            return anchor(ptsMicros, nowNanos);
        }
        long wait = anchorNanos + (ptsMicros - anchorMicros) * 1000 - nowNanos;
        if (wait < -MAX_LATE_NANOS || wait > MAX_JUMP_NANOS) {
            return anchor(ptsMicros, nowNanos);
        }
        return Math.max(0, wait);
    }

    /** The next frame starts a new timeline (file reopened for a loop). */
    void reset() {
        anchored = false;
    }

    private long anchor(long ptsMicros, long nowNanos) {
        anchored = true;
        anchorNanos = nowNanos;
        anchorMicros = ptsMicros;
        return 0;
    }
}
