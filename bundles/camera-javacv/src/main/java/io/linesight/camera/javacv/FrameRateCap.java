package io.linesight.camera.javacv;

/**
 * Lets at most {@code maxFps} frames per second through, spread evenly: from a 30 fps camera capped at
 * 10, every third frame. A frame up to a tenth of a period early still counts as on time, so camera
 * jitter does not halve the rate. Not thread-safe; owned by the grab thread.
 */
final class FrameRateCap {

    private final long periodNanos;
    private final long slackNanos;
    private boolean first = true;
    private long nextDueNanos;

    /** @param maxFps frames per second; 0 lets everything through */
    FrameRateCap(double maxFps) {
        this.periodNanos = maxFps <= 0 ? 0 : Math.round(1e9 / maxFps);
        this.slackNanos = periodNanos / 10;
    }

    /** Whether a frame arriving at {@code nowNanos} (monotonic clock) is delivered. */
    boolean accept(long nowNanos) {
        if (periodNanos == 0) {
            return true;
        }
        if (first) {
            first = false;
            nextDueNanos = nowNanos + periodNanos;
            return true;
        }
        if (nowNanos - (nextDueNanos - slackNanos) < 0) {
            return false;
        }
        // after a gap (camera slower than the cap, or a reconnect) restart the grid at this frame
        nextDueNanos = nowNanos - nextDueNanos > periodNanos ? nowNanos + periodNanos : nextDueNanos + periodNanos;
        return true;
    }
}
