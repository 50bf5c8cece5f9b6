package io.linesight.camera.javacv;

/**
 * The timeline of one connection to a live stream: says of each decoded picture whether it is a new,
 * live picture, and when it was taken. Pure and deterministic (times are passed in); owned by the grab
 * thread, one per connection, because a new connection starts new timestamps.
 *
 * <p><b>Live.</b> A picture is live when its stream timestamp (pts) advances past the previous picture's
 * and the stream has not stalled: it arrives within {@code stallTimeoutMs} of the last live picture and,
 * when its pts come from a camera clock, it was taken less than {@code stallTimeoutMs} before it arrived.
 * Only live pictures are delivered and keep the stall watchdog quiet. The others:
 * <ul>
 *   <li>{@link Freshness#FIRST}: the connection's first picture has nothing to advance from; it sets the
 *       starting point (so a camera that only ever repeats one picture never looks live).</li>
 *   <li>{@link Freshness#REPEATED}: its pts is not past the previous one: the camera or server repeats
 *       its last picture (a frozen encoder), or the stream carries no timestamps. A pts more than the stall
 *       timeout behind the previous one is not a repeat but a new timeline (the camera restarted its
 *       encoder): it is taken as the new starting point.</li>
 *   <li>{@link Freshness#AFTER_STALL}: the stream stalled before it came. Typically the picture FFmpeg held
 *       back when the camera froze: over RTSP the H.264 parser keeps the last picture until the next one
 *       starts, and lets it go when the read times out, a stall timeout (plus FFmpeg's 100 ms polling)
 *       later; counted as live, it would hold off the watchdog for another stall timeout and carry a
 *       capture time two seconds late. Or the head of a backlog after a network outage, or pictures that fall ever further behind
 *       (this machine decodes too slowly, or the camera's clock runs slow). From then on the connection is
 *       stalled: nothing on it is live again.</li>
 * </ul>
 *
 * <p><b>Capture time.</b> When the pts come from a clock of the camera (RTSP: the RTP timestamps of the
 * camera's 90 kHz media clock, sampled at exposure; V4L2: the kernel's buffer timestamps), a picture was
 * taken at {@code pts + offset} on our monotonic clock, where the offset is the smallest
 * {@code arrival - pts} seen on this connection: the delay of the least delayed picture, i.e. the steady
 * encode, network and decode latency that the eject delay already absorbs. A picture that waited in a
 * buffer therefore keeps the time it was taken, not the time it got out, and arrival jitter does not reach
 * the capture times. The offset may rise by at most 1 % of the pts elapsed, so a camera clock that runs
 * slower than ours is followed (crystals differ by hundredths of a percent, a camera stamping its nominal
 * 30 fps while delivering 29.97 by a tenth), while one late picture moves it by almost nothing. A capture
 * time is never later than the arrival. Without a camera clock (HTTP MJPEG carries no timestamps: FFmpeg
 * numbers the parts at an assumed 25 fps) the capture time is the arrival time.
 */
final class StreamClock {

    /** What a picture is to the subscriber and the stall watchdog. */
    enum Freshness { FIRST, LIVE, REPEATED, AFTER_STALL }

    /** One picture's verdict; {@code captureNanos} on the {@link System#nanoTime()} clock. */
    record Reading(Freshness freshness, long captureNanos) {

        boolean live() {
            return freshness == Freshness.LIVE;
        }
    }

    /** The offset follows a slower camera clock by at most this fraction of the pts elapsed (1 %). */
    private static final long DRIFT_DIVISOR = 100;

    private final long stallNanos;
    private final boolean ptsIsClock;
    private boolean started;
    private boolean stalled;
    private long originPtsMicros;
    private long lastPtsMicros;
    /** capture = (pts - origin) * 1000 + offset */
    private long offsetNanos;
    private long lastLiveArrivalNanos;

    /**
     * @param stallTimeoutMs the camera's stall timeout
     * @param ptsIsClock     whether the stream's timestamps come from a clock of the camera
     */
    StreamClock(long stallTimeoutMs, boolean ptsIsClock) {
        this.stallNanos = stallTimeoutMs * 1_000_000L;
        this.ptsIsClock = ptsIsClock;
    }

    /** Reads the picture with stream timestamp {@code ptsMicros} that arrived at {@code arrivalNanos}. */
    Reading next(long ptsMicros, long arrivalNanos) {
        if (!started) {
            startTimeline(ptsMicros, arrivalNanos);
            lastLiveArrivalNanos = arrivalNanos;
            return new Reading(Freshness.FIRST, arrivalNanos);
        }
        if (stalled || arrivalNanos - lastLiveArrivalNanos > stallNanos) {
            return stalled(captureTime(ptsMicros, arrivalNanos));
        }
        if (ptsMicros < lastPtsMicros - stallNanos / 1_000) {
            // keeps the stall reckoning: a camera that keeps restarting still has to send live pictures
            startTimeline(ptsMicros, arrivalNanos);
            return new Reading(Freshness.FIRST, arrivalNanos);
        }
        if (ptsMicros <= lastPtsMicros) {
            return new Reading(Freshness.REPEATED, arrivalNanos);
        }
        advance(ptsMicros, arrivalNanos);
        long capture = captureTime(ptsMicros, arrivalNanos);
        if (arrivalNanos - capture > stallNanos) {
            return stalled(capture);
        }
        lastLiveArrivalNanos = arrivalNanos;
        return new Reading(Freshness.LIVE, capture);
    }

    private Reading stalled(long captureNanos) {
        stalled = true;
        return new Reading(Freshness.AFTER_STALL, captureNanos);
    }

    /** When the last live picture arrived (before the first one: the starting point's arrival). */
    long lastLiveArrivalNanos() {
        return lastLiveArrivalNanos;
    }

    private void startTimeline(long ptsMicros, long arrivalNanos) {
        started = true;
        originPtsMicros = ptsMicros;
        lastPtsMicros = ptsMicros;
        offsetNanos = arrivalNanos;
    }

    /** Moves the timeline to a picture whose pts advanced: the offset follows the least delayed picture. */
    private void advance(long ptsMicros, long arrivalNanos) {
        long seenOffset = arrivalNanos - (ptsMicros - originPtsMicros) * 1_000;
        if (seenOffset <= offsetNanos) {
            offsetNanos = seenOffset;
        } else {
            long driftAllowance = (ptsMicros - lastPtsMicros) * 1_000 / DRIFT_DIVISOR;
            offsetNanos += Math.min(seenOffset - offsetNanos, driftAllowance);
        }
        lastPtsMicros = ptsMicros;
    }

    private long captureTime(long ptsMicros, long arrivalNanos) {
        return ptsIsClock ? Math.min(arrivalNanos, (ptsMicros - originPtsMicros) * 1_000 + offsetNanos) : arrivalNanos;
    }
}
