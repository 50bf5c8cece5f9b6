package io.linesight.camera.javacv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Threads and grabbers exist only while subscribed; nothing reaches a listener after it left. */
class LifecycleTest {

    private static final int CYCLES = 20;

    @TempDir
    static Path dir;

    static Path video;
    static byte[] jpeg;

    @BeforeAll
    static void makeFiles() throws Exception {
        TestTools.ensure("ffmpeg");
        video = dir.resolve("clip.mp4");
        TestTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30", "-frames:v", "60", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", video.toString());
        Path picture = dir.resolve("picture.jpg");
        TestTools.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=1", "-frames:v", "1", picture.toString());
        jpeg = Files.readAllBytes(picture);
    }

    @Test
    void subscribeUnsubscribeCyclesLeaveNoThreadAndNoGrabber() throws Exception {
        int grabbersBefore = GrabberConnection.openCount();
        try (MjpegTestServer server = MjpegTestServer.steady(jpeg)) {
            FfmpegCamera file = new FfmpegCamera(Configs.settings("leak-file", video.toString(), "loop", true));
            FfmpegCamera live = new FfmpegCamera(Configs.settings("leak-live", server.url()));
            for (int i = 0; i < CYCLES; i++) {
                for (FfmpegCamera camera : List.of(file, live)) {
                    RecordingListener listener = new RecordingListener();
                    FrameSource.Subscription subscription = camera.subscribe(listener);
                    assertTrue(TestTools.await(10_000, () -> listener.frames() >= 2), camera.id() + " cycle " + i);
                    subscription.close();
                    assertEquals(SourceState.STOPPED, camera.state());
                    int frames = listener.frames();
                    Thread.sleep(i == 0 ? 100 : 0);
                    assertEquals(frames, listener.frames(), "no frame after the subscription closed");
                    assertEquals(SourceState.STOPPED, listener.lastState().orElseThrow().state());
                }
            }
            assertEquals(Set.of(), cameraThreads("leak-"));
            assertEquals(grabbersBefore, GrabberConnection.openCount(), "grabbers left open");
            file.deactivate();
            live.deactivate();
        }
    }

    @Test
    void activateDeactivateCyclesLeaveNoThreadAndNoGrabber() throws Exception {
        int grabbersBefore = GrabberConnection.openCount();
        for (int i = 0; i < CYCLES; i++) {
            FfmpegCamera camera = new FfmpegCamera(Configs.settings("cycle", video.toString(), "loop", true));
            RecordingListener listener = new RecordingListener();
            camera.subscribe(listener);
            assertTrue(TestTools.await(10_000, () -> listener.frames() >= 2), "cycle " + i);
            camera.deactivate(); // the line never unsubscribed: deactivation must clean up on its own
            assertEquals(SourceState.STOPPED, listener.lastState().orElseThrow().state());
            assertTrue(listener.lastState().orElseThrow().detail().contains("deactivated"));
        }
        assertEquals(Set.of(), cameraThreads("cycle"));
        assertEquals(grabbersBefore, GrabberConnection.openCount(), "grabbers left open");
    }

    @Test
    void deactivatingALostCameraStopsItsRetries() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("retrying", "http://127.0.0.1:" + TestTools.freePort() + "/x"));
        RecordingListener listener = new RecordingListener();
        camera.subscribe(listener);
        assertTrue(TestTools.await(5_000, () -> listener.isIn(SourceState.LOST)));
        camera.deactivate();
        assertEquals(Set.of(), cameraThreads("retrying"));
        assertEquals(SourceState.STOPPED, camera.state());
    }

    @Test
    void aSecondSubscriberReplacesTheFirst() throws Exception {
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("shared", video.toString(), "loop", true));
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        FrameSource.Subscription one = camera.subscribe(first);
        assertTrue(TestTools.await(10_000, () -> first.frames() >= 2));
        FrameSource.Subscription two = camera.subscribe(second);
        int firstFrames = first.frames();
        assertEquals(SourceState.STOPPED, first.lastState().orElseThrow().state());
        assertTrue(first.lastState().orElseThrow().detail().contains("replaced"));
        assertTrue(TestTools.await(10_000, () -> second.frames() >= 2));
        one.close(); // closing the replaced subscription must not stop the new one
        int secondFrames = second.frames();
        assertTrue(TestTools.await(10_000, () -> second.frames() > secondFrames + 5));
        assertEquals(firstFrames, first.frames());
        assertTrue(second.first().sequence() > first.last().sequence(), "the frame counter goes on across subscribers");
        two.close();
        camera.deactivate();
    }

    private static Set<String> cameraThreads(String idPrefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("camera-" + idPrefix)).collect(Collectors.toSet());
    }
}
