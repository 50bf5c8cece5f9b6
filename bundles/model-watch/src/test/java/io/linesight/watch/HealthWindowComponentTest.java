package io.linesight.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.frame.SourceState;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import io.linesight.api.watch.DriftFigures;
import io.linesight.api.watch.HealthWindowStatus;
import io.linesight.api.watch.HealthWindowStatus.State;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health window fed with a line's judged frames and statuses: each rule breaking (exactly one rollback, its reason
 * naming the rule and the figures), a healthy window passing, a newer activation meanwhile, a previous model with too
 * few frames, and a slow rollback that must not hold the line.
 */
class HealthWindowComponentTest {

    private static final ModelInfo A = model("1.0.0");
    private static final ModelInfo B = model("2.0.0");
    private static final ModelInfo C = model("3.0.0");

    private final TestClock clock = new TestClock();
    private final RecordingDeployment deployment = new RecordingDeployment();
    private final RecordingBoard board = new RecordingBoard();
    private HealthWindowComponent window;
    private long sequence;
    private long errors;

    @AfterEach
    void stop() throws InterruptedException {
        if (window != null) {
            window.deactivate();
        }
    }

    @Test
    void aRejectRateBeyondTheRuleRollsBackOnceNamingTheFiguresAndOpensNoWindowForTheModelItReturnedTo() {
        start(defaults());
        activateAndRun(A, 500, 0.03, 5);
        activateAndRun(B, 150, 0.40, 5);
        window.evaluate();

        assertEquals(1, deployment.rollbacks.size(), deployment.rollbacks.toString());
        RecordingDeployment.Call call = deployment.rollbacks.get(0);
        assertEquals("health-window", call.actor());
        assertEquals("health window: reject rate 0.400 > 2.0 x previous 0.030 (and > previous + 0.050) over 150 frames",
                call.reason());
        assertEquals(1, board.events.size(), board.events.toString());
        RuntimeEvent event = board.events.get(0);
        assertEquals("MODEL_ROLLED_BACK line/default", event.kind() + " " + event.source());
        assertTrue(event.message().startsWith(call.reason()) && event.message().contains(
                "rolled back from defect@2.0.0 to defect@1.0.0") && event.message().contains("acknowledge once checked"),
                event.message());
        assertEquals(State.ROLLED_BACK, only().state());

        run(A, 600, 0.40, 50); // the line runs A again: rules would break for it too, but it has no window
        window.evaluate();
        assertEquals(1, deployment.rollbacks.size(), "no ping-pong: " + deployment.rollbacks);
        HealthWindowStatus status = only();
        assertEquals(State.ROLLED_BACK, status.state());
        assertEquals("defect:2.0.0", status.model());
        assertTrue(status.note().contains("no health window for it"), status.note());
    }

    @Test
    void aSmallRejectRateChangeIsNoRollbackAndTheWindowPassesOnItsFrames() {
        start(defaults());
        activateAndRun(A, 500, 0.002, 5); // 0.2 % rejects
        activateAndRun(B, 300, 0.006, 5); // three times as many, but only 0.4 points more
        window.evaluate();
        assertEquals(State.OPEN, only().state());
        assertEquals(300, only().frames());
        assertTrue(only().remainingMs() > 0, only().toString());

        run(B, 300, 0.006, 5);
        window.evaluate();
        HealthWindowStatus passed = only();
        assertEquals(State.PASSED, passed.state(), passed.toString());
        assertEquals(500, passed.frames(), "the window takes no frames beyond its limit");
        assertEquals(-1, passed.remainingMs());
        assertTrue(deployment.rollbacks.isEmpty() && board.events.isEmpty());
    }

    @Test
    void aWindowClosesOnItsTimeWhenThatComesFirst() {
        start(settings(500, 60_000, 1.5, false));
        activateAndRun(A, 500, 0.03, 5);
        activateAndRun(B, 120, 0.03, 5);
        window.evaluate();
        assertEquals(State.OPEN, only().state());
        assertEquals(60_000, only().remainingMs());

        clock.advance(60_000);
        window.evaluate();
        assertEquals(State.PASSED, only().state());
        assertEquals(120, only().frames());
    }

    @Test
    void inferenceErrorsRollBackEvenWithoutFiguresOfThePreviousModel() {
        start(defaults());
        activateAndRun(A, 10, 0, 5); // too few frames to compare with
        activateAndRun(B, 200, 1.0, 5); // rejects everything: the reject rule is skipped, not broken
        window.evaluate();
        assertEquals(State.OPEN, only().state(), "comparison rules skipped without figures of the previous model");
        assertEquals(10, only().previousFrames());

        // then B fails on frames: the line counts them as dropped, and only its status says so (no frame is judged)
        FakeLine line = new FakeLine(B);
        window.bindLine(line);
        line.errors.set(errors + 4);
        window.evaluate();

        assertEquals(1, deployment.rollbacks.size(), deployment.rollbacks.toString());
        assertEquals("health window: 4 inference errors > 3 allowed, after 200 judged frames",
                deployment.rollbacks.get(0).reason());
        assertEquals(4, only().inferenceErrors());
    }

    @Test
    void inferenceLatencyBeyondTheRatioRollsBack() {
        start(defaults());
        activateAndRun(A, 200, 0.02, 4);
        activateAndRun(B, 200, 0.02, 10);
        window.evaluate();
        assertEquals(1, deployment.rollbacks.size(), deployment.rollbacks.toString());
        assertEquals("health window: inference latency p95 10.00 ms > 2.0 x previous 4.00 ms over 200 frames",
                deployment.rollbacks.get(0).reason());
    }

    @Test
    void driftRollsBackOnlyWhenSwitchedOn() {
        DriftFigures drifting = new DriftFigures("default", "defect:2.0.0", DriftFigures.State.DRIFTING, 500, 500, 0.4,
                0.3, 0.1, 0.2, 0.02, 0.02, Instant.now());
        start(settings(500, 600_000, 1.5, false));
        window.bindDrift(() -> List.of(drifting));
        activateAndRun(A, 200, 0.02, 5);
        activateAndRun(B, 60, 0.02, 5);
        window.evaluate();
        assertTrue(deployment.rollbacks.isEmpty(), "rollbackOnDrift is off by default");
        stopQuietly();

        deployment.history.clear();
        start(settings(500, 600_000, 1.5, true));
        window.bindDrift(() -> List.of(drifting));
        activateAndRun(A, 200, 0.02, 5);
        activateAndRun(B, 60, 0.02, 5);
        window.evaluate();
        assertEquals(1, deployment.rollbacks.size());
        assertTrue(deployment.rollbacks.get(0).reason().startsWith("health window: the drift watch reports drift"
                + " (confidence PSI 0.400, KS 0.300"), deployment.rollbacks.get(0).reason());
    }

    @Test
    void aNewerActivationDuringTheWindowClosesItWithoutRollback() {
        start(defaults());
        activateAndRun(A, 500, 0.03, 5);
        activateAndRun(B, 150, 0.40, 5);
        deployment.activated("defect@3.0.0", "defect@2.0.0"); // C is active in the history; the line has not shown it yet
        window.evaluate();
        assertTrue(deployment.rollbacks.isEmpty(), deployment.rollbacks.toString());
        assertEquals(State.SUPERSEDED, only().state());
        assertTrue(only().note().contains("defect@3.0.0"), only().note());
    }

    @Test
    void aModelSwitchOnTheLineSupersedesTheOpenWindowAndOpensOneForTheNewModel() {
        start(defaults());
        activateAndRun(A, 500, 0.03, 5);
        activateAndRun(B, 50, 0.03, 5);
        activateAndRun(C, 50, 0.03, 5);
        window.evaluate();
        HealthWindowStatus status = only();
        assertEquals(State.OPEN, status.state());
        assertEquals("defect:3.0.0", status.model());
        assertEquals("defect:2.0.0", status.previousModel());
        assertEquals(50, status.previousFrames());
    }

    @Test
    void theFirstModelSeenOnALineGetsNoWindow() {
        start(defaults());
        run(A, 300, 1.0, 5);
        window.evaluate();
        assertEquals(State.NONE, only().state());
        assertTrue(deployment.rollbacks.isEmpty());
    }

    @Test
    void publishNeverWaitsForASlowRollback() throws Exception {
        start(defaults());
        deployment.release = new CountDownLatch(1);
        activateAndRun(A, 500, 0.03, 5);
        activateAndRun(B, 150, 0.40, 5);
        Thread evaluator = new Thread(window::evaluate, "test-evaluator");
        evaluator.start();
        assertTrue(deployment.rollbackEntered.await(5, TimeUnit.SECONDS), "the rollback was asked for");

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> run(B, 20_000, 0.40, 5),
                "the line's frames pass while the rollback hangs");
        assertTrue(evaluator.isAlive(), "the rollback is still held");
        deployment.release.countDown();
        evaluator.join(5000);
        assertEquals(1, deployment.rollbacks.size());
    }

    @Test
    void malformedSettingsAreRefusedNamingTheProperty() {
        assertEquals(500, HealthSettings.from(config(Map.of())).windowFrames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HealthSettings.from(config(Map.of("maxRejectRateRatio", 0.5))));
        assertTrue(e.getMessage().contains("maxRejectRateRatio must be 1 or more") && e.getMessage().contains(
                "io.linesight.model.health"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HealthSettings.from(config(Map.of("minRejectRateIncrease", Double.NaN))));
        assertTrue(e.getMessage().contains("minRejectRateIncrease"), e.getMessage());
        assertEquals(-1, HealthSettings.from(config(Map.of("maxLatencyRatio", -1.0))).maxLatencyRatio(), "off");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void start(HealthSettings settings) {
        window = new HealthWindowComponent(settings, clock, false);
        window.bindDeployment(deployment);
        window.bindEvents(board);
    }

    private void stopQuietly() {
        try {
            window.deactivate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HealthSettings defaults() {
        return settings(500, 600_000, 2.0, false);
    }

    private static HealthSettings settings(int frames, long ms, double latencyRatio, boolean drift) {
        return new HealthSettings(frames, ms, 500, 2.0, 0.05, 100, 3, latencyRatio, drift, 500);
    }

    /** The deployment activates {@code model} (history entry) and the line shows it, then judges {@code frames}. */
    private void activateAndRun(ModelInfo model, int frames, double rejects, long inferenceMs) {
        List<io.linesight.api.deploy.Activation> h = deployment.history;
        deployment.activated("defect@" + model.version(), h.isEmpty() ? null : h.get(h.size() - 1).model());
        window.lineStatusChanged(status(model, errors));
        run(model, frames, rejects, inferenceMs);
    }

    /** {@code frames} frames judged by {@code model}: every frame whose share crosses the next reject is a reject. */
    private void run(ModelInfo model, int frames, double rejects, long inferenceMs) {
        for (int i = 0; i < frames; i++) {
            boolean reject = Math.floor((i + 1) * rejects) > Math.floor(i * rejects);
            Classification result = new Classification(new float[] {0.9f, 0.1f},
                    List.of(new ClassScore(reject ? 1 : 0, reject ? "defect" : "ok", 0.9f)), 0, 0, 0);
            InspectionEvent event = new InspectionEvent("default", "cam", ++sequence, System.nanoTime(), Instant.now(),
                    model, result, reject ? Verdict.REJECT : Verdict.PASS, "test",
                    new StageLatencies(0, 0, inferenceMs * 1_000_000, 0, 0, 0), null);
            window.publish(event, status(model, errors));
        }
    }

    private HealthWindowStatus only() {
        List<HealthWindowStatus> all = window.windows();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static ModelInfo model(String version) {
        return new ModelInfo("defect", version, "00", Task.CLASSIFY, List.of("ok", "defect"));
    }

    static LineStatus status(ModelInfo model, long inferenceErrors) {
        return new LineStatus("default", LineState.RUNNING, "", "cam", SourceState.STREAMING, Optional.ofNullable(model),
                new LineCounters(0, 0, 0, Map.of(DropCause.INFERENCE_ERROR, inferenceErrors)), 0, 0, 0,
                Optional.empty(), Instant.now());
    }

    /** A line whose status the window polls: its model and its inference-error counter. */
    private static final class FakeLine implements io.linesight.api.inspection.InspectionLine {
        final AtomicLong errors = new AtomicLong();
        final ModelInfo model;

        FakeLine(ModelInfo model) {
            this.model = model;
        }

        @Override
        public String id() {
            return "default";
        }

        @Override
        public LineStatus status() {
            return HealthWindowComponentTest.status(model, errors.get());
        }

        @Override
        public void resetCounters() {
        }

        @Override
        public Optional<ModelInfo> installModel(io.linesight.api.model.LoadedModel m, String origin) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class TestClock extends Clock {
        private long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** The configuration as Config Admin would build it: the defaults, with some values replaced. */
    static HealthWindowConfig config(Map<String, Object> values) {
        return (HealthWindowConfig) java.lang.reflect.Proxy.newProxyInstance(HealthWindowConfig.class.getClassLoader(),
                new Class<?>[] {HealthWindowConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return HealthWindowConfig.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }
}
