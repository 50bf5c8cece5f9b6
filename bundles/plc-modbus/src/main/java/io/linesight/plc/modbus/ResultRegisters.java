package io.linesight.plc.modbus;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;

/**
 * The PLC register map as pure functions: how one result becomes eight 16-bit holding registers
 * (documented for PLC programmers in the register map). Every value is an unsigned 16-bit word;
 * 32-bit counters are split high word first (big-endian word order, "ABCD") and wrap modulo 2^32.
 */
final class ResultRegisters {

    /** Offset of the last verdict code ({@code Verdict.code()}: 1 PASS, 2 REJECT, 3 REVIEW). */
    static final int VERDICT = 0;
    /** Offset of the class index (top-1 class, or the most confident detection's class). */
    static final int CLASS_INDEX = 1;
    /** Offset of the confidence in thousandths (0..1000). */
    static final int CONFIDENCE = 2;
    /** Offset of the high word of the inspected count; the low word follows. */
    static final int INSPECTED = 3;
    /** Offset of the high word of the reject count; the low word follows. */
    static final int REJECTS = 5;
    /** Offset of the line state code ({@code LineState.code()}). */
    static final int LINE_STATE = 7;
    /** Number of result registers. */
    static final int COUNT = 8;
    /** The class index when none applies (a detector that found nothing): -1 as a 16-bit word. */
    static final int NOT_APPLICABLE = 0xFFFF;

    private ResultRegisters() {
    }

    /** The eight result registers for one inspection. */
    static int[] encode(InspectionEvent event, LineStatus status) {
        int[] words = new int[COUNT];
        words[VERDICT] = event.verdict().code();
        words[CLASS_INDEX] = classIndex(event.result());
        words[CONFIDENCE] = confidencePermille(confidence(event.result()));
        putLong(words, INSPECTED, status.counters().inspected());
        putLong(words, REJECTS, status.counters().reject());
        words[LINE_STATE] = status.state().code();
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

    /** High 16 bits of the counter modulo 2^32. */
    static int highWord(long value) {
        return (int) ((value >>> 16) & 0xFFFF);
    }

    /** Low 16 bits of the counter. */
    static int lowWord(long value) {
        return (int) (value & 0xFFFF);
    }

    /** What a PLC computes from the two words: {@code high * 65536 + low}. */
    static long joinWords(int high, int low) {
        return ((long) (high & 0xFFFF) << 16) | (low & 0xFFFF);
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

    private static void putLong(int[] words, int offset, long value) {
        words[offset] = highWord(value);
        words[offset + 1] = lowWord(value);
    }
}
