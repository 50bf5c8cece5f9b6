package io.linesight.camera.javacv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real RTSP camera (GStreamer's RTSP server, H.264) frozen again and again under a subscribed camera with
 * the shipped {@code stallTimeoutMs}: the server process is stopped with SIGSTOP, so its TCP connection stays
 * open and silent, exactly like a hung camera. Each freeze must be reported LOST ("stalled") within the stall
 * timeout plus a margin for a loaded machine, no picture held back inside FFmpeg may reach the subscriber
 * while the stream is frozen, and the camera must stream again once the server continues. And a camera whose
 * clock stops (every picture still sent, all with one timestamp) is reported stalled the same way.
 *
 * <p>Freezes: 3 in the normal build; {@code -Dcamera.freezes=10} for the figures in the README.
 */
class RtspFreezeTest {

    private static final int FREEZES = Integer.getInteger("camera.freezes", 3);
    private static final long STALL_TIMEOUT_MS = 2_000;
    /** Generous for a loaded 2-core machine: the watchdog ticks every 200 ms, FFmpeg's read timeout polls every 100 ms. */
    private static final long DETECTION_LIMIT_MS = STALL_TIMEOUT_MS + 1_000;
    /** Frames already on their way when the server stopped may still arrive this long after. */
    private static final long IN_FLIGHT_MS = 300;
    /** The freeze lasts at least this long, past the moment FFmpeg's read times out and lets go of what it held. */
    private static final long FROZEN_FOR_MS = STALL_TIMEOUT_MS + 1_500;

    @BeforeAll
    static void tools() throws Exception {
        TestTools.ensure("gst-rtsp-server");
    }

    @Test
    void everyFreezeIsReportedWithinTheStallTimeoutAndNoHeldBackPictureIsDelivered() throws Exception {
        int port = TestTools.freePort();
        Process server = TestTools.rtspServer(port, "h264");
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("rtsp-frozen", "rtsp://127.0.0.1:" + port + "/cam"));
        assertEquals(STALL_TIMEOUT_MS, camera.settings().stallTimeoutMs(), "the shipped default is what is measured");
        RecordingListener listener = new RecordingListener();
        List<Long> detectionMs = new ArrayList<>();
        List<Long> resumeMs = new ArrayList<>();
        GrabSession.DroppedPictures dropped;
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.frames() >= 15), listener.states().toString());
            for (int freeze = 1; freeze <= FREEZES; freeze++) {
                detectionMs.add(freezeAndMeasure(server, listener, freeze));
                resumeMs.add(thawAndMeasure(server, listener, freeze));
            }
            dropped = camera.droppedPictures();
        } finally {
            camera.deactivate();
            TestTools.signal(server, "CONT");
            TestTools.kill(server);
        }
        System.out.println("RTSP freeze detection over " + FREEZES + " freezes (stallTimeoutMs " + STALL_TIMEOUT_MS
                + "): SIGSTOP to LOST p50 " + p50(detectionMs) + " ms, max " + max(detectionMs) + " ms " + detectionMs
                + "; SIGCONT to STREAMING p50 " + p50(resumeMs) + " ms, max " + max(resumeMs) + " ms " + resumeMs
                + "; pictures dropped: " + dropped.repeatedTimestamp() + " with a repeated timestamp, " + dropped.afterStall() + " after a stall");
        assertTrue(max(detectionMs) <= DETECTION_LIMIT_MS, "freezes reported after " + detectionMs + " ms");
        assertCaptureTimesTrailArrivalBriefly(listener);
        assertEquals(0, dropped.repeatedTimestamp(), "GStreamer's timestamps always advance");
        assertTrue(dropped.afterStall() >= 1 && dropped.afterStall() <= FREEZES,
                "the picture FFmpeg lets go when its read times out came (and was dropped) at most once per freeze: " + dropped);
    }

    @Test
    void aCameraWhoseTimestampsStopIsReportedStalledAndDoesNotComeBackWhileTheyStayStopped() throws Exception {
        int port = TestTools.freePort();
        // the test pattern keeps moving and every picture is still sent, but from 4 s on with one timestamp
        Process server = TestTools.rtspServer(port, "h264", "4");
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("rtsp-stuck", "rtsp://127.0.0.1:" + port + "/cam"));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(15_000, () -> listener.isIn(SourceState.LOST)), listener.states().toString());
            RecordingListener.StateEvent lost = listener.lastState().orElseThrow();
            long lastLive = listener.lastFrameNanos();
            long noticedMs = (lost.atNanos() - lastLive) / 1_000_000;
            System.out.println("RTSP camera repeating one timestamp: LOST " + noticedMs + " ms after the last live picture ("
                    + listener.frames() + " delivered); " + lost.detail());
            assertTrue(noticedMs <= DETECTION_LIMIT_MS, "stall reported " + noticedMs + " ms after the last live picture");
            assertTrue(lost.detail().contains("repeating the last timestamp"), lost.detail());
            Thread.sleep(2 * STALL_TIMEOUT_MS); // reconnects meet the same stuck clock
            assertTrue(camera.droppedPictures().repeatedTimestamp() > 10, camera.droppedPictures().toString());
            assertEquals(List.of(), listener.framesBetween(lastLive, System.nanoTime()), "no picture after the clock stopped");
            assertEquals(SourceState.LOST, camera.state(), listener.states().toString());
            assertEquals(1, listener.states().stream().filter(e -> e.state() == SourceState.STREAMING).count(),
                    "never streaming again while the timestamps stand still: " + listener.states());
        } finally {
            camera.deactivate();
            TestTools.kill(server);
        }
    }

    private static long freezeAndMeasure(Process server, RecordingListener listener, int freeze) throws Exception {
        long stopped = System.nanoTime();
        TestTools.signal(server, "STOP");
        assertTrue(TestTools.await(STALL_TIMEOUT_MS + 5_000, () -> listener.firstAfter(SourceState.LOST, stopped).isPresent()),
                "freeze " + freeze + ": " + listener.states());
        RecordingListener.StateEvent lost = listener.firstAfter(SourceState.LOST, stopped).orElseThrow();
        assertTrue(lost.detail().contains("stalled"), "freeze " + freeze + ": " + lost.detail());
        long frozenUntil = stopped + FROZEN_FOR_MS * 1_000_000;
        Thread.sleep(Math.max(0, (frozenUntil - System.nanoTime()) / 1_000_000));
        List<RecordingListener.FrameEvent> whileFrozen = listener.framesBetween(stopped + IN_FLIGHT_MS * 1_000_000, System.nanoTime());
        assertEquals(List.of(), whileFrozen, "freeze " + freeze + ": pictures delivered while the server was stopped");
        return (lost.atNanos() - stopped) / 1_000_000;
    }

    private static long thawAndMeasure(Process server, RecordingListener listener, int freeze) throws Exception {
        long thawed = System.nanoTime();
        TestTools.signal(server, "CONT");
        assertTrue(TestTools.await(15_000, () -> listener.firstAfter(SourceState.STREAMING, thawed).isPresent()
                && listener.framesBetween(thawed, System.nanoTime()).size() >= 15), "freeze " + freeze + ": " + listener.states());
        return (listener.firstAfter(SourceState.STREAMING, thawed).orElseThrow().atNanos() - thawed) / 1_000_000;
    }

    /** Capture time never after delivery, and never seconds before it: no picture delivered a freeze late. */
    private static void assertCaptureTimesTrailArrivalBriefly(RecordingListener listener) {
        List<RecordingListener.FrameEvent> frames = listener.frameEvents();
        long worstMs = frames.stream().mapToLong(f -> (f.atNanos() - f.captureNanos()) / 1_000_000).max().orElseThrow();
        System.out.println("RTSP capture time to delivery over " + frames.size() + " frames: at most " + worstMs + " ms");
        assertTrue(frames.stream().allMatch(f -> f.atNanos() - f.captureNanos() >= 0), "a capture time after delivery");
        assertTrue(worstMs < 1_000, "a frame delivered " + worstMs + " ms after its capture time");
    }

    private static long p50(List<Long> values) {
        return values.stream().sorted().toList().get((values.size() - 1) / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
