package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.ModelRuntime;
import io.linesight.api.model.Task;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The line driven by the real simulated conveyor camera, with a stand-in model whose answer follows
 * the simulator's ground truth and whose speed the test controls.
 */
class InspectionLineComponentTest {

    /** A model that "sees" the truth the simulator attaches, and takes {@code delayMs} per frame. */
    static class TruthModel implements LoadedModel {
        final AtomicBoolean closed = new AtomicBoolean();
        final long delayMs;

        TruthModel(long delayMs) {
            this.delayMs = delayMs;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("truth", "1.0.0", "00", Task.CLASSIFY, List.of("ok", "defect"));
        }

        @Override
        public InferenceResult infer(Frame frame) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float defect = "defect".equals(frame.truth()) ? 0.9f : 0.1f;
            return new Classification(new float[] {1 - defect, defect},
                    List.of(new ClassScore(defect > 0.5 ? 1 : 0, defect > 0.5 ? "defect" : "ok", Math.max(defect, 1 - defect))), 0, 0, 0);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static LineConfig config(String modelPackage) {
        return new TestConfig("test", modelPackage, 0.65, 0.35, new String[0], "", 0);
    }

    /** A line configuration as Config Admin would hand it over; fields the tests vary are record components. */
    record TestConfig(String id, String pkg, double reject, double review, String[] countRules, String reviewFolder,
                      int reviewFrames, String cameraTarget, long noFrameFaultMs) implements LineConfig {
        TestConfig(String id, String pkg, double reject, double review, String[] countRules, String reviewFolder,
                   int reviewFrames) {
            this(id, pkg, reject, review, countRules, reviewFolder, reviewFrames, "(source.id=sim)", 2000);
        }

        public Class<? extends Annotation> annotationType() { return LineConfig.class; }
        public String line_id() { return id; }
        public String camera_target() { return cameraTarget; }
        public long noFrameFaultMs() { return noFrameFaultMs; }
        public String modelRuntime_target() { return "(model.runtime=test)"; }
        public String model_package() { return pkg; }
        public String[] reject_labels() { return new String[] {"defect"}; }
        public double reject_minConfidence() { return reject; }
        public double review_minConfidence() { return review; }
        public String[] count_rules() { return countRules; }
        public String count_verdict() { return "REJECT"; }
        public String review_folder() { return reviewFolder; }
        public int review_maxFrames() { return reviewFrames; }
        public long shadow_minFrames() { return 500; }
        public double shadow_minVerdictAgreement() { return 0.98; }
        public double shadow_maxLatencyRatio() { return 1.5; }
        public boolean shadow_autoPromote() { return false; }
    }

    /** Records what the line publishes; the real board lives in the events bundle. */
    static final class RecordingBoard implements io.linesight.api.event.EventBoard {
        final List<io.linesight.api.event.RuntimeEvent> events = new CopyOnWriteArrayList<>();

        public io.linesight.api.event.RuntimeEvent publish(io.linesight.api.event.RuntimeEvent event) {
            events.add(event);
            return event;
        }

        public List<io.linesight.api.event.RuntimeEvent> activeAlarms() { return List.of(); }

        public List<io.linesight.api.event.RuntimeEvent> recent(int limit) { return List.copyOf(events); }

        public List<io.linesight.api.event.Alarm> alarms() { return List.of(); }

        public java.util.Optional<io.linesight.api.event.Alarm> acknowledge(long id, String who) {
            return java.util.Optional.empty();
        }

        public List<io.linesight.api.event.AlarmTransition> journal(int limit) { return List.of(); }

        boolean has(io.linesight.api.event.EventKind kind, String text) {
            return events.stream().anyMatch(e -> e.kind() == kind && e.message().contains(text));
        }
    }

    static final class RecordingSink implements ResultSink {
        final List<InspectionEvent> events = new CopyOnWriteArrayList<>();
        final List<LineStatus> statuses = new CopyOnWriteArrayList<>();
        volatile boolean removed;

        @Override
        public void publish(InspectionEvent event, LineStatus status) {
            events.add(event);
            statuses.add(status);
        }

        @Override
        public void lineRemoved(String lineId) {
            removed = true;
        }
    }

    private static io.linesight.camera.sim.ConveyorCamera camera(double partsPerSecond) throws Exception {
        // ConveyorSettings is package-private in camera-sim; go through its public DS constructor.
        return new io.linesight.camera.sim.ConveyorCamera(new io.linesight.camera.sim.ConveyorConfig() {
            public Class<? extends Annotation> annotationType() { return io.linesight.camera.sim.ConveyorConfig.class; }
            public String source_id() { return "sim"; }
            public int widthPx() { return 160; }
            public int heightPx() { return 120; }
            public double partsPerSecond() { return partsPerSecond; }
            public double defectRate() { return 0.3; }
            public long seed() { return 11; }
        });
    }

    /**
     * What the model deployment does for a line that appears: loads the package the line's file names (here with a
     * stand-in runtime) and hands the model over. The line never loads one itself.
     */
    static void deployConfigured(InspectionLineComponent line, ModelRuntime runtime) throws Exception {
        line.installModel(runtime.load(line.configuredPackage().orElseThrow()), "test deployment");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void everyFrameIsInspectedOrCountedAsDroppedAndVerdictsFollowTheModel() throws Exception {
        TruthModel model = new TruthModel(30); // ~33 frames/s capacity against 100 parts/s: overruns
        RecordingSink sink = new RecordingSink();
        var camera = camera(100);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        line.bindModelRuntime(dir -> model);
        line.activate(config("pkg"));
        deployConfigured(line, dir -> model);

        await(() -> sink.events.size() >= 40, "40 inspections");
        assertEquals(LineState.RUNNING, line.status().state());
        line.deactivate();
        camera.deactivate();

        LineStatus last = line.status();
        long delivered = sink.events.get(sink.events.size() - 1).sequence();
        long accounted = last.counters().inspected() + last.counters().droppedTotal();
        assertTrue(accounted >= delivered, "inspected + dropped (" + accounted + ") covers every frame up to " + delivered);
        assertTrue(last.counters().dropped().get(DropCause.OVERRUN) > 0, "a slow model must cause counted overruns");
        assertEquals(sink.events.size(), last.counters().inspected());
        for (int i = 1; i < sink.events.size(); i++) {
            assertTrue(sink.events.get(i).sequence() > sink.events.get(i - 1).sequence(), "events in sequence order");
        }
        for (InspectionEvent e : sink.events) {
            assertEquals("defect".equals(e.truth()) ? Verdict.REJECT : Verdict.PASS, e.verdict(), e.reason());
        }
        assertTrue(model.closed.get(), "deactivate closes the model's session");
        assertTrue(sink.removed, "sinks are told the line is gone");
        assertEquals(LineState.STOPPED, last.state());
    }

    @Test
    void aLineTheDeploymentCannotGiveAModelFaultsAndFramesCountAsNoModel() throws Exception {
        RecordingSink sink = new RecordingSink();
        var camera = camera(50);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        line.activate(config("missing-package"));
        assertEquals(LineState.STARTING, line.status().state());
        assertTrue(line.status().stateDetail().startsWith("waiting for the model deployment to activate "),
                line.status().stateDetail());

        line.modelUnavailable("model.package missing-package is not a folder: fix model.package in the line's file");
        await(() -> line.status().counters().dropped().get(DropCause.NO_MODEL) >= 5, "NO_MODEL drops");
        LineStatus status = line.status();
        assertEquals(LineState.FAULT, status.state());
        assertTrue(status.stateDetail().contains("is not a folder: fix model.package"), status.stateDetail());
        assertEquals(0, status.counters().inspected());
        assertTrue(sink.events.isEmpty());
        line.deactivate();
        camera.deactivate();
    }
    @Test
    void aModelWithoutTheRejectLabelIsRefusedAndClosed() throws Exception {
        var camera = camera(20);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindCamera(camera);
        line.activate(config(Path.of("x").toString()));
        TruthModel cats = new TruthModel(0) {
            @Override
            public ModelInfo info() {
                return new ModelInfo("cats", "1", "00", Task.CLASSIFY, List.of("cat", "dog"));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> line.installModel(cats, "test"));
        assertTrue(e.getMessage().contains("knows none of the reject labels"), e.getMessage());
        assertTrue(cats.closed.get(), "a refused model is closed");
        assertTrue(line.status().model().isEmpty());
        line.deactivate();
        camera.deactivate();
    }
    @Test
    void aMalformedChangeIsRefusedAndTheLineKeepsRunningOnItsPreviousConfiguration() throws Exception {
        RecordingSink sink = new RecordingSink();
        RecordingBoard board = new RecordingBoard();
        var camera = camera(30);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindEvents(board);
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        line.bindModelRuntime(dir -> new TruthModel(0));
        line.activate(config("pkg"));
        deployConfigured(line, dir -> new TruthModel(0));
        await(() -> sink.events.size() >= 5, "first inspections");

        line.modified(new TestConfig("test", "pkg", 0.2, 0.5, new String[0], "", 0)); // review above reject
        assertTrue(board.has(io.linesight.api.event.EventKind.CONFIG_REFUSED, "review.minConfidence"), board.events.toString());
        int before = sink.events.size();
        await(() -> sink.events.size() >= before + 10, "inspections after the refused change");
        assertEquals(LineState.RUNNING, line.status().state());
        for (InspectionEvent e : sink.events.subList(before, sink.events.size())) {
            assertTrue(e.reason().contains("0.65") || e.reason().contains("0.35"), "old thresholds still apply: " + e.reason());
        }

        // A valid change applies live: with reject at 0.95, the stand-in model's 0.9 only reaches REVIEW.
        line.modified(new TestConfig("test", "pkg", 0.95, 0.35, new String[0], "", 0));
        int applied = sink.events.size();
        await(() -> sink.events.subList(applied, sink.events.size()).stream().anyMatch(e -> e.verdict() == Verdict.REVIEW),
                "a REVIEW under the new thresholds");
        assertTrue(sink.events.subList(applied + 2, sink.events.size()).stream().noneMatch(e -> e.verdict() == Verdict.REJECT),
                "no REJECT once reject needs 0.95");
        line.deactivate();
        camera.deactivate();
    }

    @Test
    void anInvalidFirstConfigurationIsAVisibleFaultUntilTheFileIsFixed() throws Exception {
        RecordingBoard board = new RecordingBoard();
        var camera = camera(30);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindEvents(board);
        line.bindCamera(camera);
        line.bindModelRuntime(dir -> new TruthModel(0));
        line.activate(new TestConfig("shelf-2", "pkg", 0.65, 0.35, new String[] {"product>=lots"}, "", 0));
        assertTrue(line.configuredPackage().isEmpty(), "a refused file names no package to the deployment");
        LineStatus refused = line.status();
        assertEquals("shelf-2", refused.lineId());
        assertEquals(LineState.FAULT, refused.state());
        assertTrue(refused.stateDetail().contains("count rule 'product>=lots'"), refused.stateDetail());
        assertTrue(board.has(io.linesight.api.event.EventKind.CONFIG_REFUSED, "product>=lots"));

        line.modified(new TestConfig("shelf-2", "pkg", 0.65, 0.35, new String[0], "", 0));
        deployConfigured(line, dir -> new TruthModel(0));
        await(() -> line.status().state() == LineState.RUNNING, "RUNNING once the file is fixed");
        line.deactivate();
        camera.deactivate();
    }

    @Test
    void reviewFramesAreSavedWithTheirResultAndTheFolderIsBounded(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RecordingSink sink = new RecordingSink();
        var camera = camera(50);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        line.bindModelRuntime(d -> new TruthModel(0));
        // The stand-in model says 0.9 for defects: with reject at 0.95 every defect goes to REVIEW.
        line.activate(new TestConfig("test", "pkg", 0.95, 0.35, new String[0], dir.toString(), 3));
        deployConfigured(line, d -> new TruthModel(0));
        await(() -> sink.events.stream().filter(e -> e.verdict() == Verdict.REVIEW).count() >= 6, "6 REVIEW frames");
        line.deactivate();
        camera.deactivate();

        List<Path> pngs;
        try (var files = java.nio.file.Files.list(dir)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(3, pngs.size(), "at most review.maxFrames images are kept: " + pngs);
        Path json = Path.of(pngs.get(2).toString().replace(".png", ".json"));
        String text = java.nio.file.Files.readString(json);
        assertTrue(text.contains("\"verdict\": \"REVIEW\"") && text.contains("\"label\": \"defect\""), text);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(pngs.get(2).toFile());
        assertEquals(160, image.getWidth());
        assertEquals(120, image.getHeight());
    }

    /**
     * A TruthModel with its own version, so the test can tell which one the line runs. Camera frames take 15 ms (a frame
     * is nearly always in flight, so an install waits for the slot); the loader's warm-up frames are quick.
     */
    static TruthModel version(String version) {
        return new TruthModel(0) {
            @Override
            public ModelInfo info() {
                return new ModelInfo("truth", version, "00", Task.CLASSIFY, List.of("ok", "defect"));
            }

            @Override
            public InferenceResult infer(Frame frame) {
                if (!"warm-up".equals(frame.sourceId())) {
                    java.util.concurrent.locks.LockSupport.parkNanos(15_000_000);
                }
                return super.infer(frame);
            }
        };
    }

    @Test
    void theLineNeverLoadsAModelItselfItOnlyPublishesItsConfiguredPackage() throws Exception {
        var camera = camera(50);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindCamera(camera);
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        ModelRuntime counting = dir -> {
            loads.incrementAndGet();
            return new TruthModel(0);
        };
        line.bindModelRuntime(counting);
        line.activate(config("pkg"));
        assertEquals(Optional.of(Path.of("pkg").toAbsolutePath()), line.configuredPackage());
        line.modified(config("other-pkg"));
        assertEquals(Optional.of(Path.of("other-pkg").toAbsolutePath()), line.configuredPackage(),
                "an edited model.package is what the deployment reads next");
        line.unbindModelRuntime(counting);
        line.bindModelRuntime(counting);
        Thread.sleep(300);
        assertEquals(0, loads.get(), "binding a runtime or editing model.package loads nothing on the line");
        assertTrue(line.status().model().isEmpty());
        line.deactivate();
        camera.deactivate();
    }
    @Test
    void anInstalledModelTakesOverBetweenFramesAndTheOldOneIsClosed() throws Exception {
        RecordingSink sink = new RecordingSink();
        var camera = camera(100);
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(camera);
        TruthModel first = new TruthModel(2);
        line.bindModelRuntime(d -> first);
        line.activate(config("pkg"));
        deployConfigured(line, d -> first);
        await(() -> sink.events.size() >= 20, "inspections by the first model");
        long noModelAtStart = line.status().counters().dropped().getOrDefault(DropCause.NO_MODEL, 0L); // before the first load

        TruthModel second = new TruthModel(2) {
            @Override
            public ModelInfo info() {
                return new ModelInfo("truth", "2.0.0", "22", Task.CLASSIFY, List.of("ok", "defect"));
            }
        };
        assertEquals("1.0.0", line.installModel(second, "test").orElseThrow().version());
        assertTrue(first.closed.get(), "the replaced model is closed once its frame is done");
        int swapped = sink.events.size();
        await(() -> sink.events.size() >= swapped + 20, "inspections by the second model");
        line.deactivate();
        camera.deactivate();

        List<String> versions = sink.events.stream().map(e -> e.model().version()).toList();
        int firstNew = versions.indexOf("2.0.0");
        assertTrue(firstNew > 0, "both models judged frames");
        assertTrue(versions.subList(firstNew, versions.size()).stream().allMatch("2.0.0"::equals),
                "after the swap every frame is judged by the new model");
        LineStatus last = line.status();
        long delivered = sink.events.get(sink.events.size() - 1).sequence();
        assertTrue(last.counters().inspected() + last.counters().droppedTotal() >= delivered,
                "no frame lost across the swap");
        assertEquals(noModelAtStart, last.counters().dropped().getOrDefault(DropCause.NO_MODEL, 0L),
                "never without a model after the first one was loaded");
    }

    /** A camera the test drives by hand: it says STREAMING and delivers exactly the frames the test pushes. */
    static final class ManualCamera implements FrameSource {
        private final String id;
        private volatile io.linesight.api.frame.FrameListener listener;
        private long sequence;

        ManualCamera(String id) {
            this.id = id;
        }

        public String id() { return id; }
        public String description() { return "manual camera " + id; }
        public io.linesight.api.frame.SourceState state() { return io.linesight.api.frame.SourceState.STREAMING; }

        public Subscription subscribe(io.linesight.api.frame.FrameListener l) {
            listener = l;
            l.onSourceState(io.linesight.api.frame.SourceState.STREAMING, "streaming");
            return () -> listener = null;
        }

        void push() {
            io.linesight.api.frame.FrameListener l = listener;
            if (l != null) {
                l.onFrame(new Frame(id, ++sequence, System.nanoTime(), java.time.Instant.now(), 4, 4,
                        io.linesight.api.frame.PixelFormat.BGR24, new byte[48], "ok"));
            }
        }
    }

    /** A line bound to the board, the camera and the runtime, not yet activated. */
    private static InspectionLineComponent lineWith(RecordingBoard board, ManualCamera camera, ModelRuntime runtime) {
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindEvents(board);
        line.bindCamera(camera);
        line.bindModelRuntime(runtime);
        return line;
    }

    private static TestConfig withCamera(String target, long noFrameFaultMs) {
        return new TestConfig("test", "pkg", 0.65, 0.35, new String[0], "", 0, target, noFrameFaultMs);
    }

    /** Issue 16 item 1: a camera setting that matches nothing is a FAULT with an alarm, not an endless STARTING. */
    @Test
    void aCameraTargetMatchingNoCameraFaultsTheLineUntilOneMatches() throws Exception {
        RecordingBoard board = new RecordingBoard();
        ManualCamera conveyor = new ManualCamera("conveyor");
        InspectionLineComponent line = lineWith(board, conveyor, dir -> new TruthModel(0));
        long started = System.nanoTime();
        line.activate(withCamera("(source.id=conveyr)", 300));
        deployConfigured(line, dir -> new TruthModel(0));
        await(() -> line.status().state() == LineState.FAULT, "FAULT");
        long faultMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(faultMs >= 300, "not before noFrameFaultMs: " + faultMs);
        assertTrue(line.status().stateDetail().contains("no camera matches camera.target=(source.id=conveyr)")
                && line.status().stateDetail().contains("cameras present: conveyor"), line.status().stateDetail());
        assertTrue(board.has(io.linesight.api.event.EventKind.CAMERA_MISCONFIGURED, "cameras present: conveyor"));

        line.modified(withCamera("(source.id=conveyor)", 300)); // the engineer fixes the typo
        conveyor.push();
        await(() -> line.status().state() == LineState.RUNNING, "RUNNING once the filter matches");
        assertTrue(board.has(io.linesight.api.event.EventKind.CAMERA_FOUND, "conveyor"));
        line.deactivate();
    }

    /** Issue 16 items 1 and 2: a malformed filter in an edit is refused and the line keeps its camera. */
    @Test
    void aMalformedCameraFilterIsRefusedAndTheLineKeepsItsCamera() throws Exception {
        RecordingBoard board = new RecordingBoard();
        ManualCamera conveyor = new ManualCamera("conveyor");
        InspectionLineComponent line = lineWith(board, conveyor, dir -> new TruthModel(0));
        line.activate(withCamera("(source.id=conveyor)", 5000));
        deployConfigured(line, dir -> new TruthModel(0));
        conveyor.push();
        await(() -> line.status().state() == LineState.RUNNING, "RUNNING");

        line.modified(withCamera("(source.id=conveyor", 5000));
        assertTrue(board.has(io.linesight.api.event.EventKind.CONFIG_REFUSED, "camera.target '(source.id=conveyor' is not a valid filter"));
        conveyor.push();
        long inspected = line.status().counters().inspected();
        conveyor.push();
        await(() -> line.status().counters().inspected() > inspected, "frames still inspected");
        assertEquals(LineState.RUNNING, line.status().state());
        assertEquals("conveyor", line.status().sourceId());
        line.deactivate();
    }

    /** Issue 16 item 1: a camera that stays connected but sends nothing faults the line; frames clear it. */
    @Test
    void noFrameForNoFrameFaultMsFaultsTheLineAndTheNextFrameClearsIt() throws Exception {
        RecordingBoard board = new RecordingBoard();
        ManualCamera conveyor = new ManualCamera("conveyor");
        InspectionLineComponent line = lineWith(board, conveyor, dir -> new TruthModel(0));
        line.activate(withCamera("(source.id=conveyor)", 400));
        deployConfigured(line, dir -> new TruthModel(0));
        conveyor.push();
        await(() -> line.status().state() == LineState.RUNNING, "RUNNING");
        long silentFrom = System.nanoTime();
        await(() -> line.status().state() == LineState.FAULT, "FAULT without frames");
        long faultMs = (System.nanoTime() - silentFrom) / 1_000_000;
        assertTrue(faultMs >= 350 && faultMs < 2000, "fault after " + faultMs + " ms (noFrameFaultMs 400)");
        assertTrue(line.status().stateDetail().contains("no frame from camera conveyor"), line.status().stateDetail());
        assertTrue(board.has(io.linesight.api.event.EventKind.NO_FRAMES, "parts pass uninspected"));

        conveyor.push();
        await(() -> line.status().state() == LineState.RUNNING, "RUNNING again");
        assertTrue(board.has(io.linesight.api.event.EventKind.FRAMES_RESUMED, "frames arrive again"));
        line.deactivate();
    }

    /** Issue 16 item 1: a line whose model cannot load raises NO_MODEL, cleared by an activation. */
    @Test
    void aLineWithoutARunnableModelRaisesNoModelAndAnActivationClearsIt() throws Exception {
        RecordingBoard board = new RecordingBoard();
        ManualCamera conveyor = new ManualCamera("conveyor");
        InspectionLineComponent line = lineWith(board, conveyor, dir -> new TruthModel(0));
        line.activate(withCamera("(source.id=conveyor)", 5000));
        line.modelUnavailable("Model card pkg is incomplete: fix it");
        assertTrue(board.has(io.linesight.api.event.EventKind.NO_MODEL, "is incomplete: fix it"));
        assertEquals(LineState.FAULT, line.status().state());

        line.installModel(new TruthModel(0), "test deployment");
        assertTrue(board.has(io.linesight.api.event.EventKind.MODEL_ACTIVATED, "truth"), board.events.toString());
        conveyor.push();
        await(() -> line.status().state() == LineState.RUNNING, "RUNNING once a model is active");
        line.modelUnavailable("a later refusal");
        assertEquals(LineState.RUNNING, line.status().state(), "a line with a model keeps it");
        line.deactivate();
    }
    /** Issue 16 item 16: part ids stay unique and increasing when the camera starts counting again. */
    @Test
    void sequencesStayUniqueWhenTheCameraIsReplacedAndCountsFromOneAgain() throws Exception {
        RecordingSink sink = new RecordingSink();
        ManualCamera first = new ManualCamera("conveyor");
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(first);
        line.bindModelRuntime(dir -> new TruthModel(0));
        line.activate(withCamera("(source.id=conveyor)", 5000));
        deployConfigured(line, dir -> new TruthModel(0));
        await(() -> line.status().model().isPresent(), "model loaded");
        for (int i = 0; i < 5; i++) {
            first.push();
            int expected = i + 1;
            await(() -> sink.events.size() >= expected, "inspection " + expected);
        }
        line.removeCamera(first); // the camera's file was edited: a new camera instance, counting from 1
        ManualCamera second = new ManualCamera("conveyor");
        line.bindCamera(second);
        for (int i = 0; i < 3; i++) {
            second.push();
            int expected = 6 + i;
            await(() -> sink.events.size() >= expected, "inspection " + expected);
        }
        List<Long> sequences = sink.events.stream().map(InspectionEvent::sequence).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), sequences);
        line.deactivate();
    }

    /**
     * Issue 16 item 6: a loaded model is warmed up before it judges parts, and a frame that waited for the first model
     * is not judged (its eject instant has passed).
     */
    @Test
    void aNewModelIsWarmedUpAndAFrameThatWaitedForTheFirstModelIsNotJudged() throws Exception {
        RecordingSink sink = new RecordingSink();
        ManualCamera conveyor = new ManualCamera("conveyor");
        java.util.concurrent.atomic.AtomicInteger warmUps = new java.util.concurrent.atomic.AtomicInteger();
        TruthModel model = new TruthModel(0) {
            @Override
            public InferenceResult infer(Frame frame) {
                if ("warm-up".equals(frame.sourceId())) {
                    warmUps.incrementAndGet();
                }
                return super.infer(frame);
            }
        };
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindCamera(conveyor);
        line.activate(withCamera("(source.id=conveyor)", 5000));
        conveyor.push(); // part 1 arrives while the deployment still gates the model
        Thread.sleep(300);
        line.installModel(model, "test deployment");
        assertTrue(warmUps.get() >= 1, "warmed up before it was installed: " + warmUps.get());
        conveyor.push();
        await(() -> sink.events.size() >= 1, "an inspection");
        Thread.sleep(200);
        assertEquals(List.of(2L), sink.events.stream().map(InspectionEvent::sequence).toList(),
                "part 1 waited for the model and is counted NO_MODEL, not judged late");
        assertEquals(1L, line.status().counters().dropped().get(DropCause.NO_MODEL));
        line.deactivate();
    }
}
