package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.LineVariable.*;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * What a line's variables show, computed from the API's immutable records. Pure functions: no server,
 * no clock, so every mapping is unit tested without a network.
 */
final class LineValues {

    private LineValues() {
    }

    /** The variables a {@link LineStatus} determines: state, counters, rates, model and camera. */
    static Map<LineVariable, Variant> ofStatus(LineStatus status) {
        Map<LineVariable, Variant> values = new EnumMap<>(LineVariable.class);
        values.put(STATE, text(status.state() == null ? null : status.state().name()));
        values.put(STATE_CODE, new Variant(status.state() == null ? -1 : status.state().code()));
        values.put(STATE_DETAIL, text(status.stateDetail()));
        putCounters(values, status.counters() == null ? LineCounters.zero() : status.counters());
        values.put(FRAME_RATE, new Variant(status.framesPerSecond()));
        values.put(LATENCY_P50_MS, new Variant(status.latencyP50Ms()));
        values.put(LATENCY_P95_MS, new Variant(status.latencyP95Ms()));
        putModel(values, status.model() == null ? Optional.empty() : status.model());
        values.put(CAMERA_SOURCE_ID, text(status.sourceId()));
        values.put(CAMERA_STATE, text(status.sourceState() == null ? null : status.sourceState().name()));
        values.put(CAMERA_CONNECTED, new Variant(status.sourceState() == SourceState.STREAMING));
        return Collections.unmodifiableMap(values);
    }

    /** The drift watch's figures for the line. */
    static Map<LineVariable, Variant> ofDrift(io.linesight.api.watch.DriftFigures figures) {
        Map<LineVariable, Variant> values = new EnumMap<>(LineVariable.class);
        values.put(DRIFT_STATE, text(figures.state().name()));
        values.put(DRIFT_CONFIDENCE_PSI, new Variant(figures.confidencePsi()));
        values.put(DRIFT_CONFIDENCE_KS, new Variant(figures.confidenceKs()));
        values.put(DRIFT_VERDICT_PSI, new Variant(figures.verdictPsi()));
        values.put(DRIFT_CLASS_PSI, new Variant(figures.classPsi()));
        return Collections.unmodifiableMap(values);
    }

    /** The variables one inspection determines: verdict, best class, confidence and capture time. */
    static Map<LineVariable, Variant> ofInspection(InspectionEvent event) {
        Map<LineVariable, Variant> values = new EnumMap<>(LineVariable.class);
        putVerdict(values, Optional.of(event.verdict()));
        Optional<ClassScore> best = bestClass(event.result());
        values.put(LAST_CLASS, text(best.map(ClassScore::label).orElse("")));
        values.put(LAST_CONFIDENCE, new Variant(best.map(ClassScore::confidence).orElse(0f)));
        values.put(LAST_INSPECTION_TIME, new Variant(new DateTime(event.captureTime())));
        values.put(LAST_FRAME_SEQUENCE, new Variant(event.sequence()));
        putObjects(values, event);
        return Collections.unmodifiableMap(values);
    }

    /**
     * The verdict variables of a line seen for the first time without an inspection (the line existed
     * before this server started): its last verdict if it has one, else "" and code 0.
     */
    static Map<LineVariable, Variant> initialVerdict(LineStatus status) {
        Map<LineVariable, Variant> values = new EnumMap<>(LineVariable.class);
        putVerdict(values, status.lastVerdict() == null ? Optional.empty() : status.lastVerdict());
        return Collections.unmodifiableMap(values);
    }

    /** The classifier's top-1, or the detector's most confident object (detections come sorted). */
    static Optional<ClassScore> bestClass(InferenceResult result) {
        if (result instanceof Classification classification) {
            return Optional.of(classification.best());
        }
        return ((Detections) result).objects().stream()
                .findFirst()
                .map(d -> new ClassScore(d.classIndex(), d.label(), d.confidence()));
    }

    /** Per-class object counts of a detector's frame, aligned with the model's labels; empty for a classifier. */
    private static void putObjects(Map<LineVariable, Variant> values, InspectionEvent event) {
        if (event.result() instanceof Detections detections) {
            List<String> labels = event.model().labels();
            int[] counts = labels.stream().mapToInt(label -> (int) detections.count(label)).toArray();
            values.put(LAST_OBJECT_COUNT, new Variant(detections.objects().size()));
            values.put(LAST_OBJECT_CLASSES, new Variant(labels.toArray(String[]::new)));
            values.put(LAST_OBJECT_COUNTS, new Variant(Arrays.stream(counts).boxed().toArray(Integer[]::new)));
        } else {
            values.put(LAST_OBJECT_COUNT, new Variant(0));
            values.put(LAST_OBJECT_CLASSES, new Variant(new String[0]));
            values.put(LAST_OBJECT_COUNTS, new Variant(new Integer[0]));
        }
    }

    private static void putVerdict(Map<LineVariable, Variant> values, Optional<Verdict> verdict) {
        values.put(LAST_VERDICT, text(verdict.map(Verdict::name).orElse("")));
        values.put(LAST_VERDICT_CODE, new Variant(verdict.map(Verdict::code).orElse(0)));
    }

    private static void putCounters(Map<LineVariable, Variant> values, LineCounters counters) {
        values.put(COUNTERS_TOTAL, new Variant(counters.inspected()));
        values.put(COUNTERS_PASS, new Variant(counters.pass()));
        values.put(COUNTERS_REJECT, new Variant(counters.reject()));
        values.put(COUNTERS_REVIEW, new Variant(counters.review()));
        values.put(COUNTERS_DROPPED, new Variant(counters.droppedTotal()));
        values.put(COUNTERS_DROPPED_OVERRUN, new Variant(counters.dropped().get(DropCause.OVERRUN)));
        values.put(COUNTERS_DROPPED_NO_MODEL, new Variant(counters.dropped().get(DropCause.NO_MODEL)));
        values.put(COUNTERS_DROPPED_INFERENCE_ERROR, new Variant(counters.dropped().get(DropCause.INFERENCE_ERROR)));
        values.put(COUNTERS_DROPPED_SHUTDOWN, new Variant(counters.dropped().get(DropCause.SHUTDOWN)));
    }

    private static void putModel(Map<LineVariable, Variant> values, Optional<ModelInfo> model) {
        values.put(MODEL_NAME, text(model.map(ModelInfo::name).orElse("")));
        values.put(MODEL_VERSION, text(model.map(ModelInfo::version).orElse("")));
        values.put(MODEL_SHA256, text(model.map(ModelInfo::sha256).orElse("")));
    }

    /** Strings are never null on the wire: a missing text is shown as "". */
    private static Variant text(String value) {
        return new Variant(value == null ? "" : value);
    }
}
