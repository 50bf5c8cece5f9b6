package io.linesight.camera.javacv;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.frame.SourceState;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription's worth of grabbing: a grab thread that connects, decodes, converts and delivers,
 * and reconnects with capped exponential backoff; and a watchdog that reports a stall (an open
 * connection without new pictures) or a connection that brings no live picture in time, while the grab
 * thread may still be blocked inside FFmpeg. Both threads exist only between {@link #start} and {@link #stop}.
 *
 * <p>Live pictures: on a live stream a picture counts (is delivered, and keeps the watchdog quiet) only
 * when its stream timestamp advances and the stream has not stalled before it arrived; see
 * {@link StreamClock}. A picture that arrives after a stall ends the connection, which is reopened: it is
 * at least a stall timeout old, and whatever else the connection brings is older still.
 *
 * <p>Capture time: {@link Frame#captureNanos()} is on the monotonic clock the PLC schedules ejects on.
 * RTSP and V4L2: from its stream timestamp, the time it would have arrived had it been no more delayed
 * than the connection's least delayed picture ({@link StreamClock}); it trails the exposure by the camera's steady encode, network and decode
 * latency, which is part of the eject delay an integrator measures and configures. HTTP MJPEG (no
 * timestamps): the instant the decoded picture reached us. Files: the instant the frame is due (real
 * time) or decoded.
 */
final class GrabSession {

    private static final Logger LOG = LoggerFactory.getLogger(GrabSession.class);
    private static final long STOP_GRACE_MS = 2_000;

    private enum Outcome { RETRY, LOOP, ENDED }

    private enum Phase { IDLE, CONNECTING, STREAMING }

    private final CameraSettings settings;
    private final StateReporter reporter;
    private final AtomicLong sequence;
    private final Thread thread;
    private final ScheduledExecutorService watchdog;
    private final FrameRateCap cap;
    private final Pacer pacer = new Pacer();
    private volatile boolean stopping;
    private volatile Phase phase = Phase.IDLE;
    private volatile long attemptStartNanos;
    /** When the last live picture arrived: the watchdog measures the silence from here. */
    private volatile long lastLiveArrivalNanos;
    /** Pictures on this connection since its last live one whose timestamp did not advance. */
    private volatile int repeatsSinceLive;
    /** Set by the watchdog when the current connection stalled; the grab thread reports with it. */
    private volatile String stallProblem;
    private volatile long repeatedPictures;
    private volatile long afterStallPictures;

    GrabSession(CameraSettings settings, FrameListener listener, AtomicLong sequence) {
        this.settings = settings;
        this.reporter = new StateReporter(settings, listener);
        this.sequence = sequence;
        this.cap = new FrameRateCap(settings.maxFps());
        String name = "camera-" + settings.sourceId();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        reporter.connecting();
        thread.start();
        // a tenth of the timeout, at most 200 ms: a stall is reported at most that late
        long periodMs = Math.max(20, Math.min(200, Math.min(settings.stallTimeoutMs(), settings.connectTimeoutMs()) / 10));
        watchdog.scheduleWithFixedDelay(this::watch, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    SourceState state() {
        return reporter.state();
    }

    String detail() {
        return reporter.detail();
    }

    /**
     * Pictures dropped since this session began.
     *
     * @param repeatedTimestamp their stream timestamp did not advance
     * @param afterStall        they arrived after the stream had stalled (at most one per connection)
     */
    record DroppedPictures(long repeatedTimestamp, long afterStall) {
    }

    DroppedPictures droppedPictures() {
        return new DroppedPictures(repeatedPictures, afterStallPictures);
    }

    /**
     * Stops delivering at once (the subscriber gets STOPPED and nothing after), then ends both threads.
     * The grab thread leaves FFmpeg within its socket timeout; if it is still inside after that and a
     * grace period, it is left to close its stream when FFmpeg returns, and a WARN says so.
     */
    void stop(String why) {
        stopping = true;
        reporter.close(why);
        watchdog.shutdownNow();
        thread.interrupt();
        long waitMs = Math.max(settings.stallTimeoutMs(), 5_000) + STOP_GRACE_MS;
        try {
            thread.join(waitMs);
            watchdog.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Camera '{}': grab thread still inside FFmpeg {} ms after stop; it closes its stream when "
                    + "FFmpeg returns", settings.sourceId(), waitMs);
        }
    }

    // ---- grab thread ------------------------------------------------------------------------------

    private void run() {
        Backoff backoff = new Backoff(settings.reconnectBackoffMinMs(), settings.reconnectBackoffMaxMs());
        while (!stopping) {
            Outcome outcome = connectAndStream(backoff);
            if (outcome == Outcome.ENDED || outcome == Outcome.RETRY && !sleep(backoff.nextDelayMs())) {
                break;
            }
        }
        phase = Phase.IDLE;
        LOG.debug("Camera '{}': grab thread ends", settings.sourceId());
    }

    private Outcome connectAndStream(Backoff backoff) {
        stallProblem = null;
        repeatsSinceLive = 0;
        attemptStartNanos = System.nanoTime();
        phase = Phase.CONNECTING;
        try (GrabberConnection connection = GrabberConnection.open(settings)) {
            return stream(connection, backoff);
        } catch (StreamException e) {
            if (!stopping) {
                reporter.lost(e.detail());
                LOG.debug("Camera '{}': {}", settings.sourceId(), e.detail(), e.getCause());
            }
            return Outcome.RETRY;
        } finally {
            phase = Phase.IDLE;
        }
    }

    private Outcome stream(GrabberConnection connection, Backoff backoff) throws StreamException {
        String info = connection.describe();
        StreamClock clock = new StreamClock(settings.stallTimeoutMs(), settings.kind().ptsFromCameraClock());
        long pictures = 0;
        pacer.reset();
        while (!stopping) {
            org.bytedeco.javacv.Frame picture = connection.grab();
            if (picture == null) {
                return endOfStream(pictures);
            }
            if (!paceUntilDue(connection.timestampMicros())) {
                return Outcome.ENDED;
            }
            long arrivalNanos = System.nanoTime();
            StreamClock.Reading reading = settings.kind().live() ? clock.next(connection.timestampMicros(), arrivalNanos)
                    : new StreamClock.Reading(StreamClock.Freshness.LIVE, arrivalNanos);
            if (!countsAsLive(reading, clock, connection.timestampMicros(), arrivalNanos)) {
                continue;
            }
            if (pictures++ == 0) {
                backoff.reset();
            }
            markLive(arrivalNanos, info);
            if (cap.accept(arrivalNanos)) {
                deliver(picture, reading.captureNanos());
            }
        }
        return Outcome.ENDED;
    }

    /**
     * Whether the picture counts; a picture after a stall (by the clock, or by the watchdog, which may have
     * spoken a moment before it arrived) ends the connection, which is then reopened.
     */
    private boolean countsAsLive(StreamClock.Reading reading, StreamClock clock, long ptsMicros, long arrivalNanos)
            throws StreamException {
        if (stallProblem != null || reading.freshness() == StreamClock.Freshness.AFTER_STALL) {
            throw afterStall(reading.captureNanos(), arrivalNanos - clock.lastLiveArrivalNanos(), arrivalNanos);
        }
        if (reading.freshness() == StreamClock.Freshness.REPEATED) {
            repeated(ptsMicros);
        }
        return reading.live();
    }

    private void repeated(long ptsMicros) {
        repeatsSinceLive++;
        if (repeatedPictures++ == 0) {
            LOG.info("Camera '{}': dropped a picture whose stream timestamp did not advance ({} us again): a repeated "
                    + "picture is not live and does not hold off the stall watchdog; further ones are only counted",
                    settings.sourceId(), ptsMicros);
        }
    }

    private StreamException afterStall(long captureNanos, long silentNanos, long arrivalNanos) {
        long silentMs = silentNanos / 1_000_000;
        long ageMs = (arrivalNanos - captureNanos) / 1_000_000;
        String message = "Camera '{}': dropped a picture that came after the stream had stalled ({} ms after the last "
                + "live picture; this one was taken {} ms before it arrived); the connection is reopened";
        if (afterStallPictures++ == 0) {
            LOG.info(message + " (further ones at DEBUG)", settings.sourceId(), silentMs, ageMs);
        } else {
            LOG.debug(message, settings.sourceId(), silentMs, ageMs);
        }
        // in nanoseconds, as StreamClock decided: at exactly the timeout in whole milliseconds it was a stall; and
        // pictures that repeated a timestamp since the last live one are a frozen clock, not a slow decoder
        boolean fellBehind = stallProblem == null && repeatsSinceLive == 0
                && silentNanos <= TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs());
        return new StreamException(fellBehind ? behindText(ageMs) : stallProblem(), "");
    }

    private void markLive(long arrivalNanos, String info) {
        lastLiveArrivalNanos = arrivalNanos;
        repeatsSinceLive = 0;
        phase = Phase.STREAMING;
        if (reporter.state() != SourceState.STREAMING) {
            reporter.streaming(info);
        }
    }

    private void deliver(org.bytedeco.javacv.Frame picture, long captureNanos) throws StreamException {
        long number = sequence.incrementAndGet();
        Instant wall = Instant.now().minusNanos(System.nanoTime() - captureNanos);
        reporter.deliver(new Frame(settings.sourceId(), number, captureNanos, wall, picture.imageWidth,
                picture.imageHeight, PixelFormat.BGR24, GrabberConnection.copyBgr(picture), null));
    }

    private Outcome endOfStream(long pictures) throws StreamException {
        if (stopping) {
            return Outcome.ENDED;
        }
        if (settings.kind().live()) {
            // FFmpeg's read timeout (= stallTimeoutMs) ends a frozen stream like a closed one; the time
            // since the last live picture tells them apart when the watchdog has not spoken yet
            boolean stalled = stallProblem != null || pictures > 0
                    && System.nanoTime() - lastLiveArrivalNanos >= TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs());
            throw new StreamException(stalled ? stallProblem()
                    : "the stream ended: the camera or server closed the connection (restart, power, network)", "");
        }
        if (pictures == 0) {
            throw new StreamException("the file has no pictures", "check the file (ffprobe " + settings.address().safe() + ")");
        }
        if (settings.loop()) {
            LOG.debug("Camera '{}': end of file after {} pictures, playing it again", settings.sourceId(), pictures);
            return Outcome.LOOP;
        }
        reporter.ended("end of file after " + pictures + " pictures; set loop=true to play it again");
        return Outcome.ENDED;
    }

    /** Files in real time wait for their frame's due time; false if stopped while waiting. */
    private boolean paceUntilDue(long ptsMicros) {
        if (settings.kind().live() || !settings.realTime()) {
            return true;
        }
        long waitNanos = pacer.waitNanos(ptsMicros, System.nanoTime());
        return waitNanos <= 0 || sleepNanos(waitNanos);
    }

    private boolean sleep(long ms) {
        return sleepNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private boolean sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return !stopping;
        } catch (InterruptedException e) {
            // stop() interrupts to cut a backoff or pacing wait short; the thread ends right after
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The watchdog's words for this connection's stall if it spoke first (so the loss is reported once). */
    private String stallProblem() {
        String problem = stallProblem;
        return problem != null ? problem : stallText();
    }

    /** The text does not count the repeats: a loss is reported once, and again only when its cause changes. */
    private String stallText() {
        return "stalled: no new picture for " + settings.stallTimeoutMs() + " ms (stallTimeoutMs) on an open connection"
                + (repeatsSinceLive > 0 ? " (pictures still came, repeating the last timestamp)" : "")
                + "; camera frozen, encoder stopped or network congested";
    }

    private String behindText(long ageMs) {
        return "stalled: pictures still come but fall behind, the last one was taken " + ageMs + " ms before it arrived "
                + "(more than stallTimeoutMs " + settings.stallTimeoutMs() + " ms): this machine decodes too slowly for "
                + "the stream, the network delays it, or the camera's clock runs slow";
    }

    private String noPictureText() {
        return "no picture within " + settings.connectTimeoutMs() + " ms of connecting (connectTimeoutMs); "
                + (repeatsSinceLive > 0 ? "pictures come, but each repeats the timestamp of the first "
                        + "(a frozen camera, or a stream without timestamps)"
                        : "the camera accepts the connection but sends no video");
    }

    // ---- watchdog thread --------------------------------------------------------------------------

    private void watch() {
        long now = System.nanoTime();
        Phase current = phase;
        if (current == Phase.CONNECTING
                && now - attemptStartNanos > TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMs())) {
            reporter.lost(noPictureText());
        } else if (current == Phase.STREAMING && settings.kind().live() && stallProblem == null
                && now - lastLiveArrivalNanos > TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs())) {
            stallProblem = stallText();
            reporter.lost(stallProblem);
        }
    }
}
