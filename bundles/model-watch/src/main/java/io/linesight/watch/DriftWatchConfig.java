package io.linesight.watch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the drift watch (PID {@value #PID}; one for every line). */
@ObjectClassDefinition(name = "LineSight drift watch",
        description = "Compares each line's latest judged frames with the first ones after its model's activation.")
public @interface DriftWatchConfig {

    /** The configuration PID. */
    String PID = "io.linesight.model.watch";

    @AttributeDefinition(name = "Reference frames", min = "50", max = "100000",
            description = "Frames judged right after an activation that make the reference window.")
    int referenceFrames() default 500;

    @AttributeDefinition(name = "Window frames", min = "50", max = "100000",
            description = "Latest judged frames compared with the reference.")
    int windowFrames() default 500;

    @AttributeDefinition(name = "Reference", options = {
            @org.osgi.service.metatype.annotations.Option(label = "the first frames after the activation", value = "frames"),
            @org.osgi.service.metatype.annotations.Option(label = "the model's golden set, as its gate judged it", value = "golden")},
            description = "What the line's latest frames are compared with: 'frames' (the first referenceFrames judged"
                    + " after the activation) or 'golden' (what the model answered on its own golden set when its gate"
                    + " passed on this runtime; a model without kept answers falls back to 'frames'). The verdict shares"
                    + " are compared only with 'frames': the line's thresholds never judged the golden set.")
    String reference() default "frames";

    @AttributeDefinition(name = "Evaluate every (ms)", min = "100", max = "3600000")
    long evaluateEveryMs() default 1000;

    @AttributeDefinition(name = "PSI threshold", min = "0",
            description = "Population stability index (confidence or verdict shares) at which the line counts as"
                    + " drifting; 0.25 is the usual 'significant shift'.")
    double psiThreshold() default 0.25;

    @AttributeDefinition(name = "KS threshold", min = "0", max = "1",
            description = "Two-sample Kolmogorov-Smirnov statistic of the confidence at which the line counts as"
                    + " drifting (the largest gap between the two distribution functions).")
    double ksThreshold() default 0.2;
}
