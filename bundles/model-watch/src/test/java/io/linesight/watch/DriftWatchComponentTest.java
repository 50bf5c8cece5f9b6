package io.linesight.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventBoard;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import io.linesight.api.watch.DriftFigures;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drift watch fed with a line's judged frames: stable, drifting, back, and a new model. */
class DriftWatchComponentTest {

    private static final int FRAMES = 300;
    private final Random random = new Random(17);
    private final RecordingBoard recording = new RecordingBoard();
    private final List<RuntimeEvent> events = recording.events;
    private final DriftWatchComponent watch = new DriftWatchComponent(config(FRAMES, FRAMES), Clock.systemUTC(), false);
    private long sequence;

    @AfterEach
    void stop() throws InterruptedException {
        watch.deactivate();
    }

    @Test
    void aModelThatLosesConfidenceRaisesDriftWithItsFiguresAndClearsWhenItRecovers() {
        watch.bindEvents(board());
        feed("defect:1.0.0", FRAMES, 0.90, 0.02); // the reference: confident, 2 % rejects
        watch.evaluate();
        assertEquals(DriftFigures.State.LEARNING, only().state(), "the window is still empty");

        feed("defect:1.0.0", FRAMES, 0.90, 0.02);
        watch.evaluate();
        DriftFigures stable = only();
        assertEquals(DriftFigures.State.STABLE, stable.state(), stable.toString());
        assertTrue(stable.confidencePsi() < 0.1 && stable.confidenceKs() < 0.15, stable.toString());
        assertTrue(events.isEmpty(), events.toString());

        feed("defect:1.0.0", FRAMES, 0.70, 0.15); // new lighting: less sure, more rejects
        watch.evaluate();
        DriftFigures drifting = only();
        assertEquals(DriftFigures.State.DRIFTING, drifting.state(), drifting.toString());
        assertTrue(drifting.confidencePsi() >= 0.25 && drifting.confidenceKs() >= 0.2, drifting.toString());
        assertTrue(drifting.classPsi() > stable.classPsi() && drifting.classPsi() > 0.1, "more 'defect' top-1: " + drifting);
        assertEquals(1, events.size(), events.toString());
        RuntimeEvent raised = events.get(0);
        assertEquals("MODEL_DRIFT line/default", raised.kind() + " " + raised.source());
        assertTrue(raised.message().startsWith("model defect:1.0.0 judges differently from its first 300 frames:")
                && raised.message().contains("confidence PSI") && raised.message().contains("reject rate"), raised.message());

        watch.evaluate();
        assertEquals(1, events.size(), "raised once, not at every evaluation");

        feed("defect:1.0.0", FRAMES, 0.90, 0.02);
        watch.evaluate();
        assertEquals(DriftFigures.State.STABLE, only().state());
        assertEquals("MODEL_DRIFT_GONE", events.get(1).kind().name());
    }

    @Test
    void aNewModelStartsANewReferenceAndClearsTheAlarm() {
        watch.bindEvents(board());
        feed("defect:1.0.0", FRAMES, 0.90, 0.02);
        feed("defect:1.0.0", FRAMES, 0.60, 0.30);
        watch.evaluate();
        assertEquals(DriftFigures.State.DRIFTING, only().state());

        feed("defect:2.0.0", 10, 0.60, 0.30);
        watch.evaluate();
        DriftFigures learning = only();
        assertEquals(DriftFigures.State.LEARNING, learning.state());
        assertEquals("defect:2.0.0", learning.model());
        assertEquals(10, learning.referenceFrames());
        assertEquals("MODEL_DRIFT_GONE", events.get(events.size() - 1).kind().name());
        assertTrue(events.get(events.size() - 1).message().contains("another model"), events.toString());
    }

    @Test
    void theGoldenSetCanBeTheReferenceAndAModelWithoutKeptAnswersFallsBackToItsFirstFrames() throws Exception {
        DriftWatchComponent golden = new DriftWatchComponent(config(FRAMES, FRAMES, "golden"), Clock.systemUTC(), false);
        try {
            golden.bindEvents(board());
            RecordingDeployment deployment = new RecordingDeployment();
            List<Double> confidences = new java.util.ArrayList<>();
            List<Integer> classes = new java.util.ArrayList<>();
            for (int i = 0; i < 80; i++) { // what the gate saw: confident, a fifth of the golden images defects
                confidences.add(Math.min(1.0, 0.9 + 0.05 * random.nextGaussian()));
                classes.add(i % 5 == 0 ? 1 : 0);
            }
            deployment.golden.put("defect@1.0.0", new io.linesight.api.deploy.GoldenOutputs("defect@1.0.0",
                    confidences, classes));
            golden.bindDeployment(deployment);

            feed(golden, "defect:1.0.0", FRAMES, 0.90, 0.20);
            golden.evaluate();
            DriftFigures stable = only(golden);
            assertEquals(DriftFigures.State.STABLE, stable.state(), "no frames spent on a reference: " + stable);
            assertEquals(80, stable.referenceFrames(), "the golden images are the reference");
            assertEquals(0, stable.verdictPsi(), "verdict shares are not compared with a golden reference");

            feed(golden, "defect:1.0.0", FRAMES, 0.65, 0.20);
            golden.evaluate();
            assertEquals(DriftFigures.State.DRIFTING, only(golden).state(), only(golden).toString());
            assertTrue(events.get(events.size() - 1).message().startsWith(
                    "model defect:1.0.0 judges differently from its golden set (80 images):"), events.toString());

            feed(golden, "defect:2.0.0", 10, 0.90, 0.02); // nothing kept for 2.0.0: its first frames
            golden.evaluate();
            assertEquals(DriftFigures.State.LEARNING, only(golden).state());
            assertEquals(10, only(golden).referenceFrames());
        } finally {
            golden.deactivate();
        }
    }

    @Test
    void aReferenceOtherThanFramesOrGoldenIsRefusedByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DriftWatchComponent(config(FRAMES, FRAMES, "gold"), Clock.systemUTC(), false));
        assertTrue(e.getMessage().contains("reference is 'gold'"), e.getMessage());
    }

    @Test
    void windowsStayBoundedWhateverTheNumberOfFrames() {
        feed("defect:1.0.0", 10 * FRAMES, 0.9, 0.02);
        watch.evaluate();
        DriftFigures f = only();
        assertEquals(FRAMES, f.referenceFrames());
        assertEquals(FRAMES, f.windowFrames());
    }

    private DriftFigures only() {
        return only(watch);
    }

    private static DriftFigures only(DriftWatchComponent component) {
        List<DriftFigures> all = component.figures();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    /** {@code frames} judged frames: top-1 confidence around {@code confidence}, a share {@code rejects} rejected. */
    private void feed(String model, int frames, double confidence, double rejects) {
        feed(watch, model, frames, confidence, rejects);
    }

    private void feed(DriftWatchComponent target, String model, int frames, double confidence, double rejects) {
        String[] parts = model.split(":");
        ModelInfo info = new ModelInfo(parts[0], parts[1], "00", Task.CLASSIFY, List.of("ok", "defect"));
        for (int i = 0; i < frames; i++) {
            float top = (float) Math.min(1.0, Math.max(0.5, confidence + 0.05 * random.nextGaussian()));
            boolean reject = random.nextDouble() < rejects;
            Classification result = new Classification(new float[] {top, 1 - top},
                    List.of(new ClassScore(reject ? 1 : 0, reject ? "defect" : "ok", top)), 0, 0, 0);
            InspectionEvent event = new InspectionEvent("default", "cam", ++sequence, System.nanoTime(), Instant.now(),
                    info, result, reject ? Verdict.REJECT : Verdict.PASS, "test", new StageLatencies(0, 0, 0, 0, 0, 0),
                    null);
            target.publish(event, null);
        }
    }

    private EventBoard board() {
        return recording;
    }

    static DriftWatchConfig config(int referenceFrames, int windowFrames) {
        return config(referenceFrames, windowFrames, "frames");
    }

    static DriftWatchConfig config(int referenceFrames, int windowFrames, String reference) {
        return new DriftWatchConfig() {
            @Override
            public String reference() {
                return reference;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return DriftWatchConfig.class;
            }

            @Override
            public int referenceFrames() {
                return referenceFrames;
            }

            @Override
            public int windowFrames() {
                return windowFrames;
            }

            @Override
            public long evaluateEveryMs() {
                return 1000;
            }

            @Override
            public double psiThreshold() {
                return 0.25;
            }

            @Override
            public double ksThreshold() {
                return 0.2;
            }
        };
    }
}
