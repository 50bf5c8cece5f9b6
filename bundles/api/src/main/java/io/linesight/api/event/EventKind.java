package io.linesight.api.event;

/**
 * The kinds of runtime event. Conditions (an alarm that is active until the cause goes away) come in
 * pairs: the raising kind and the kind that clears it. The rest are one-shot events.
 */
public enum EventKind {
    /** A line's camera stopped delivering frames (condition; cleared by {@link #CAMERA_RESTORED}). */
    CAMERA_LOST(700, true),
    CAMERA_RESTORED(300, false),
    /** An output lost its PLC connection (condition; cleared by {@link #PLC_RESTORED}). */
    PLC_LOST(800, true),
    PLC_RESTORED(300, false),
    /** A line's model failed on frames (condition; cleared by {@link #INFERENCE_RECOVERED}). */
    INFERENCE_ERROR(700, true),
    INFERENCE_RECOVERED(300, false),
    /** A model package was refused: signature, card, gate (one-shot). */
    MODEL_REFUSED(600, false),
    /** A line switched to another model (one-shot). */
    MODEL_ACTIVATED(300, false),
    /** A line's configuration was refused; the line keeps its previous one (one-shot). */
    CONFIG_REFUSED(600, false);

    private final int severity;
    private final boolean raisesAlarm;

    EventKind(int severity, boolean raisesAlarm) {
        this.severity = severity;
        this.raisesAlarm = raisesAlarm;
    }

    /** OPC UA style severity, 1 (lowest) to 1000 (highest). */
    public int severity() {
        return severity;
    }

    /** True when the event raises a condition that stays active until cleared. */
    public boolean raisesAlarm() {
        return raisesAlarm;
    }

    /** The kind that clears this condition, or null for one-shot and clearing kinds. */
    public EventKind clearedBy() {
        return switch (this) {
            case CAMERA_LOST -> CAMERA_RESTORED;
            case PLC_LOST -> PLC_RESTORED;
            case INFERENCE_ERROR -> INFERENCE_RECOVERED;
            default -> null;
        };
    }
}
