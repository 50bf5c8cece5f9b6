package io.linesight.camera.javacv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.frame.SourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Video files made by the ffmpeg CLI, read back through the camera as a line would. */
class FileCameraTest {

    @TempDir
    static Path dir;

    static Path red30;
    static Path pattern10;

    @BeforeAll
    static void makeFiles() throws Exception {
        TestTools.ensure("ffmpeg");
        red30 = dir.resolve("red-30.mp4");
        // pure red, 30 frames at 30 fps, H.264 (Debian's ffmpeg has libx264)
        TestTools.ffmpeg("-f", "lavfi", "-i", "color=c=red:size=160x120:rate=30", "-frames:v", "30",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", red30.toString());
        pattern10 = dir.resolve("pattern-10.avi");
        TestTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=176x144:rate=25", "-frames:v", "10",
                "-c:v", "mpeg4", pattern10.toString());
    }

    @Test
    void fileMadeByFfmpegPlaysWithTheRightFrameCountThenStops() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("file", red30.toString(), "realTime", false));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.STOPPED)), "file did not end: " + listener.states());
            assertEquals(30, listener.frames());
            assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), listener.sequences());
            assertEquals(List.of(SourceState.CONNECTING, SourceState.STREAMING, SourceState.STOPPED), listener.stateNames());
            assertTrue(listener.lastState().orElseThrow().detail().contains("end of file after 30 pictures"),
                    listener.lastState().toString());
            Frame frame = listener.last();
            assertEquals("file", frame.sourceId());
            assertEquals(PixelFormat.BGR24, frame.format());
            assertEquals(160, frame.width());
            assertEquals(120, frame.height());
            assertFalse(frame.hasTruth());
            int[] bgr = centre(frame);
            assertTrue(bgr[0] < 30 && bgr[1] < 30 && bgr[2] > 220, "red in BGR order, got B" + bgr[0] + " G" + bgr[1] + " R" + bgr[2]);
            assertEquals("camera-file", listener.deliveringThread());
            assertEquals(SourceState.STOPPED, camera.state());
        }
        camera.deactivate();
    }

    @Test
    void realTimePlaysAtTheFilesOwnRate() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("paced", red30.toString()));
        RecordingListener listener = new RecordingListener();
        long start = System.nanoTime();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.STOPPED)), listener.states().toString());
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(30, listener.frames());
        // 30 frames at 30 fps: the last is due 29/30 s after the first; pacing can only make it later
        assertTrue(elapsedMs >= 900, "30 frames at 30 fps took only " + elapsedMs + " ms");
        Frame first = listener.first();
        Frame last = listener.last();
        long spreadMs = (last.captureNanos() - first.captureNanos()) / 1_000_000;
        assertTrue(spreadMs >= 900, "capture times spread over " + spreadMs + " ms, expected about 967");
        assertTrue(!last.captureTime().isBefore(first.captureTime()));
        camera.deactivate();
    }

    @Test
    void loopPlaysTheFileAgainWithoutLosingTheCamera() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("loop", pattern10.toString(), "loop", true, "realTime", false));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.frames() >= 35), "only " + listener.frames() + " frames");
        }
        List<Long> sequences = listener.sequences();
        assertEquals(LongStream.rangeClosed(1, sequences.size()).boxed().toList(), sequences, "numbered across loops");
        assertEquals(List.of(SourceState.CONNECTING, SourceState.STREAMING, SourceState.STOPPED), listener.stateNames());
        camera.deactivate();
    }

    @Test
    void maxFpsCapsARealTimeFile() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("capped", red30.toString(), "maxFps", 10.0));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.STOPPED)), listener.states().toString());
        }
        // one second of 30 fps capped at 10: every third frame, about 10; never all 30
        int delivered = listener.frames();
        assertTrue(delivered >= 5 && delivered <= 15, "delivered " + delivered + " of 30 at maxFps=10");
        assertEquals(1L, listener.sequences().get(0));
        camera.deactivate();
    }

    @Test
    void scaledToTheConfiguredSize() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("scaled", pattern10.toString(), "realTime", false,
                "widthPx", 64, "heightPx", 48));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.STOPPED)), listener.states().toString());
        }
        assertEquals(10, listener.frames());
        assertEquals(64, listener.last().width());
        assertEquals(48, listener.last().height());
        assertEquals(64 * 48 * 3, listener.last().pixels().length);
        camera.deactivate();
    }

    @Test
    void oddWidthIsCopiedRowByRowWithoutPadding() throws Exception {
        Path odd = dir.resolve("odd.avi");
        TestTools.ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=102x50:rate=10", "-frames:v", "3", "-c:v", "mpeg4", odd.toString());
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("odd", odd.toString(), "realTime", false));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(10_000, () -> listener.isIn(SourceState.STOPPED)), listener.states().toString());
        }
        Frame frame = listener.last();
        assertEquals(102, frame.width());
        // every row starts with blue: a stride mistake would shift later rows
        for (int y = 0; y < frame.height(); y++) {
            int i = y * frame.width() * 3 + 3;
            assertTrue((frame.pixels()[i] & 0xFF) > 200 && (frame.pixels()[i + 2] & 0xFF) < 40, "row " + y + " is not blue");
        }
        camera.deactivate();
    }

    @Test
    void missingFileIsLostWithTheCauseAndTheCameraKeepsTrying() throws Exception {
        Path missing = dir.resolve("no-such-video.mp4");
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("gone", missing.toString()));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(5_000, () -> listener.isIn(SourceState.LOST)), listener.states().toString());
            String detail = listener.lastState().orElseThrow().detail();
            assertTrue(detail.contains("camera 'gone'") && detail.contains(missing.toString())
                    && detail.contains("No such file or directory") && detail.contains("check the path"), detail);
            // the file appears: the camera picks it up by itself
            Files.copy(pattern10, missing);
            assertTrue(TestTools.await(5_000, () -> listener.frames() > 0), listener.states().toString());
            assertTrue(listener.stateNames().contains(SourceState.STREAMING));
        }
        camera.deactivate();
    }

    @Test
    void unsupportedCodecIsLostWithTheCodecNamed() throws Exception {
        Path unknown = dir.resolve("unknown-codec.avi");
        // MPEG-4 video labelled with a FourCC no decoder claims ("-strict -2" lets the AVI muxer write it)
        TestTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-frames:v", "3", "-c:v", "mpeg4",
                "-strict", "-2", "-tag:v", "ZZZZ", unknown.toString());
        String detail = lostDetail("odd-codec", unknown.toString());
        assertTrue(detail.contains("camera 'odd-codec'") && detail.contains("no video stream") && detail.contains("video of unknown codec (tag ZZZZ)")
                && detail.contains("H.264"), detail);
    }

    @Test
    void audioOnlyFileIsLostAsHavingNoVideo() throws Exception {
        Path audio = dir.resolve("tone.wav");
        TestTools.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", audio.toString());
        String detail = lostDetail("audio", audio.toString());
        assertTrue(detail.contains("no video stream") && detail.contains("audio pcm_s16le"), detail);
    }

    @Test
    void textFileIsLostAsNotAVideo() throws Exception {
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "this is not a video\n".repeat(50));
        String detail = lostDetail("text", text.toString());
        assertTrue(detail.contains("Invalid data found when processing input"), detail);
    }

    private static String lostDetail(String id, String url) throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings(id, url));
        RecordingListener listener = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(listener)) {
            assertTrue(TestTools.await(5_000, () -> listener.isIn(SourceState.LOST)), listener.states().toString());
            assertEquals(SourceState.LOST, camera.state());
            return listener.lastState().orElseThrow().detail();
        } finally {
            camera.deactivate();
        }
    }

    private static int[] centre(Frame frame) {
        int i = ((frame.height() / 2) * frame.width() + frame.width() / 2) * 3;
        byte[] p = frame.pixels();
        return new int[] {p[i] & 0xFF, p[i + 1] & 0xFF, p[i + 2] & 0xFF};
    }
}
