package io.linesight.scada.opcua;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Real API records, as a line would publish them. */
final class TestRecords {

    static final ModelInfo MODEL = new ModelInfo("defect-mobilenetv2", "1.0.0",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Task.CLASSIFY, List.of("good", "defect"));

    private TestRecords() {
    }

    /** A classification with {@code label} as top-1 at {@code confidence}. */
    static Classification classification(String label, float confidence) {
        int index = label.equals("good") ? 0 : 1;
        return new Classification(new float[] {1 - confidence, confidence},
                List.of(new ClassScore(index, label, confidence), new ClassScore(1 - index, "other", 1 - confidence)),
                1_000, 2_000, 3_000);
    }

    static InspectionEvent event(String lineId, long sequence, Verdict verdict, Instant capture, InferenceResult result) {
        return new InspectionEvent(lineId, "cam-1", sequence, System.nanoTime(), capture, MODEL, result, verdict,
                "test", new StageLatencies(1, 2, 3, 4, 5, 15), null);
    }

    static InspectionEvent event(String lineId, long sequence, Verdict verdict, Instant capture) {
        return event(lineId, sequence, verdict, capture, classification("defect", 0.93f));
    }

    static LineStatus status(String lineId, LineCounters counters, Optional<Verdict> last) {
        return new LineStatus(lineId, LineState.RUNNING, "", "cam-1", SourceState.STREAMING, Optional.of(MODEL),
                counters, 12.5, 8.25, 19.75, last, Instant.now());
    }

    static LineCounters counters(long pass, long reject, long review) {
        return new LineCounters(pass, reject, review, Map.of());
    }
}
