package io.linesight.plc.modbus;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;

/**
 * The PLC register map as pure functions: how one result becomes {@value #COUNT} 16-bit holding
 * registers (documented for PLC programmers in the README's register map). Every value is an unsigned
 * 16-bit word; 32-bit values use two registers in the configured {@link WordOrder} and wrap modulo 2^32.
 */
final class ResultRegisters {

    /** Offset of the last verdict code ({@code Verdict.code()}: 1 PASS, 2 REJECT, 3 REVIEW). */
    static final int VERDICT = 0;
    /** Offset of the class index (top-1 class, or the most confident detection's class). */
    static final int CLASS_INDEX = 1;
    /** Offset of the confidence in thousandths (0..1000). */
    static final int CONFIDENCE = 2;
    /** Offset of the inspected count (uint32, two registers). */
    static final int INSPECTED = 3;
    /** Offset of the reject count (uint32, two registers). */
    static final int REJECTS = 5;
    /** Offset of the line state code ({@code LineState.code()}). */
    static final int LINE_STATE = 7;
    /** Offset of the model version: major, minor, patch in three registers. */
    static final int MODEL_VERSION = 8;
    /** Offset of the frame sequence number (uint32, two registers): the part id of this result. */
    static final int SEQUENCE = 11;
    /** Number of result registers. */
    static final int COUNT = 13;
    /** The class index when none applies (a detector that found nothing): -1 as a 16-bit word. */
    static final int NOT_APPLICABLE = 0xFFFF;

    private ResultRegisters() {
    }

    /** The result registers for one inspection. */
    static int[] encode(InspectionEvent event, LineStatus status, WordOrder order) {
        int[] words = new int[COUNT];
        words[VERDICT] = event.verdict().code();
        words[CLASS_INDEX] = classIndex(event.result());
        words[CONFIDENCE] = confidencePermille(confidence(event.result()));
        order.put(words, INSPECTED, status.counters().inspected());
        order.put(words, REJECTS, status.counters().reject());
        words[LINE_STATE] = status.state().code();
        System.arraycopy(ModelVersion.encode(event.model().version()), 0, words, MODEL_VERSION, 3);
        order.put(words, SEQUENCE, event.sequence());
        return words;
    }

    /** Top-1 class of a classification, the first (most confident) detection's class, else -1. */
    static int classIndex(InferenceResult result) {
        if (result instanceof Classification classification) {
            return classification.best().index() & 0xFFFF;
        }
        Detections detections = (Detections) result;
        return detections.objects().isEmpty() ? NOT_APPLICABLE : detections.objects().get(0).classIndex() & 0xFFFF;
    }

    /** The confidence behind {@link #classIndex}: 0 when no class applies. */
    static float confidence(InferenceResult result) {
        if (result instanceof Classification classification) {
            return classification.best().confidence();
        }
        Detections detections = (Detections) result;
        return detections.objects().isEmpty() ? 0f : detections.objects().get(0).confidence();
    }

    /** Confidence x1000, rounded, clamped to 0..1000 (NaN becomes 0). */
    static int confidencePermille(float confidence) {
        if (Float.isNaN(confidence)) {
            return 0;
        }
        return (int) Math.max(0, Math.min(1000, Math.round(confidence * 1000.0)));
    }

    /** The heartbeat after {@code value}: +1, wrapping 65535 to 0. */
    static int nextHeartbeat(int value) {
        return (value + 1) & 0xFFFF;
    }

    /** The words as Modbus sends them: each big-endian (high byte first). */
    static byte[] toBytes(int[] words) {
        byte[] bytes = new byte[words.length * 2];
        for (int i = 0; i < words.length; i++) {
            bytes[2 * i] = (byte) (words[i] >>> 8);
            bytes[2 * i + 1] = (byte) words[i];
        }
        return bytes;
    }
}
