package io.linesight.plc.modbus;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
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
        return status("line-1", state, "", pass, reject, review);
    }

    /** A state change of {@code lineId} without counts, as a line announces it. */
    static LineStatus status(String lineId, LineState state, String detail) {
        return status(lineId, state, detail, 0, 0, 0);
    }

    static LineStatus status(String lineId, LineState state, String detail, long pass, long reject, long review) {
        return new LineStatus(lineId, state, detail, "cam-1", SourceState.STREAMING, Optional.of(MODEL),
                new LineCounters(pass, reject, review, Map.of()), 30.0, 12.0, 20.0, Optional.empty(), Instant.now());
    }

    /** A line service with a fixed status, as the line bundle registers it. */
    static InspectionLine line(String lineId, LineStatus status) {
        return new InspectionLine() {
            @Override
            public String id() {
                return lineId;
            }

            @Override
            public LineStatus status() {
                return status;
            }

            @Override
            public void resetCounters() {
            }

            @Override
            public java.util.Optional<io.linesight.api.model.ModelInfo> installModel(
                    io.linesight.api.model.LoadedModel model, String origin) {
                throw new UnsupportedOperationException("not part of this test");
            }
        };
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
