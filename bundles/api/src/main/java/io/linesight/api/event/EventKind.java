package io.linesight.api.event;

/**
 * The kinds of runtime event. Conditions (an alarm that is active until the cause goes away) come in
 * pairs: the raising kind and the kind that clears it. A latching alarm marks something that happened once (a
 * reject that could not be pulsed): it is inactive at once but stays on the alarm list until an operator
 * acknowledges it. The rest are one-shot events.
 */
public enum EventKind {
    /** A line's camera stopped delivering frames (condition; cleared by {@link #CAMERA_RESTORED}). */
    CAMERA_LOST(700, true),
    CAMERA_RESTORED(300, false),
    /**
     * A line's camera setting matches no camera (a typo, a malformed filter, a camera file deleted) (condition;
     * cleared by {@link #CAMERA_FOUND}).
     */
    CAMERA_MISCONFIGURED(700, true),
    CAMERA_FOUND(300, false),
    /** A line got no frame for its noFrameFaultMs: parts pass uninspected (condition; cleared by {@link #FRAMES_RESUMED}). */
    NO_FRAMES(700, true),
    FRAMES_RESUMED(300, false),
    /** A line has no model it can run: its package was refused or cannot load (condition; cleared by {@link #MODEL_ACTIVATED}). */
    NO_MODEL(800, true),
    /** An output lost its PLC connection (condition; cleared by {@link #PLC_RESTORED}). */
    PLC_LOST(800, true),
    PLC_RESTORED(300, false),
    /**
     * Another LineSight runtime drives the output's PLC (its lease in the master lock registers advances), so this
     * output drives nothing there (condition; cleared by {@link #PLC_OTHER_MASTER_GONE}).
     */
    PLC_OTHER_MASTER(800, true),
    PLC_OTHER_MASTER_GONE(300, false),
    /**
     * A PLC output that does not name its lines while the runtime runs more than one: it drives no ejector, since
     * it cannot tell whose part a reject is for (condition; cleared by {@link #OUTPUT_LINES_RESOLVED}).
     */
    OUTPUT_LINES_AMBIGUOUS(800, true),
    OUTPUT_LINES_RESOLVED(300, false),
    /** A line's model failed on frames (condition; cleared by {@link #INFERENCE_RECOVERED}). */
    INFERENCE_ERROR(700, true),
    INFERENCE_RECOVERED(300, false),
    /**
     * A line's active model judges differently from when it started: the confidence or verdict distribution of its
     * latest frames drifted beyond the thresholds of the model watch (condition; cleared by {@link #MODEL_DRIFT_GONE}).
     */
    MODEL_DRIFT(600, true),
    MODEL_DRIFT_GONE(300, false),
    /** A reject could not be pulsed: a bad part may have passed (latching: stays until acknowledged). */
    REJECT_MISSED(900, true),
    /**
     * A line's model was signed by a key that is no longer in the trust list: the line fell back to its newest
     * activation whose signer is still trusted (latching: the message names the package and the key).
     */
    MODEL_TRUST_REVOKED(800, true),
    /**
     * The health window after an activation found a rule broken and rolled the line back to its previous model
     * (latching: the message names the rule and the figures).
     */
    MODEL_ROLLED_BACK(700, true),
    /**
     * The Sparkplug node cannot publish upstream: the broker is unreachable or the primary host application is
     * offline; what it would send goes to its journal (condition; cleared by {@link #UPSTREAM_RESTORED}).
     */
    UPSTREAM_LOST(500, true),
    UPSTREAM_RESTORED(300, false),
    /**
     * Upstream data was lost: the Sparkplug journal dropped its oldest messages (size or age bound) or could not write
     * (latching: the message says how many and why).
     */
    UPSTREAM_DATA_DROPPED(700, true),
    /** A model package was refused: signature, card, gate (one-shot). */
    MODEL_REFUSED(600, false),
    /**
     * A line's shadow trial stopped: its candidate failed, answered NaN or fell behind, an operator stopped it, or it
     * was promoted (one-shot; the message names the candidate and why).
     */
    SHADOW_STOPPED(400, false),
    /** A line switched to another model (one-shot; also clears {@link #NO_MODEL}). */
    MODEL_ACTIVATED(300, false),
    /** A line's configuration was refused; the line keeps its previous one (one-shot). */
    CONFIG_REFUSED(600, false),
    /** An operator acknowledged an alarm (one-shot; the message names the alarm and who). */
    ALARM_ACKNOWLEDGED(200, false);

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

    /** True when the event raises an alarm (a condition, or a latching alarm). */
    public boolean raisesAlarm() {
        return raisesAlarm;
    }

    /** True for an alarm about something that happened once: inactive at once, listed until acknowledged. */
    public boolean latching() {
        return this == REJECT_MISSED || this == MODEL_TRUST_REVOKED || this == MODEL_ROLLED_BACK
                || this == UPSTREAM_DATA_DROPPED;
    }

    /**
     * True for kinds that only say a condition is gone (a camera restored): without an active condition they are
     * no news. {@link #MODEL_ACTIVATED} clears {@link #NO_MODEL} but is news on its own.
     */
    public boolean onlyClears() {
        return this != MODEL_ACTIVATED && !raisesAlarm && raisingKindFor(this) != null;
    }

    /** The kind this one clears, or null. */
    public static EventKind raisingKindFor(EventKind clearing) {
        for (EventKind k : values()) {
            if (k.clearedBy() == clearing) {
                return k;
            }
        }
        return null;
    }

    /** The kind that clears this condition, or null (one-shot events and latching alarms). */
    public EventKind clearedBy() {
        return switch (this) {
            case CAMERA_LOST -> CAMERA_RESTORED;
            case CAMERA_MISCONFIGURED -> CAMERA_FOUND;
            case NO_FRAMES -> FRAMES_RESUMED;
            case NO_MODEL -> MODEL_ACTIVATED;
            case PLC_LOST -> PLC_RESTORED;
            case OUTPUT_LINES_AMBIGUOUS -> OUTPUT_LINES_RESOLVED;
            case PLC_OTHER_MASTER -> PLC_OTHER_MASTER_GONE;
            case MODEL_DRIFT -> MODEL_DRIFT_GONE;
            case INFERENCE_ERROR -> INFERENCE_RECOVERED;
            case UPSTREAM_LOST -> UPSTREAM_RESTORED;
            default -> null;
        };
    }
}
