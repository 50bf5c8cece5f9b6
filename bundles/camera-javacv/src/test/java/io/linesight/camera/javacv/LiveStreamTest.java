package io.linesight.camera.javacv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live streams served on 127.0.0.1 by real peers: ffmpeg as an HTTP MJPEG camera, GStreamer's RTSP
 * server as an RTSP camera, and a hand-made MJPEG server that freezes. Servers are killed and
 * restarted under a subscribed camera. A frozen RTSP server: {@link RtspFreezeTest}.
 */
class LiveStreamTest {

    /** The promise: streaming again within 2 s of the stream's return. */
    private static final long RESUME_LIMIT_MS = 2_000;

    @TempDir
    static Path dir;

    static byte[] jpeg;

    @BeforeAll
    static void tools() throws Exception {
        TestTools.ensure("ffmpeg", "gst-rtsp-server");
        Path picture = dir.resolve("picture.jpg");
        TestTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1", picture.toString());
        jpeg = Files.readAllBytes(picture);
    }

    @Test
    void httpMjpegFromFfmpegIsReadAndResumesAfterTheServerIsKilledAndRestarted() throws Exception {
        int port = TestTools.freePort();
        String url = "http://127.0.0.1:" + port + "/cam";
        Process server = ffmpegMjpegServer(port);
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("mjpeg", url));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.frames() >= 15), "frames: " + listener.frames() + " " + listener.states());
            assertEquals(640, listener.last().width());
            assertEquals(480, listener.last().height());
            // the camera may have been refused once or twice before ffmpeg listened
            assertTrue(listener.firstAfter(SourceState.STREAMING, 0).orElseThrow().detail().contains("640x480 mjpeg"),
                    listener.states().toString());

            long killed = System.nanoTime();
            TestTools.kill(server);
            assertTrue(TestTools.await(5_000, () -> listener.firstAfter(SourceState.LOST, killed).isPresent()), listener.states().toString());
            String detail = listener.firstAfter(SourceState.LOST, killed).orElseThrow().detail();
            assertTrue(detail.contains("camera 'mjpeg' at " + url) && detail.contains("stream ended"), detail);

            Thread.sleep(1_500); // a few refused reconnects
            long restarted = System.nanoTime();
            server = ffmpegMjpegServer(port);
            assertTrue(TestTools.await(10_000, () -> listener.lastFrameNanos() - restarted > 0), listener.states().toString());
            long resumeMs = (listener.firstAfter(SourceState.STREAMING, restarted).orElseThrow().atNanos() - restarted) / 1_000_000;
            System.out.println("HTTP MJPEG: streaming again " + resumeMs + " ms after the server process was restarted");
            assertTrue(resumeMs <= RESUME_LIMIT_MS, "resumed " + resumeMs + " ms after the server came back");
            assertEquals(2, listener.states().stream().filter(e -> e.state() == SourceState.LOST && e.atNanos() > killed).count(),
                    "while the server was down: one LOST for the end of the stream, one when the cause became "
                            + "'Connection refused', none per retry: " + listener.states());
        } finally {
            camera.deactivate();
            TestTools.kill(server);
        }
    }

    @Test
    void rtspFromGstreamerIsReadOverTcpAndResumesAfterTheServerIsKilledAndRestarted() throws Exception {
        int port = TestTools.freePort();
        String url = "rtsp://127.0.0.1:" + port + "/cam";
        Process server = TestTools.rtspServer(port, "h264");
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("rtsp", url));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.frames() >= 15), "frames: " + listener.frames() + " " + listener.states());
            assertEquals(320, listener.last().width());
            assertEquals(240, listener.last().height());
            assertTrue(listener.firstAfter(SourceState.STREAMING, 0).orElseThrow().detail().contains("320x240 h264"),
                    listener.states().toString());

            long killed = System.nanoTime();
            TestTools.kill(server);
            assertTrue(TestTools.await(5_000, () -> listener.firstAfter(SourceState.LOST, killed).isPresent()), listener.states().toString());
            assertTrue(listener.lastState().orElseThrow().detail().contains("camera 'rtsp' at " + url));

            Thread.sleep(1_500);
            server = TestTools.rtspServer(port, "h264");
            long back = System.nanoTime();
            assertTrue(TestTools.await(10_000, () -> listener.lastFrameNanos() - back > 0), listener.states().toString());
            long resumeMs = (listener.firstAfter(SourceState.STREAMING, back).orElseThrow().atNanos() - back) / 1_000_000;
            System.out.println("RTSP: streaming again " + resumeMs + " ms after the server said READY");
            assertTrue(resumeMs <= RESUME_LIMIT_MS, "resumed " + resumeMs + " ms after the server came back");
        } finally {
            camera.deactivate();
            TestTools.kill(server);
        }
    }

    @Test
    void stalledStreamIsDetectedByTheWatchdogAndReconnected() throws Exception {
        try (MjpegTestServer server = new MjpegTestServer(jpeg, "/cam", 10, 1, null)) {
            FfmpegCamera camera = new FfmpegCamera(Configs.settings("frozen", server.url(), "stallTimeoutMs", 1000));
            RecordingListener listener = new RecordingListener();
            try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
                assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.LOST)), listener.states().toString());
                assertEquals(9, listener.frames(), "the frozen connection sent 10 pictures; the first of a connection only "
                        + "starts its timeline (a picture is live when its timestamp advances)");
                String detail = listener.lastState().orElseThrow().detail();
                assertTrue(detail.contains("stalled: no new picture for 1000 ms") && detail.contains("camera 'frozen'"), detail);
                long noticedMs = (listener.lastState().orElseThrow().atNanos() - listener.lastFrameNanos()) / 1_000_000;
                assertTrue(noticedMs >= 1000 && noticedMs < 3000, "stall reported " + noticedMs + " ms after the last picture");
                // FFmpeg's read timeout ends the frozen connection; the next connection streams
                assertTrue(TestTools.await(10_000, () -> listener.frames() > 20), listener.states().toString());
                assertEquals(List.of(SourceState.CONNECTING, SourceState.STREAMING, SourceState.LOST, SourceState.STREAMING),
                        listener.stateNames());
                assertEquals(2, server.connections());
            } finally {
                camera.deactivate();
            }
        }
    }

    @Test
    void watchdogReportsAStallEvenWhileFfmpegIsStillBlocked() throws Exception {
        MjpegTestServer server = new MjpegTestServer(jpeg, "/cam", 5, 1, null);
        // FFmpeg would wait 60 s before its read gives up: only the watchdog can notice in time
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("blocked", server.url(), "stallTimeoutMs", 500,
                "ffmpegOptions", "rw_timeout=60000000"));
        RecordingListener listener = new RecordingListener();
        FrameSource.Subscription subscription = camera.subscribe(listener);
        try {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.LOST)), listener.states().toString());
            assertTrue(listener.lastState().orElseThrow().detail().contains("stalled"));
            assertEquals(4, listener.frames(), "5 pictures sent, the first only starts the timeline");
        } finally {
            server.close(); // the camera "reboots": FFmpeg's read returns, the grab thread can end
            long closing = System.nanoTime();
            subscription.close();
            assertTrue((System.nanoTime() - closing) / 1_000_000 < 5_000, "unsubscribe waited for FFmpeg too long");
            camera.deactivate();
        }
        assertEquals(SourceState.STOPPED, listener.lastState().orElseThrow().state());
    }

    @Test
    void refusedConnectionIsLostWithCauseAndHintAndNoCredentials() throws Exception {
        int port = TestTools.freePort();
        String detail = lostDetail("door", "http://operator:s3cret@127.0.0.1:" + port + "/cam");
        assertTrue(detail.contains("camera 'door' at http://127.0.0.1:" + port + "/cam") && detail.contains("Connection refused")
                && detail.contains("is the camera on"), detail);
        assertFalse(detail.contains("s3cret") || detail.contains("operator"), detail);
    }

    @Test
    void wrongPathIsLostAs404() throws Exception {
        try (MjpegTestServer server = MjpegTestServer.steady(jpeg)) {
            String detail = lostDetail("path", "http://127.0.0.1:" + server.port() + "/wrong");
            assertTrue(detail.contains("404") && detail.contains("check the path in the url"), detail);
        }
    }

    @Test
    void rtspWithNothingListeningIsLost() throws Exception {
        int port = TestTools.freePort();
        String detail = lostDetail("rtsp-off", "rtsp://127.0.0.1:" + port + "/cam");
        assertTrue(detail.contains("Connection refused"), detail);
    }

    @Test
    void missingDeviceIsLostWithTheDeviceNamed() throws Exception {
        String detail = lostDetail("usb", "/dev/video97");
        assertTrue(detail.contains("camera 'usb' at /dev/video97") && detail.contains("No such file or directory")
                && detail.contains("is the camera plugged in"), detail);
    }

    @Test
    void userAndPasswordReachTheCameraDecodedExactlyOnce() throws Exception {
        String password = "p@ss:w/rd %x+1";
        try (MjpegTestServer server = new MjpegTestServer(jpeg, "/cam", -1, 0, "operator:" + password)) {
            FfmpegCamera camera = new FfmpegCamera(Configs.settings("login", server.url(), "user", "operator",
                    ".password", password));
            RecordingListener listener = new RecordingListener();
            try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
                assertTrue(TestTools.await(10_000, () -> listener.frames() >= 3), listener.states().toString());
                assertTrue(server.receivedCredentials().contains("operator:" + password), server.receivedCredentials().toString());
                assertFalse(listener.states().toString().contains("p@ss"));
            } finally {
                camera.deactivate();
            }
        }
    }

    @Test
    void aBadCameraDoesNotDisturbAGoodOne() throws Exception {
        try (MjpegTestServer server = MjpegTestServer.steady(jpeg)) {
            FfmpegCamera good = new FfmpegCamera(Configs.settings("good", server.url()));
            FfmpegCamera bad = new FfmpegCamera(Configs.settings("bad", "http://127.0.0.1:" + TestTools.freePort() + "/cam",
                    "reconnectBackoffMinMs", 10, "reconnectBackoffMaxMs", 10));
            RecordingListener goodFrames = new RecordingListener();
            RecordingListener badFrames = new RecordingListener();
            try (FrameSource.Subscription g = good.subscribe(goodFrames); FrameSource.Subscription b = bad.subscribe(badFrames)) {
                assertTrue(TestTools.await(10_000, () -> badFrames.isIn(SourceState.LOST) && goodFrames.frames() >= 10));
                int before = goodFrames.frames();
                assertTrue(TestTools.await(10_000, () -> goodFrames.frames() >= before + 25), "good camera slowed down");
                assertEquals(List.of(SourceState.CONNECTING, SourceState.STREAMING), goodFrames.stateNames());
                assertEquals(SourceState.LOST, bad.state());
            } finally {
                good.deactivate();
                bad.deactivate();
            }
        }
    }

    private static String lostDetail(String id, String url) throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings(id, url));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.LOST)), listener.states().toString());
            assertEquals(0, listener.frames());
            return listener.lastState().orElseThrow().detail();
        } finally {
            camera.deactivate();
        }
    }

    private static Process ffmpegMjpegServer(int port) throws Exception {
        return TestTools.start(dir.resolve("ffmpeg-" + port + "-" + System.nanoTime() + ".log"), "ffmpeg", "-hide_banner",
                "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=15", "-f", "mpjpeg",
                "-listen", "1", "http://127.0.0.1:" + port + "/cam");
    }
}
