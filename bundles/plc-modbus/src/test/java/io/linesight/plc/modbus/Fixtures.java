package io.linesight.plc.modbus;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Events and statuses built from the real API records, and a polling helper. */
final class Fixtures {

    static final ModelInfo MODEL = new ModelInfo("defect", "1.0.0", "ab12", Task.CLASSIFY,
            List.of("good", "scratch", "dent"));

    private Fixtures() {
    }

    /** The classifier says "dent" (class 2) with confidence 0.7. */
    static Classification dent() {
        return new Classification(new float[] {0.1f, 0.2f, 0.7f}, List.of(new ClassScore(2, "dent", 0.7f)), 1, 2, 3);
    }

    static Detections detections(Detection... objects) {
        return new Detections(List.of(objects), 1, 2, 3);
    }

    static InspectionEvent event(Verdict verdict, long sequence, long captureNanos, InferenceResult result) {
        return new InspectionEvent("line-1", "cam-1", sequence, captureNanos, Instant.now(), MODEL, result, verdict,
                "test", new StageLatencies(0, 0, 0, 0, 0, 0), null);
    }

    static LineStatus status(LineState state, long pass, long reject, long review) {
        return new LineStatus("line-1", state, "", "cam-1", SourceState.STREAMING, Optional.of(MODEL),
                new LineCounters(pass, reject, review, Map.of()), 30.0, 12.0, 20.0, Optional.empty(), Instant.now());
    }

    /** Polls until the condition holds; fails with the message after the deadline. */
    static void await(Duration timeout, BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ": " + message);
            }
            Thread.sleep(10);
        }
    }
}
