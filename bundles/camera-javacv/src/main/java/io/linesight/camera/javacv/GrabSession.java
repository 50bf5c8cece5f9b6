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
 * connection without pictures) or a connection that brings no picture in time, while the grab thread may
 * still be blocked inside FFmpeg. Both threads exist only between {@link #start} and {@link #stop}.
 *
 * <p>Capture time: {@link Frame#captureNanos()} is the instant the decoded picture reached us
 * ({@link System#nanoTime()}), not the stream's presentation time. PTS of RTSP (without RTCP sender
 * reports), MJPEG and most files have no relation to any clock here, while the PLC schedules ejects on
 * the monotonic clock. Arrival time is later than the exposure by the camera's encode, network and
 * decode latency; that delay is steady for a given camera and is part of the eject delay an integrator
 * measures and configures. For files played in real time it is the instant the frame is due.
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
    private volatile long lastPictureNanos;
    /** Set by the watchdog when the current connection stalled; the grab thread reports with it. */
    private volatile String stallProblem;

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
        long periodMs = Math.max(20, Math.min(500, Math.min(settings.stallTimeoutMs(), settings.connectTimeoutMs()) / 4));
        watchdog.scheduleWithFixedDelay(this::watch, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    SourceState state() {
        return reporter.state();
    }

    String detail() {
        return reporter.detail();
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
            long now = System.nanoTime();
            Instant wall = Instant.now();
            lastPictureNanos = now;
            phase = Phase.STREAMING;
            if (pictures++ == 0) {
                backoff.reset();
            }
            stallProblem = null;
            if (reporter.state() != SourceState.STREAMING) {
                reporter.streaming(info);
            }
            long number = sequence.incrementAndGet();
            if (cap.accept(now)) {
                reporter.deliver(new Frame(settings.sourceId(), number, now, wall, picture.imageWidth,
                        picture.imageHeight, PixelFormat.BGR24, GrabberConnection.copyBgr(picture), null));
            }
        }
        return Outcome.ENDED;
    }

    private Outcome endOfStream(long pictures) throws StreamException {
        if (stopping) {
            return Outcome.ENDED;
        }
        if (settings.kind().live()) {
            // FFmpeg's read timeout (= stallTimeoutMs) ends a frozen stream like a closed one; the time
            // since the last picture tells them apart when the watchdog has not spoken yet
            boolean stalled = stallProblem != null || pictures > 0
                    && System.nanoTime() - lastPictureNanos >= TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs());
            throw new StreamException(stalled ? stallText()
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

    private String stallText() {
        return "stalled: no picture for " + settings.stallTimeoutMs() + " ms (stallTimeoutMs) on an open connection; "
                + "camera frozen, encoder stopped or network congested";
    }

    // ---- watchdog thread --------------------------------------------------------------------------

    private void watch() {
        long now = System.nanoTime();
        Phase current = phase;
        if (current == Phase.CONNECTING
                && now - attemptStartNanos > TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMs())) {
            reporter.lost("no picture within " + settings.connectTimeoutMs() + " ms of connecting (connectTimeoutMs); "
                    + "the camera accepts the connection but sends no video");
        } else if (current == Phase.STREAMING && settings.kind().live() && stallProblem == null
                && now - lastPictureNanos > TimeUnit.MILLISECONDS.toNanos(settings.stallTimeoutMs())) {
            stallProblem = stallText();
            reporter.lost(stallProblem);
        }
    }
}
