package io.linesight.watch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the health window (PID {@value #PID}; one for every line). A rule set to 0 or a negative value is
 * off; the window itself is off when both its frames and its time are.
 */
@ObjectClassDefinition(name = "LineSight health window",
        description = "After a line switches to another model, watches the new model for a while and rolls the line"
                + " back to its previous model when a rule breaks.")
public @interface HealthWindowConfig {

    /** The configuration PID. */
    String PID = "io.linesight.model.health";

    @AttributeDefinition(name = "Window frames", max = "1000000",
            description = "The window closes after this many frames judged by the new model (0 or less: no frame"
                    + " limit). It closes at whichever of its frames and its time comes first.")
    int healthWindowFrames() default 500;

    @AttributeDefinition(name = "Window time (ms)",
            description = "The window closes this long after the new model was first seen (0 or less: no time limit).")
    long healthWindowMs() default 600_000;

    @AttributeDefinition(name = "Previous model's frames", min = "50", max = "100000",
            description = "The latest frames of the running model kept as its figures (reject rate, inference latency)"
                    + " for the window of the model that replaces it.")
    int baselineFrames() default 500;

    @AttributeDefinition(name = "Max reject-rate ratio",
            description = "Reject-rate rule: rolls back when the window's reject rate exceeds this many times the"
                    + " previous model's AND the previous one plus minRejectRateIncrease (0 or less: rule off).")
    double maxRejectRateRatio() default 2.0;

    @AttributeDefinition(name = "Min reject-rate increase", min = "0", max = "1",
            description = "Absolute increase of the reject rate (0.05 = 5 points) the reject-rate rule needs as well,"
                    + " so a change from 0.1 % to 0.3 % is no rollback.")
    double minRejectRateIncrease() default 0.05;

    @AttributeDefinition(name = "Min frames for the reject rule", min = "1", max = "100000",
            description = "Frames the window and the previous model's figures need before the reject-rate rule is"
                    + " judged.")
    int minFramesForRejectRule() default 100;

    @AttributeDefinition(name = "Max inference errors",
            description = "Inference-error rule: rolls back when more than this many frames failed in the model"
                    + " inside the window (0 or less: rule off).")
    int maxInferenceErrors() default 3;

    @AttributeDefinition(name = "Max latency ratio",
            description = "Latency rule: rolls back when the window's inference-stage latency p95 exceeds this many"
                    + " times the previous model's (both need 50 frames; 0 or less: rule off).")
    double maxLatencyRatio() default 2.0;

    @AttributeDefinition(name = "Roll back on drift",
            description = "Drift rule: rolls back when the drift watch reports the line drifting inside the window."
                    + " Off by default: drift says the world changed (light, product), which another model rarely"
                    + " fixes and the previous model sees as well.")
    boolean rollbackOnDrift() default false;

    @AttributeDefinition(name = "Evaluate every (ms)", min = "50", max = "60000",
            description = "How often the rules are applied to the open windows.")
    long evaluateEveryMs() default 500;
}
