package io.linesight.camera.javacv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration parsing and validation, URL handling and FFmpeg option choice: no natives, no network. */
class SettingsTest {

    @Test
    void urlKindsAreRecognised() {
        assertEquals(SourceKind.RTSP, StreamAddress.parse("rtsp://10.0.0.5:554/stream1").kind());
        assertEquals(SourceKind.RTSP, StreamAddress.parse("RTSPS://cam/x").kind());
        assertEquals(SourceKind.HTTP, StreamAddress.parse("http://cam/mjpg/video.mjpg").kind());
        assertEquals(SourceKind.V4L2, StreamAddress.parse("/dev/video0").kind());
        assertEquals("/dev/video2", StreamAddress.parse("v4l2:///dev/video2").ffmpeg());
        StreamAddress file = StreamAddress.parse("videos/line 1:a.mp4");
        assertEquals(SourceKind.FILE, file.kind());
        assertEquals("file:videos/line 1:a.mp4", file.ffmpeg(), "a colon in a file name is not a protocol");
        assertEquals("videos/line 1:a.mp4", file.safe());
    }

    @Test
    void unsupportedSchemeAndEmptyUrlAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamAddress.parse("ftp://x/y.mp4"))
                .getMessage().contains("scheme 'ftp'"));
        assertThrows(IllegalArgumentException.class, () -> StreamAddress.parse(" "));
    }

    @Test
    void credentialsNeverReachTheSafeForm() {
        StreamAddress a = StreamAddress.parse("rtsp://admin:hunter2@10.0.0.5:554/Streaming/Channels/101");
        assertEquals("rtsp://10.0.0.5:554/Streaming/Channels/101", a.safe());
        assertTrue(a.credentialsInUrl());
        assertEquals("http://cam/video.cgi?user=admin&password=***&resolution=640x480&token=***",
                StreamAddress.redact("http://cam/video.cgi?user=admin&password=hunter2&resolution=640x480&token=abc"));
        assertEquals("error opening rtsp://10.0.0.5:554/Streaming/Channels/101",
                a.scrub("error opening rtsp://admin:hunter2@10.0.0.5:554/Streaming/Channels/101"));
    }

    @Test
    void userAndPasswordArePercentEncodedIntoTheUrl() {
        StreamAddress a = StreamAddress.parse("rtsp://10.0.0.5/live", "op erator", "p@ss:w/rd%");
        assertEquals("rtsp://op%20erator:p%40ss%3Aw%2Frd%25@10.0.0.5/live", a.ffmpeg());
        assertEquals("rtsp://10.0.0.5/live", a.safe());
        assertFalse(a.credentialsInUrl());
        assertThrows(IllegalArgumentException.class, () -> StreamAddress.parse("rtsp://u:p@10.0.0.5/live", "u", "p"));
        assertThrows(IllegalArgumentException.class, () -> StreamAddress.parse("/dev/video0", "u", "p"));
        assertThrows(IllegalArgumentException.class, () -> StreamAddress.parse("rtsp://10.0.0.5/live", "", "p"));
    }

    @Test
    void defaultsAreValidAndTheSummaryHasNoPassword() {
        CameraSettings s = CameraSettings.from(Configs.camera("source.id", "gate1", "url", "rtsp://10.0.0.5/live",
                "user", "op", ".password", "hunter2"));
        assertEquals("tcp", s.rtspTransport());
        assertEquals(2000, s.stallTimeoutMs());
        assertEquals(100, s.reconnectBackoffMinMs());
        assertEquals(500, s.reconnectBackoffMaxMs());
        assertEquals(1, s.decoderThreads());
        assertFalse(s.summary().contains("hunter2"), s.summary());
        assertTrue(s.summary().contains("rtsp://10.0.0.5/live"), s.summary());
    }

    @Test
    void badValuesNameThePropertyAndThePid() {
        assertInvalid("source.id", "url", "/dev/video0");
        assertInvalid("stallTimeoutMs", "source.id", "c", "url", "/dev/video0", "stallTimeoutMs", 50);
        assertInvalid("reconnectBackoffMinMs", "source.id", "c", "url", "/dev/video0", "reconnectBackoffMinMs", 5000,
                "reconnectBackoffMaxMs", 1000);
        assertInvalid("heightPx", "source.id", "c", "url", "/dev/video0", "widthPx", 640);
        assertInvalid("rtspTransport", "source.id", "c", "url", "rtsp://x/y", "rtspTransport", "http");
        assertInvalid("ffmpegOptions", "source.id", "c", "url", "rtsp://x/y", "ffmpegOptions", new String[] {"novalue"});
        assertInvalid("decoderThreads", "source.id", "c", "url", "/dev/video0", "decoderThreads", 17);
        assertInvalid("maxFps", "source.id", "c", "url", "/dev/video0", "maxFps", -1.0);
        assertInvalid("url", "source.id", "c", "url", "");
        assertInvalid("url scheme 'smb'", "source.id", "c", "url", "smb://nas/x.mp4");
    }

    @Test
    void ffmpegOptionsPerKind() {
        CameraSettings rtsp = Configs.settings("c", "rtsp://x/y", "stallTimeoutMs", 1500, "probeDurationMs", 300);
        assertEquals(Map.of("rtsp_transport", "tcp", "timeout", "1500000", "analyzeduration", "300000"), FfmpegOptions.of(rtsp));
        CameraSettings http = Configs.settings("c", "http://x/y", "ffmpegOptions", new String[] {"rw_timeout=9", "user_agent=LineSight"});
        assertEquals(Map.of("rw_timeout", "9", "analyzeduration", "500000", "user_agent", "LineSight"), FfmpegOptions.of(http),
                "the expert's options win");
        CameraSettings v4l2 = Configs.settings("c", "/dev/video0", "inputFormat", "mjpeg", "probeDurationMs", 0);
        assertEquals(Map.of("input_format", "mjpeg"), FfmpegOptions.of(v4l2));
        assertEquals(Map.of(), FfmpegOptions.of(Configs.settings("c", "clip.mp4")));
    }

    @Test
    void backoffDoublesUpToTheCapAndResets() {
        Backoff backoff = new Backoff(100, 500);
        assertEquals(List.of(100L, 200L, 400L, 500L, 500L), List.of(backoff.nextDelayMs(), backoff.nextDelayMs(),
                backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()));
        backoff.reset();
        assertEquals(100L, backoff.nextDelayMs());
    }

    @Test
    void frameRateCapKeepsEveryThirdFrameOf30FpsAt10() {
        FrameRateCap cap = new FrameRateCap(10);
        long period = 33_333_333L;
        int kept = 0;
        for (int i = 0; i < 300; i++) {
            long jitter = (i % 3 == 0 ? 2_000_000L : -1_500_000L);
            if (cap.accept(1_000_000_000L + i * period + jitter)) {
                kept++;
            }
        }
        assertEquals(100, kept, "10 s of 30 fps capped at 10 fps");
        FrameRateCap off = new FrameRateCap(0);
        assertTrue(off.accept(1) && off.accept(1) && off.accept(2));
    }

    @Test
    void frameRateCapLetsASlowCameraThroughWhole() {
        FrameRateCap cap = new FrameRateCap(10);
        for (int i = 0; i < 20; i++) {
            assertTrue(cap.accept(i * 250_000_000L), "4 fps is below the cap: frame " + i);
        }
    }

    @Test
    void pacerFollowsTimestampsAndReanchorsAfterJumps() {
        Pacer pacer = new Pacer();
        assertEquals(0, pacer.waitNanos(5_000_000, 100));
        assertEquals(33_333_000, pacer.waitNanos(5_033_333, 100));
        assertEquals(0, pacer.waitNanos(5_066_666, 1_000_000_000L), "late: at once");
        assertEquals(0, pacer.waitNanos(0, 1_000_000_100L), "timestamps jumped back (loop): new anchor");
        assertEquals(40_000_000 - 50, pacer.waitNanos(40_000, 1_000_000_150L));
        pacer.reset();
        assertEquals(0, pacer.waitNanos(99_000_000, 5));
    }

    private static void assertInvalid(String property, Object... keyValues) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CameraSettings.from(Configs.camera(keyValues)));
        assertTrue(e.getMessage().contains(property) && e.getMessage().contains("io.linesight.camera.javacv"), e.getMessage());
    }
}
