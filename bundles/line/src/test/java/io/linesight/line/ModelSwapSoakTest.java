package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.camera.sim.ConveyorCamera;
import io.linesight.camera.sim.ConveyorConfig;
import io.linesight.model.onnx.OnnxModelRuntime;
import io.linesight.model.onnx.OnnxRunnerConfig;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swap proof of the lines issue, in process with the real pieces: the simulated camera at 30 frames/s,
 * the line, the shipped model in ONNX Runtime. 20 swaps while frames flow: every frame accounted for, no
 * frame without a model, the models judging the frames follow the activation order exactly. 100 swaps
 * back and forth: every session closed, resident memory growth printed. Prints the figures the issue
 * asks for (worst gap between results / median gap, swap time, memory growth).
 */
class ModelSwapSoakTest {

    private static final Path SHIPPED = Path.of("../../models/defect-mobilenetv2").toAbsolutePath().normalize();

    /** Counts sessions opened and closed, so a leak shows as a difference. */
    private static final class Counted implements LoadedModel {
        static final AtomicInteger OPEN = new AtomicInteger();
        private final LoadedModel inner;
        private boolean closed;

        Counted(LoadedModel inner) {
            this.inner = inner;
            OPEN.incrementAndGet();
        }

        @Override
        public ModelInfo info() {
            return inner.info();
        }

        @Override
        public InferenceResult infer(Frame frame) throws InferenceException {
            return inner.infer(frame);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                OPEN.decrementAndGet();
                inner.close();
            }
        }
    }

    private static final class TimedSink implements ResultSink {
        final List<InspectionEvent> events = new CopyOnWriteArrayList<>();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public void publish(InspectionEvent event, LineStatus status) {
            arrivals.add(System.nanoTime());
            events.add(event);
        }
    }

    @Test
    void twentySwapsAtThirtyFramesPerSecondLoseNothingAndFollowTheActivationOrder(@TempDir Path dir) throws Exception {
        Path v2 = packageWithVersion(dir, "0.2.1-soak");
        OnnxModelRuntime runtime = new OnnxModelRuntime(runnerConfig());
        ConveyorCamera camera = camera(30);
        TimedSink sink = new TimedSink();
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        line.bindModelRuntime(pkg -> new Counted(runtime.load(pkg)));
        line.activate(new InspectionLineComponentTest.TestConfig("soak", SHIPPED.toString(), 0.65, 0.35, new String[0], "", 0));
        InspectionLineComponentTest.deployConfigured(line, pkg -> new Counted(runtime.load(pkg)));
        await(() -> sink.events.size() >= 30, "30 inspections before the swaps");
        long noModelBeforeSwaps = line.status().counters().dropped().get(DropCause.NO_MODEL); // before the first load

        List<String> activations = new ArrayList<>(List.of("0.2.0"));
        List<Double> swapMs = new ArrayList<>();
        int firstSwapEvent = sink.events.size();
        long swapsBegan = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            Path pkg = i % 2 == 0 ? v2 : SHIPPED;
            long t0 = System.nanoTime();
            line.installModel(new Counted(runtime.load(pkg)), "soak swap " + (i + 1));
            swapMs.add((System.nanoTime() - t0) / 1e6);
            activations.add(i % 2 == 0 ? "0.2.1-soak" : "0.2.0");
            int seen = sink.events.size();
            await(() -> sink.events.size() >= seen + 4, "frames judged after swap " + (i + 1));
        }
        long swapsEnded = System.nanoTime();
        int lastSwapEvent = sink.events.size();
        line.deactivate();
        camera.deactivate();

        LineStatus last = line.status();
        long delivered = sink.events.get(sink.events.size() - 1).sequence();
        assertTrue(last.counters().inspected() + last.counters().droppedTotal() >= delivered,
                "every frame up to " + delivered + " inspected or counted as dropped: " + last.counters());
        assertEquals(noModelBeforeSwaps, last.counters().dropped().get(DropCause.NO_MODEL),
                "no frame without a model during the swaps: " + last.counters());
        assertEquals(0, last.counters().dropped().get(DropCause.INFERENCE_ERROR), last.counters().toString());
        assertEquals(activations, runsOf(sink.events.stream().map(e -> e.model().version()).toList()),
                "the models that judged the frames, in order, are exactly the activations");
        assertEquals(0, Counted.OPEN.get(), "every session closed: the replaced ones at each swap, the last at stop");

        double[] gaps = gapsMs(sink.arrivals.subList(firstSwapEvent, lastSwapEvent));
        double[] baseline = gapsMs(sink.arrivals.subList(1, firstSwapEvent));
        System.out.printf(Locale.ROOT, "swap soak: 20 swaps in %.1f s at 30 frames/s; %d frames judged, dropped %s;"
                        + " gap between results during swaps: median %.1f ms, worst %.1f ms (worst/median %.2f; before the"
                        + " swaps worst/median %.2f); load+install per swap median %.1f ms, worst %.1f ms%n",
                (swapsEnded - swapsBegan) / 1e9, last.counters().inspected(), last.counters().dropped(),
                median(gaps), max(gaps), max(gaps) / median(gaps), max(baseline) / median(baseline),
                median(swapMs.stream().mapToDouble(Double::doubleValue).toArray()),
                max(swapMs.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    @Test
    void aHundredSwapsBackAndForthCloseEverySessionAndReportMemoryGrowth(@TempDir Path dir) throws Exception {
        Path v2 = packageWithVersion(dir, "0.2.1-soak");
        OnnxModelRuntime runtime = new OnnxModelRuntime(runnerConfig());
        ConveyorCamera camera = camera(30);
        TimedSink sink = new TimedSink();
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        line.bindModelRuntime(pkg -> new Counted(runtime.load(pkg)));
        line.activate(new InspectionLineComponentTest.TestConfig("memory", SHIPPED.toString(), 0.65, 0.35, new String[0], "", 0));
        InspectionLineComponentTest.deployConfigured(line, pkg -> new Counted(runtime.load(pkg)));
        await(() -> sink.events.size() >= 10, "inspections");
        for (int i = 0; i < 40; i++) { // warm-up: allocator arenas, JIT, class loading (resident memory plateaus by then)
            line.installModel(new Counted(runtime.load(i % 2 == 0 ? v2 : SHIPPED)), "warm-up");
        }
        long before = settledResidentKb();
        List<Long> trace = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            line.installModel(new Counted(runtime.load(i % 2 == 0 ? v2 : SHIPPED)), "swap " + i);
            if (i % 20 == 19) {
                trace.add(settledResidentKb());
            }
        }
        long after = settledResidentKb();
        System.out.println("swap memory trace (kB after every 20 swaps): " + trace);
        assertEquals(1, Counted.OPEN.get(), "only the active model's session is open after 140 swaps");
        line.deactivate();
        camera.deactivate();
        assertEquals(0, Counted.OPEN.get(), "no session left after the line stopped");
        double growth = 100.0 * (after - before) / before;
        System.out.printf(Locale.ROOT, "swap memory: 100 swaps back and forth after 40 warm-up swaps: resident %d kB -> %d kB"
                + " (%+.2f %%, %+d kB, %+.1f kB per swap; heap fixed and pre-touched, see pom.xml), sessions open after: %d%n",
                before, after, growth, after - before, (after - before) / 100.0, Counted.OPEN.get());
        // Goal 2 %, reported above; this bound only catches a real leak (a session is ~5 MB: 100 leaked = +50 %).
        assertTrue(growth < 15, "resident memory grew " + growth + " % over 100 swaps");
    }

    private static List<String> runsOf(List<String> versions) {
        List<String> runs = new ArrayList<>();
        for (String v : versions) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(v)) {
                runs.add(v);
            }
        }
        return runs;
    }

    private static double[] gapsMs(List<Long> arrivals) {
        double[] gaps = new double[Math.max(0, arrivals.size() - 1)];
        for (int i = 1; i < arrivals.size(); i++) {
            gaps[i - 1] = (arrivals.get(i) - arrivals.get(i - 1)) / 1e6;
        }
        return gaps;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** The shipped package under another version (same ONNX file, so the same sha256 in the card). */
    private static Path packageWithVersion(Path dir, String version) throws IOException {
        Path target = Files.createDirectories(dir.resolve("pkg-" + version));
        Files.copy(SHIPPED.resolve("model.onnx"), target.resolve("model.onnx"));
        Files.writeString(target.resolve("model.json"), Files.readString(SHIPPED.resolve("model.json"))
                .replace("\"version\": \"0.2.0\"", "\"version\": \"" + version + "\""));
        return target;
    }

    private static ConveyorCamera camera(double partsPerSecond) {
        return new ConveyorCamera(new ConveyorConfig() {
            public Class<? extends Annotation> annotationType() { return ConveyorConfig.class; }
            public String source_id() { return "sim"; }
            public int widthPx() { return 320; }
            public int heightPx() { return 240; }
            public double partsPerSecond() { return partsPerSecond; }
            public double defectRate() { return 0.1; }
            public long seed() { return 42; }
        });
    }

    private static OnnxRunnerConfig runnerConfig() {
        return new OnnxRunnerConfig() {
            public Class<? extends Annotation> annotationType() { return OnnxRunnerConfig.class; }
            public int intraOpThreads() { return 1; }
            public String optimizationLevel() { return "ALL_OPT"; }
            public String executionMode() { return "SEQUENTIAL"; }
            public int preprocessThreads() { return 1; }
            public boolean intraOpSpinning() { return true; }
            public boolean stopSpinningAfterRun() { return false; }
        };
    }

    /**
     * Resident memory once the garbage collector has run: the input tensors' direct buffers of replaced
     * models are freed by the collector, not at close, so an unsettled reading counts garbage as growth.
     */
    private static long settledResidentKb() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(300);
        System.gc();
        Thread.sleep(300);
        return residentKb();
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
