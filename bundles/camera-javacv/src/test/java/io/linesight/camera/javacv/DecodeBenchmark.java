package io.linesight.camera.javacv;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.OperatingSystemMXBean;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: a measurement harness (surefire skips *Benchmark classes). Run it with
 * {@code mvn -B -q test -pl bundles/camera-javacv -Dtest=DecodeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Prints: decode + BGR24 conversion cost per 1280x720 H.264 frame through JavaCV (split into decode,
 * swscale and the copy to the Java heap), the CPU share of a 30 fps 720p stream read in real time by
 * the camera, and the ffmpeg CLI decoding the same file to rawvideo bgr24 as a baseline.
 */
class DecodeBenchmark {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FPS = 30;
    private static final int SECONDS = 10;
    private static final int FRAMES = FPS * SECONDS;
    private static final int PASSES = 3;

    @TempDir
    Path dir;

    @Test
    void decodeAndConversionCostOf720p() throws Exception {
        TestTools.ensure("ffmpeg");
        Path video = dir.resolve("720p30.mp4");
        // camera-like H.264: moving test pattern, one key frame per second, 4 Mbit/s
        TestTools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS,
                "-frames:v", Integer.toString(FRAMES), "-c:v", "libx264", "-preset", "veryfast", "-g", "30",
                "-b:v", "4M", "-pix_fmt", "yuv420p", video.toString());
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "%n== DecodeBenchmark: %dx%d H.264, %d frames at %d fps, %d cores, FFmpeg %s (JavaCV), %s, "
                + "load average %.2f%n", WIDTH, HEIGHT, FRAMES, FPS, cores, versionOfJavacvFfmpeg(), ffmpegCliVersion(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        grabAll(video, FrameGrabber.ImageMode.COLOR, true); // warm-up: JIT, natives, page cache

        report("JavaCV decode only (RAW, no conversion), 1 thread", best(() -> grabAll(video, FrameGrabber.ImageMode.RAW, false)));
        report("JavaCV decode + swscale to BGR24", best(() -> grabAll(video, FrameGrabber.ImageMode.COLOR, false)));
        report("JavaCV decode + BGR24 + copy to byte[] (camera path)", best(() -> grabAll(video, FrameGrabber.ImageMode.COLOR, true)));
        report("  same, decoder threads=auto (FFmpeg's choice)", best(() -> grabAll(video, FrameGrabber.ImageMode.COLOR, true, "0")));
        report("ffmpeg CLI -> rawvideo bgr24 -> /dev/null, 1 thread (baseline)", best(() -> ffmpegCli(video, "1")));
        report("ffmpeg CLI, decoder threads=auto (baseline)", best(() -> ffmpegCli(video, "0")));
        realTimeShare(video, cores);
        System.out.printf(Locale.ROOT, "load average at the end %.2f (other processes share these %d cores)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), cores);
    }

    /** Wall and CPU time of one pass over the file. */
    private record Pass(double wallMs, double cpuMs, int frames) {
    }

    private interface Run {
        Pass run() throws Exception;
    }

    private static Pass best(Run run) throws Exception {
        List<Pass> passes = new ArrayList<>();
        for (int i = 0; i < PASSES; i++) {
            passes.add(run.run());
        }
        passes.sort((a, b) -> Double.compare(a.wallMs(), b.wallMs()));
        return passes.get(PASSES / 2); // median
    }

    private static void report(String what, Pass pass) {
        System.out.printf(Locale.ROOT, "%-58s %6.2f ms/frame wall, %6.2f ms/frame CPU (%d frames)%n", what,
                pass.wallMs() / pass.frames(), pass.cpuMs() / pass.frames(), pass.frames());
    }

    /** With one decoder thread, the camera's default. */
    private static Pass grabAll(Path video, FrameGrabber.ImageMode mode, boolean copy) throws Exception {
        return grabAll(video, mode, copy, "1");
    }

    private static Pass grabAll(Path video, FrameGrabber.ImageMode mode, boolean copy, String threads) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toString());
        if (!"0".equals(threads)) {
            grabber.setVideoOption("threads", threads);
        }
        grabber.setImageMode(mode);
        if (mode == FrameGrabber.ImageMode.COLOR) {
            grabber.setPixelFormat(AV_PIX_FMT_BGR24);
        }
        grabber.startUnsafe();
        int frames = 0;
        long checksum = 0;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try {
            for (org.bytedeco.javacv.Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                frames++;
                if (copy) {
                    checksum += GrabberConnection.copyBgr(f)[frames];
                }
            }
        } finally {
            grabber.releaseUnsafe();
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        assertEquals(FRAMES, frames, "checksum " + checksum);
        return new Pass(wall / 1e6, cpu / 1e6, frames);
    }

    private static Pass ffmpegCli(Path video, String threads) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostats", "-benchmark", "-threads", threads, "-i",
                video.toString(), "-f", "rawvideo", "-pix_fmt", "bgr24", "-y", "/dev/null").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no -benchmark line from ffmpeg: " + out);
        }
        double cpu = (Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))) * 1000;
        return new Pass(Double.parseDouble(m.group(3)) * 1000, cpu, FRAMES);
    }

    /** The camera as a line uses it: real-time pacing, BGR24, one new array per frame, for 10 s. */
    private static void realTimeShare(Path video, int cores) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        FfmpegCamera camera = new FfmpegCamera(Configs.settings("bench", video.toString()));
        AtomicLong frames = new AtomicLong();
        List<Long> arrivalGapsNanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong last = new AtomicLong();
        long gcCount0 = gcCount();
        long gcMs0 = gcMillis();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        RecordingListener states = new RecordingListener();
        try (FrameSource.Subscription ignored = camera.subscribe(new FrameListener() {
            @Override
            public void onFrame(Frame frame) {
                frames.incrementAndGet();
                long previous = last.getAndSet(frame.captureNanos());
                if (previous != 0) {
                    arrivalGapsNanos.add(frame.captureNanos() - previous);
                }
            }

            @Override
            public void onSourceState(SourceState state, String detail) {
                states.onSourceState(state, detail);
            }
        })) {
            TestTools.await(TimeUnit.SECONDS.toMillis(SECONDS + 10), () -> states.isIn(SourceState.STOPPED));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        camera.deactivate();
        List<Long> gaps = new ArrayList<>(arrivalGapsNanos);
        Collections.sort(gaps);
        System.out.printf(Locale.ROOT, "Camera, real time: %d frames in %.2f s (%.1f fps); process CPU %.2f s = %.1f %% of one core, "
                        + "%.1f %% of the %d-core machine%n", frames.get(), wall, frames.get() / wall, cpu,
                100 * cpu / wall, 100 * cpu / wall / cores, cores);
        System.out.printf(Locale.ROOT, "  frame interval p50 %.1f ms, p99 %.1f ms; GC during the run: %d collections, %d ms%n",
                gaps.get(gaps.size() / 2) / 1e6, gaps.get(gaps.size() * 99 / 100) / 1e6, gcCount() - gcCount0, gcMillis() - gcMs0);
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String versionOfJavacvFfmpeg() throws Exception {
        FfmpegRuntime.load();
        return FfmpegRuntime.version();
    }

    private static String ffmpegCliVersion() throws IOException {
        Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        return first.replaceAll(" Copyright.*", "");
    }
}
