package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventKind;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.ShadowFigures.State;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import io.linesight.line.InspectionLineComponentTest.RecordingBoard;
import io.linesight.line.InspectionLineComponentTest.RecordingSink;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow trials on a real line: the active verdicts do not change, nothing reaches the sinks, a slow, throwing or NaN
 * candidate stops its trial and not the line, and the figures count what the two models said.
 */
class ShadowTrialTest {

    @TempDir
    Path tmp;
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() {
        cleanup.forEach(Runnable::run);
    }

    /** A model whose P(defect) for frame n is {@code defect.apply(n)}, taking {@code delayMs} per frame. */
    static class ScriptedModel implements LoadedModel {
        final AtomicBoolean closed = new AtomicBoolean();
        final String version;
        final long delayMs;
        final LongFunction<Float> defect;

        ScriptedModel(String version, long delayMs, LongFunction<Float> defect) {
            this.version = version;
            this.delayMs = delayMs;
            this.defect = defect;
        }

        public ModelInfo info() {
            return new ModelInfo("scripted", version, "sha-" + version, Task.CLASSIFY, List.of("ok", "defect"));
        }

        public InferenceResult infer(Frame frame) throws InferenceException {
            if (closed.get()) {
                throw new IllegalStateException("closed");
            }
            if (delayMs > 0 && !"warm-up".equals(frame.sourceId())) {
                java.util.concurrent.locks.LockSupport.parkNanos(delayMs * 1_000_000);
            }
            float p = "warm-up".equals(frame.sourceId()) ? 0.1f : defect.apply(frame.sequence());
            return new Classification(new float[] {1 - p, p},
                    List.of(p >= 0.5 || Float.isNaN(p) ? new ClassScore(1, "defect", p) : new ClassScore(0, "ok", 1 - p)), 0, 0, 0);
        }

        public void close() {
            closed.set(true);
        }
    }

    /** The truth of frame n: every third part is defective. */
    static float truth(long n) {
        return n % 3 == 0 ? 0.9f : 0.1f;
    }

    /** A camera the test drives: frame n carries no truth; models derive what they say from n. */
    static final class PushCamera implements FrameSource {
        private volatile FrameListener listener;
        private long sequence;

        public String id() { return "sim"; }
        public String description() { return "pushed frames"; }
        public SourceState state() { return SourceState.STREAMING; }

        public Subscription subscribe(FrameListener l) {
            listener = l;
            l.onSourceState(SourceState.STREAMING, "streaming");
            return () -> listener = null;
        }

        void push() {
            FrameListener l = listener;
            if (l != null) {
                l.onFrame(new Frame("sim", ++sequence, System.nanoTime(), Instant.now(), 8, 8, PixelFormat.BGR24,
                        new byte[8 * 8 * 3], null));
            }
        }
    }

    /** The line's file with a shadow rule and a review folder. */
    record Config(long minFrames, double agreement, double ratio, int reviewFrames, String reviewFolder)
            implements LineConfig {
        public Class<? extends Annotation> annotationType() { return LineConfig.class; }
        public String line_id() { return "test"; }
        public String camera_target() { return "(source.id=sim)"; }
        public long noFrameFaultMs() { return 600_000; }
        public String modelRuntime_target() { return "(model.runtime=test)"; }
        public String model_package() { return "pkg"; }
        public String[] reject_labels() { return new String[] {"defect"}; }
        public double reject_minConfidence() { return 0.65; }
        public double review_minConfidence() { return 0.35; }
        public String[] count_rules() { return new String[0]; }
        public String count_verdict() { return "REJECT"; }
        public String review_folder() { return reviewFolder; }
        public int review_maxFrames() { return reviewFrames; }
        public long shadow_minFrames() { return minFrames; }
        public double shadow_minVerdictAgreement() { return agreement; }
        public double shadow_maxLatencyRatio() { return ratio; }
        public boolean shadow_autoPromote() { return false; }
    }

    private Config config(long minFrames, double agreement) {
        return new Config(minFrames, agreement, 100, 50, tmp.resolve("review").toString());
    }

    private InspectionLineComponent line(FrameSource camera, RecordingSink sink, RecordingBoard board, Config config,
            LoadedModel active) {
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindSink(sink, Map.of());
        line.bindEvents(board);
        line.bindCamera(camera);
        line.activate(config);
        line.installModel(active, "test deployment");
        cleanup.add(line::deactivate);
        return line;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static ShadowFigures figures(InspectionLineComponent line) {
        return line.shadow().orElseThrow();
    }

    /** Pushes {@code n} frames one at a time, each once both models judged the one before it. */
    private static void pushJudged(PushCamera camera, RecordingSink sink, InspectionLineComponent line, int n)
            throws InterruptedException {
        for (int i = 0; i < n; i++) {
            int inspected = sink.events.size();
            long judged = line.shadow().map(ShadowFigures::framesJudged).orElse(0L);
            camera.push();
            await(() -> sink.events.size() > inspected, "inspection");
            if (line.shadow().isPresent() && line.shadow().get().running()) {
                await(() -> figures(line).framesJudged() > judged, "shadow judgement");
            }
        }
    }

    private static List<String> verdicts(RecordingSink sink) {
        return sink.events.stream().map(e -> e.sequence() + ":" + e.verdict()).toList();
    }

    @Test
    void theActiveVerdictsAreTheSameWithAndWithoutAShadowAndTheShadowReachesNoSink() throws Exception {
        RecordingSink alone = new RecordingSink();
        PushCamera first = new PushCamera();
        InspectionLineComponent plain = line(first, alone, new RecordingBoard(), config(5, 0.5),
                new ScriptedModel("1", 0, ShadowTrialTest::truth));
        pushJudged(first, alone, plain, 30);

        RecordingSink shadowed = new RecordingSink();
        PushCamera second = new PushCamera();
        InspectionLineComponent line = line(second, shadowed, new RecordingBoard(), config(5, 0.5),
                new ScriptedModel("1", 0, ShadowTrialTest::truth));
        line.startShadow(new ScriptedModel("2", 0, n -> 0.95f), "test candidate"); // rejects every part
        pushJudged(second, shadowed, line, 30);

        assertEquals(verdicts(alone), verdicts(shadowed), "sequence and verdict of every frame");
        assertTrue(shadowed.events.stream().allMatch(e -> e.model().version().equals("1")),
                "every event the sinks got is the active model's");
        assertEquals(30, figures(line).framesJudged());
        assertEquals(20, figures(line).confusion(Verdict.PASS, Verdict.REJECT), "the candidate did judge differently");
    }

    @Test
    void theFiguresCountAgreementConfusionAndSaveEachDisagreementWithBothResults() throws Exception {
        RecordingSink sink = new RecordingSink();
        RecordingBoard board = new RecordingBoard();
        PushCamera camera = new PushCamera();
        InspectionLineComponent line = line(camera, sink, board, config(20, 0.8),
                new ScriptedModel("1", 0, ShadowTrialTest::truth));
        // the candidate agrees except on frames 5, 10, 15, ...: there it says 0.5 (REVIEW)
        line.startShadow(new ScriptedModel("2", 0, n -> n % 5 == 0 ? 0.5f : truth(n)), "test candidate");
        pushJudged(camera, sink, line, 30);

        ShadowFigures f = figures(line);
        assertEquals(30, f.framesJudged());
        assertEquals(0, f.framesSkipped());
        // frames 1..30: REJECT at multiples of 3 (10), of which 15 and 30 are multiples of 5; PASS the other 20,
        // of which 5, 10, 20, 25 are multiples of 5
        assertEquals(16, f.confusion(Verdict.PASS, Verdict.PASS));
        assertEquals(4, f.confusion(Verdict.PASS, Verdict.REVIEW));
        assertEquals(8, f.confusion(Verdict.REJECT, Verdict.REJECT));
        assertEquals(2, f.confusion(Verdict.REJECT, Verdict.REVIEW));
        assertEquals(24.0 / 30, f.verdictAgreement(), 1e-9);
        assertEquals(26.0 / 30, f.top1Agreement(), 1e-9, "0.5 is top-1 defect: the 4 PASS frames differ, the 2 REJECT frames do not");
        assertEquals(30, f.activeConfidence().stream().mapToLong(Long::longValue).sum());
        assertEquals(30, f.activeConfidence().get(9), "the active model is 0.9 sure of every frame");
        assertEquals(6, f.candidateConfidence().get(5), "the candidate's six 0.5 answers");
        assertEquals(State.READY_TO_PROMOTE, f.state(), f.unmet());
        assertEquals(LineState.RUNNING, line.status().state());

        Path folder = tmp.resolve("review/shadow");
        await(() -> figures(line).disagreementsSaved() == 6, "6 disagreements saved");
        List<Path> json;
        try (var files = Files.list(folder)) {
            json = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(6, json.size());
        String text = Files.readString(json.get(0));
        assertTrue(text.contains("\"kind\": \"shadow-disagreement\"") && text.contains("\"verdict\": \"PASS\"")
                && text.contains("\"verdict\": \"REVIEW\"") && text.contains("\"version\": \"2\""), text);

        assertEquals(State.STOPPED, line.stopShadow("stopped by test").orElseThrow().state());
        assertEquals("stopped by test", figures(line).stopReason());
        assertTrue(board.has(EventKind.SHADOW_STOPPED, "stopped by test"));
    }

    @Test
    void aSlowCandidateIsSkippedNeverDelaysTheActivePathAndIsStoppedForOverload() throws Exception {
        RecordingSink sink = new RecordingSink();
        RecordingBoard board = new RecordingBoard();
        var camera = new io.linesight.camera.sim.ConveyorCamera(new io.linesight.camera.sim.ConveyorConfig() {
            public Class<? extends Annotation> annotationType() { return io.linesight.camera.sim.ConveyorConfig.class; }
            public String source_id() { return "sim"; }
            public int widthPx() { return 160; }
            public int heightPx() { return 120; }
            public double partsPerSecond() { return 100; }
            public double defectRate() { return 0.3; }
            public long seed() { return 11; }
        });
        cleanup.add(camera::deactivate);
        ScriptedModel slow = new ScriptedModel("2", 60, ShadowTrialTest::truth);
        InspectionLineComponent line = line(camera, sink, board, config(5, 0.5),
                new ScriptedModel("1", 2, ShadowTrialTest::truth));
        await(() -> sink.events.size() >= 20, "inspections before the trial");
        line.startShadow(slow, "test candidate");
        int from = sink.events.size();

        await(() -> figures(line).state() == State.STOPPED, "the overload stop");
        ShadowFigures f = figures(line);
        assertTrue(f.stopReason().startsWith("overload: the candidate missed"), f.stopReason());
        assertTrue(f.framesSkipped() > f.framesJudged(), f.summary());
        await(() -> board.has(EventKind.SHADOW_STOPPED, "overload"), "SHADOW_STOPPED"); // told just after the state changes
        await(slow.closed::get, "the candidate closed");

        List<InspectionEvent> all = List.copyOf(sink.events); // a snapshot: the line keeps appending
        List<InspectionEvent> during = all.subList(from, all.size());
        assertTrue(during.size() >= 150, "the line kept judging at its own pace: " + during.size());
        long[] totals = during.stream().mapToLong(e -> e.latencies().totalNanos()).sorted().toArray();
        double p50Ms = totals[totals.length / 2] / 1e6;
        // a line that waited for the candidate would take at least its 60 ms for every verdict
        assertTrue(p50Ms < 30, "active capture-to-verdict median " + p50Ms + " ms, well below the candidate's 60 ms");
        int before = sink.events.size();
        await(() -> sink.events.size() > before + 20, "inspections after the trial");
        assertEquals(LineState.RUNNING, line.status().state());
    }

    @Test
    void aThrowingCandidateStopsItsTrialNotTheLine() throws Exception {
        RecordingSink sink = new RecordingSink();
        RecordingBoard board = new RecordingBoard();
        PushCamera camera = new PushCamera();
        InspectionLineComponent line = line(camera, sink, board, config(5, 0.5),
                new ScriptedModel("1", 0, ShadowTrialTest::truth));
        ScriptedModel throwing = new ScriptedModel("2", 0, ShadowTrialTest::truth) {
            @Override
            public InferenceResult infer(Frame frame) throws InferenceException {
                if (frame.sequence() == 3) {
                    throw new InferenceException("tensor shape mismatch", null);
                }
                return super.infer(frame);
            }
        };
        line.startShadow(throwing, "test candidate");
        pushJudged(camera, sink, line, 2);
        camera.push();
        await(() -> !figures(line).running(), "the trial stopped");
        ShadowFigures f = figures(line);
        assertEquals(State.STOPPED, f.state());
        assertEquals("the candidate failed on frame 3: tensor shape mismatch", f.stopReason());
        assertEquals(1, f.errors());
        assertFalse(f.unmet().isEmpty(), "an error breaks the promotion rule");
        await(throwing.closed::get, "the candidate closed");
        pushJudged(camera, sink, line, 3);
        assertEquals(6, sink.events.size(), "every frame judged by the active model");
        assertEquals(LineState.RUNNING, line.status().state());
        await(() -> board.has(EventKind.SHADOW_STOPPED, "tensor shape mismatch"), "SHADOW_STOPPED");
    }

    @Test
    void aNaNCandidateStopsItsTrialNotTheLine() throws Exception {
        RecordingSink sink = new RecordingSink();
        PushCamera camera = new PushCamera();
        InspectionLineComponent line = line(camera, sink, new RecordingBoard(), config(5, 0.5),
                new ScriptedModel("1", 0, ShadowTrialTest::truth));
        ScriptedModel nan = new ScriptedModel("2", 0, n -> n >= 4 ? Float.NaN : truth(n));
        line.startShadow(nan, "test candidate");
        pushJudged(camera, sink, line, 3);
        camera.push();
        await(() -> !figures(line).running(), "the trial stopped");
        assertTrue(figures(line).stopReason().startsWith("the candidate answered NaN on frame 4"), figures(line).stopReason());
        assertEquals(3, figures(line).framesJudged());
        await(nan.closed::get, "the candidate closed");
        pushJudged(camera, sink, line, 2);
        assertEquals(LineState.RUNNING, line.status().state());
        assertEquals(6, sink.events.size());
    }

    @Test
    void installingTheCandidateEndsTheTrialAsPromotedAndAnotherModelEndsItAsStopped() throws Exception {
        RecordingSink sink = new RecordingSink();
        PushCamera camera = new PushCamera();
        InspectionLineComponent line = line(camera, sink, new RecordingBoard(), config(3, 0.9),
                new ScriptedModel("1", 0, ShadowTrialTest::truth));
        ScriptedModel candidate = new ScriptedModel("2", 0, ShadowTrialTest::truth);
        line.startShadow(candidate, "test candidate");
        pushJudged(camera, sink, line, 3);
        assertEquals(State.READY_TO_PROMOTE, figures(line).state(), figures(line).unmet());

        line.installModel(new ScriptedModel("2", 0, ShadowTrialTest::truth), "promotion");
        assertEquals(State.PROMOTED, figures(line).state());
        await(candidate.closed::get, "the trial's instance closed");
        pushJudged(camera, sink, line, 2);
        assertEquals("2", sink.events.get(sink.events.size() - 1).model().version());
        assertEquals(3, figures(line).framesJudged(), "a promoted trial judges no more");

        line.startShadow(new ScriptedModel("3", 0, ShadowTrialTest::truth), "test candidate");
        line.installModel(new ScriptedModel("4", 0, ShadowTrialTest::truth), "another activation");
        assertEquals(State.STOPPED, figures(line).state());
        assertTrue(figures(line).stopReason().startsWith("the active model changed to scripted:4"), figures(line).stopReason());
    }

    @Test
    void aCandidateTheLineCannotCompareIsRefusedAndClosed() throws Exception {
        PushCamera camera = new PushCamera();
        InspectionLineComponent line = new InspectionLineComponent();
        line.bindCamera(camera);
        line.activate(config(5, 0.5));
        cleanup.add(line::deactivate);
        ScriptedModel early = new ScriptedModel("2", 0, ShadowTrialTest::truth);
        IllegalStateException noActive = assertThrows(IllegalStateException.class, () -> line.startShadow(early, "t"));
        assertTrue(noActive.getMessage().contains("no active model to compare"), noActive.getMessage());
        assertTrue(early.closed.get());

        line.installModel(new ScriptedModel("1", 0, ShadowTrialTest::truth), "test deployment");
        ScriptedModel same = new ScriptedModel("1", 0, ShadowTrialTest::truth);
        assertThrows(IllegalArgumentException.class, () -> line.startShadow(same, "t"));
        assertTrue(same.closed.get());
        ScriptedModel cats = new ScriptedModel("9", 0, ShadowTrialTest::truth) {
            @Override
            public ModelInfo info() {
                return new ModelInfo("cats", "9", "c", Task.CLASSIFY, List.of("cat", "dog"));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> line.startShadow(cats, "t"));
        assertTrue(e.getMessage().contains("knows none of the reject labels"), e.getMessage());
        assertTrue(cats.closed.get());
        assertTrue(line.shadow().isEmpty());
    }
}
