package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.LineVariable.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

class LineValuesTest {

    @Test
    void driftFiguresFillTheDriftFolder() {
        Map<LineVariable, Variant> values = LineValues.ofDrift(new io.linesight.api.watch.DriftFigures("a", "m:1.0.0",
                io.linesight.api.watch.DriftFigures.State.DRIFTING, 500, 500, 0.31, 0.22, 0.05, 0.07, 0.02, 0.12,
                java.time.Instant.now()));
        assertEquals("DRIFTING", values.get(LineVariable.DRIFT_STATE).getValue());
        assertEquals(0.31, values.get(LineVariable.DRIFT_CONFIDENCE_PSI).getValue());
        assertEquals(0.22, values.get(LineVariable.DRIFT_CONFIDENCE_KS).getValue());
        assertEquals(0.05, values.get(LineVariable.DRIFT_VERDICT_PSI).getValue());
        assertEquals(0.07, values.get(LineVariable.DRIFT_CLASS_PSI).getValue());
        assertEquals("Drift", LineVariable.DRIFT_STATE.folder());
    }

    @Test
    void statusGivesStateCountersRatesModelAndCamera() {
        LineCounters counters = new LineCounters(5, 2, 1, Map.of(DropCause.OVERRUN, 3L, DropCause.NO_MODEL, 4L));
        LineStatus status = new LineStatus("l", LineState.FAULT, "camera lost", "cam-9", SourceState.LOST,
                Optional.of(TestRecords.MODEL), counters, 9.5, 11.0, 30.0, Optional.of(Verdict.PASS), Instant.EPOCH);

        Map<LineVariable, Variant> values = LineValues.ofStatus(status);

        assertEquals("FAULT", value(values, STATE));
        assertEquals(2, value(values, STATE_CODE));
        assertEquals("camera lost", value(values, STATE_DETAIL));
        assertEquals(8L, value(values, COUNTERS_TOTAL));
        assertEquals(5L, value(values, COUNTERS_PASS));
        assertEquals(2L, value(values, COUNTERS_REJECT));
        assertEquals(1L, value(values, COUNTERS_REVIEW));
        assertEquals(7L, value(values, COUNTERS_DROPPED));
        assertEquals(3L, value(values, COUNTERS_DROPPED_OVERRUN));
        assertEquals(4L, value(values, COUNTERS_DROPPED_NO_MODEL));
        assertEquals(0L, value(values, COUNTERS_DROPPED_INFERENCE_ERROR));
        assertEquals(0L, value(values, COUNTERS_DROPPED_SHUTDOWN));
        assertEquals(false, value(values, CAMERA_CONNECTED));
        assertEquals(9.5, value(values, FRAME_RATE));
        assertEquals(11.0, value(values, LATENCY_P50_MS));
        assertEquals(30.0, value(values, LATENCY_P95_MS));
        assertEquals("1.0.0", value(values, MODEL_VERSION));
        assertEquals("cam-9", value(values, CAMERA_SOURCE_ID));
        assertEquals("LOST", value(values, CAMERA_STATE));
        assertEquals(EnumSet.complementOf(EnumSet.of(LAST_VERDICT, LAST_VERDICT_CODE, LAST_CLASS, LAST_CONFIDENCE,
                LAST_INSPECTION_TIME, LAST_COMMAND_RESULT, LAST_FRAME_SEQUENCE, LAST_OBJECT_COUNT, LAST_OBJECT_CLASSES,
                LAST_OBJECT_COUNTS, COUNTERS_REJECTS_MISSED, LineVariable.DRIFT_STATE, LineVariable.DRIFT_CONFIDENCE_PSI,
                LineVariable.DRIFT_CONFIDENCE_KS, LineVariable.DRIFT_VERDICT_PSI, LineVariable.DRIFT_CLASS_PSI)),
                values.keySet(),
                "RejectsMissed comes from the events, Drift from the drift watch");
    }

    @Test
    void missingModelAndDetailAreEmptyTextNotNull() {
        LineStatus status = new LineStatus("l", LineState.STARTING, null, null, null, Optional.empty(),
                LineCounters.zero(), 0, 0, 0, Optional.empty(), Instant.EPOCH);

        Map<LineVariable, Variant> values = LineValues.ofStatus(status);

        assertEquals("", value(values, MODEL_NAME));
        assertEquals("", value(values, MODEL_SHA256));
        assertEquals("", value(values, STATE_DETAIL));
        assertEquals("", value(values, CAMERA_STATE));
        assertEquals(0, value(values, STATE_CODE));
    }

    @Test
    void classificationGivesTopOneAndCaptureTime() {
        Instant capture = Instant.parse("2026-11-22T08:00:00.000000100Z");

        Map<LineVariable, Variant> values = LineValues.ofInspection(
                TestRecords.event("l", 1, Verdict.REJECT, capture, TestRecords.classification("defect", 0.8f)));

        assertEquals("REJECT", value(values, LAST_VERDICT));
        assertEquals(2, value(values, LAST_VERDICT_CODE));
        assertEquals("defect", value(values, LAST_CLASS));
        assertEquals(0.8f, value(values, LAST_CONFIDENCE));
        assertEquals(capture, ((DateTime) value(values, LAST_INSPECTION_TIME)).getJavaInstant());
        assertEquals(1L, value(values, LAST_FRAME_SEQUENCE));
        assertEquals(0, value(values, LAST_OBJECT_COUNT));
        assertArrayEquals(new Integer[0], (Integer[]) value(values, LAST_OBJECT_COUNTS));
    }

    @Test
    void detectionGivesTheMostConfidentObjectOrNothing() {
        Detections two = new Detections(List.of(new Detection(1, "scratch", 0.9f, 0, 0, 1, 1),
                new Detection(0, "dent", 0.6f, 0, 0, 1, 1)), 1, 1, 1);
        Detections none = new Detections(List.of(), 1, 1, 1);

        Map<LineVariable, Variant> found = LineValues.ofInspection(TestRecords.event("l", 1, Verdict.REJECT, Instant.EPOCH, two));
        Map<LineVariable, Variant> empty = LineValues.ofInspection(TestRecords.event("l", 2, Verdict.PASS, Instant.EPOCH, none));

        assertEquals("scratch", value(found, LAST_CLASS));
        assertEquals(0.9f, value(found, LAST_CONFIDENCE));
        assertEquals(2, value(found, LAST_OBJECT_COUNT));
        assertArrayEquals(new String[] {"good", "defect"}, (String[]) value(found, LAST_OBJECT_CLASSES));
        assertArrayEquals(new Integer[] {0, 0}, (Integer[]) value(found, LAST_OBJECT_COUNTS));
        assertEquals("", value(empty, LAST_CLASS));
        assertEquals(0f, value(empty, LAST_CONFIDENCE));
    }

    @Test
    void detectorCountsObjectsPerClassOfTheModel() {
        io.linesight.api.model.ModelInfo detector = new io.linesight.api.model.ModelInfo("sku", "1", "00",
                io.linesight.api.model.Task.DETECT, List.of("bottle", "can", "box"));
        Detections three = new Detections(List.of(new Detection(1, "can", 0.9f, 0, 0, 1, 1),
                new Detection(0, "bottle", 0.8f, 0, 0, 1, 1), new Detection(1, "can", 0.7f, 0, 0, 1, 1)), 1, 1, 1);
        io.linesight.api.inspection.InspectionEvent event = new io.linesight.api.inspection.InspectionEvent("l", "cam", 9, 0,
                Instant.EPOCH, detector, three, Verdict.PASS, "", null, null);

        Map<LineVariable, Variant> values = LineValues.ofInspection(event);

        assertEquals(3, value(values, LAST_OBJECT_COUNT));
        assertArrayEquals(new String[] {"bottle", "can", "box"}, (String[]) value(values, LAST_OBJECT_CLASSES));
        assertArrayEquals(new Integer[] {1, 2, 0}, (Integer[]) value(values, LAST_OBJECT_COUNTS));
    }

    @Test
    void initialVerdictIsTheStatusLastVerdictOrNone() {
        assertEquals("REVIEW", value(LineValues.initialVerdict(TestRecords.status("l", LineCounters.zero(), Optional.of(Verdict.REVIEW))), LAST_VERDICT));
        assertEquals(3, value(LineValues.initialVerdict(TestRecords.status("l", LineCounters.zero(), Optional.of(Verdict.REVIEW))), LAST_VERDICT_CODE));
        assertEquals("", value(LineValues.initialVerdict(TestRecords.status("l", LineCounters.zero(), Optional.empty())), LAST_VERDICT));
        assertEquals(0, value(LineValues.initialVerdict(TestRecords.status("l", LineCounters.zero(), Optional.empty())), LAST_VERDICT_CODE));
    }

    private static Object value(Map<LineVariable, Variant> values, LineVariable variable) {
        return values.get(variable).getValue();
    }
}
