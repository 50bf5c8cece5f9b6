package io.linesight.console;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Line snapshots built from the real API records, and a line service that returns them. */
final class Statuses {

    static final String SHA = "3f2a9c0d5e7b41a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";
    static final Instant TAKEN = Instant.parse("2026-11-22T08:30:00Z");
    static final ModelInfo MODEL = new ModelInfo("defect-mobilenetv2", "0.1.0", SHA, Task.CLASSIFY,
            List.of("good", "defect"));

    private Statuses() {
    }

    /** The line of the status-log example: RUNNING, 9.8 fps, 120/11/2, nothing dropped, 23.1 ms. */
    static LineStatus running(String lineId) {
        return new LineStatus(lineId, LineState.RUNNING, "", "cam-1", SourceState.STREAMING, Optional.of(MODEL),
                new LineCounters(120, 11, 2, Map.of()), 9.8, 23.14, 31.0, Optional.of(Verdict.PASS), TAKEN);
    }

    /** A line whose camera is lost, no model, frames dropped for two causes. */
    static LineStatus faulted(String lineId) {
        return new LineStatus(lineId, LineState.FAULT, "camera cam-2 lost: connection refused", "cam-2",
                SourceState.LOST, Optional.empty(),
                new LineCounters(5, 0, 0, Map.of(DropCause.NO_MODEL, 7L, DropCause.OVERRUN, 1234L)),
                Double.NaN, Double.NaN, Double.NaN, Optional.empty(), TAKEN);
    }

    static InspectionLine line(String id, Supplier<LineStatus> status) {
        return new InspectionLine() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public LineStatus status() {
                return status.get();
            }

            @Override
            public void resetCounters() {
                throw new UnsupportedOperationException("the console does not reset counters");
            }

            @Override
            public java.util.Optional<io.linesight.api.model.ModelInfo> installModel(
                    io.linesight.api.model.LoadedModel model, String origin) {
                throw new UnsupportedOperationException("not part of this test");
            }
        };
    }

    static Map<String, Object> props(String id) {
        return Map.of(InspectionLine.LINE_ID, id);
    }
}
