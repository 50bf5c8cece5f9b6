package io.linesight.scada.opcua;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The variables of one line's folder, with their path below {@code Lines/<lineId>} and OPC UA data
 * type. The order is the browse order. Counters are Int64: a Java {@code long} maps to it one to one,
 * no counter reaches 2^63, and more SCADA clients handle Int64 than UInt64.
 */
enum LineVariable {
    STATE("State", Identifiers.String, "LineState name: STARTING, RUNNING, FAULT or STOPPED"),
    STATE_CODE("StateCode", Identifiers.Int32, "LineState code: 0 STARTING, 1 RUNNING, 2 FAULT, 3 STOPPED"),
    STATE_DETAIL("StateDetail", Identifiers.String, "Why the line is in its state (for FAULT: what is wrong); may be empty"),
    LAST_VERDICT("LastVerdict", Identifiers.String, "Verdict of the last inspected frame: PASS, REJECT, REVIEW; empty before the first"),
    LAST_VERDICT_CODE("LastVerdictCode", Identifiers.Int32, "Verdict code: 1 PASS, 2 REJECT, 3 REVIEW, 0 none yet"),
    LAST_CLASS("LastClass", Identifiers.String, "Best class of the last frame (classifier: top-1; detector: most confident object, empty if none)"),
    LAST_CONFIDENCE("LastConfidence", Identifiers.Float, "Confidence of LastClass, 0..1 (0 when a detector found nothing)"),
    LAST_INSPECTION_TIME("LastInspectionTime", Identifiers.DateTime, "Capture wall-clock time of the last inspected frame"),
    LAST_FRAME_SEQUENCE("LastFrameSequence", Identifiers.Int64, "Sequence number of the last inspected frame at its camera: with Camera/SourceId, the result's id"),
    LAST_OBJECT_COUNT("LastObjectCount", Identifiers.Int32, "Detector: objects found in the last frame; 0 for a classifier"),
    LAST_OBJECT_CLASSES("LastObjectClasses", Identifiers.String, true, "Detector: the model's classes, in label order; empty for a classifier"),
    LAST_OBJECT_COUNTS("LastObjectCounts", Identifiers.Int32, true, "Detector: objects of each class of LastObjectClasses in the last frame; empty for a classifier"),
    COUNTERS_TOTAL("Counters/Total", Identifiers.Int64, "Frames that received a verdict: Pass + Reject + Review"),
    COUNTERS_PASS("Counters/Pass", Identifiers.Int64, "Frames judged PASS since start or reset"),
    COUNTERS_REJECT("Counters/Reject", Identifiers.Int64, "Frames judged REJECT since start or reset"),
    COUNTERS_REVIEW("Counters/Review", Identifiers.Int64, "Frames judged REVIEW since start or reset"),
    COUNTERS_DROPPED("Counters/Dropped", Identifiers.Int64, "Frames not inspected (overrun, no model, model error, shutdown)"),
    COUNTERS_DROPPED_OVERRUN("Counters/DroppedOverrun", Identifiers.Int64, "Dropped because a newer frame arrived before the model was free (the model is slower than the camera)"),
    COUNTERS_DROPPED_NO_MODEL("Counters/DroppedNoModel", Identifiers.Int64, "Dropped because the line had no model loaded"),
    COUNTERS_DROPPED_INFERENCE_ERROR("Counters/DroppedInferenceError", Identifiers.Int64, "Dropped because the model failed on the frame"),
    COUNTERS_DROPPED_SHUTDOWN("Counters/DroppedShutdown", Identifiers.Int64, "Dropped because the line stopped with the frame still waiting"),
    COUNTERS_REJECTS_MISSED("Counters/RejectsMissed", Identifiers.Int64, "Rejects of this line an output could not pulse (a REJECT_MISSED event each) since the OPC UA server started; ResetCounters leaves it alone"),
    FRAME_RATE("FrameRate", Identifiers.Double, "Inspected frames per second over the last few seconds"),
    LATENCY_P50_MS("LatencyP50Ms", Identifiers.Double, "Median capture-to-verdict latency, milliseconds"),
    LATENCY_P95_MS("LatencyP95Ms", Identifiers.Double, "95th percentile capture-to-verdict latency, milliseconds"),
    MODEL_NAME("Model/Name", Identifiers.String, "Name of the active model; empty when none is loaded"),
    MODEL_VERSION("Model/Version", Identifiers.String, "Version of the active model"),
    MODEL_SHA256("Model/Sha256", Identifiers.String, "SHA-256 of the active model file, hex"),
    CAMERA_SOURCE_ID("Camera/SourceId", Identifiers.String, "Id of the camera the line is configured for"),
    CAMERA_STATE("Camera/State", Identifiers.String, "SourceState name: CONNECTING, STREAMING, LOST or STOPPED"),
    CAMERA_CONNECTED("Camera/Connected", Identifiers.Boolean, "True while the camera delivers frames (State STREAMING)"),
    DRIFT_STATE("Drift/State", Identifiers.String, "Drift watch of the active model: LEARNING (filling its windows after an activation), STABLE or DRIFTING (alarm MODEL_DRIFT); empty without a drift watch"),
    DRIFT_CONFIDENCE_PSI("Drift/ConfidencePsi", Identifiers.Double, "Population stability index of the top-1 confidence, latest window against the frames after the activation"),
    DRIFT_CONFIDENCE_KS("Drift/ConfidenceKs", Identifiers.Double, "Two-sample Kolmogorov-Smirnov statistic of the top-1 confidence, latest window against the frames after the activation"),
    DRIFT_VERDICT_PSI("Drift/VerdictPsi", Identifiers.Double, "Population stability index of the verdict shares (PASS, REJECT, REVIEW), latest window against the frames after the activation"),
    DRIFT_CLASS_PSI("Drift/ClassPsi", Identifiers.Double, "Population stability index of the top-1 class shares, latest window against the frames after the activation"),
    LAST_COMMAND_RESULT("LastCommandResult", Identifiers.String, "What the last method call on this line did, or why it was refused (\"refused: ...\"); empty before the first");

    private final String path;
    private final NodeId dataType;
    private final String meaning;
    private final boolean array;

    LineVariable(String path, NodeId dataType, String meaning) {
        this(path, dataType, false, meaning);
    }

    LineVariable(String path, NodeId dataType, boolean array, String meaning) {
        this.path = path;
        this.dataType = dataType;
        this.array = array;
        this.meaning = meaning;
    }

    /** True for a one-dimensional array variable. */
    boolean array() {
        return array;
    }

    /** Path below the line's folder, for example {@code Counters/Pass}. */
    String path() {
        return path;
    }

    /** The sub-folder this variable lives in ({@code Counters}, {@code Model}, {@code Camera}), or "". */
    String folder() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The browse name: the last path segment. */
    String browseName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** OPC UA data type, for example {@code Identifiers.Int64}. */
    NodeId dataType() {
        return dataType;
    }

    /** One line for the address-space documentation and the node's Description attribute. */
    String meaning() {
        return meaning;
    }
}
