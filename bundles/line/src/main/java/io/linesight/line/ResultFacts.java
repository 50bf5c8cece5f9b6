package io.linesight.line;

import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;

/**
 * The facts a comparison of two models needs from one result: its top-1 class and confidence (a classifier's best
 * class; a detector's most confident object, or none at 0), and whether it holds a NaN. Pure.
 */
final class ResultFacts {

    static final String NONE = "none";

    private ResultFacts() {
    }

    static String topLabel(InferenceResult result) {
        if (result instanceof Classification c) {
            return c.best().label();
        }
        Detection best = mostConfident((Detections) result);
        return best == null ? NONE : best.label();
    }

    static float topConfidence(InferenceResult result) {
        if (result instanceof Classification c) {
            return c.best().confidence();
        }
        Detection best = mostConfident((Detections) result);
        return best == null ? 0 : best.confidence();
    }

    /** True when any probability, confidence or box coordinate is NaN: the model is broken, not unsure. */
    static boolean hasNaN(InferenceResult result) {
        if (result instanceof Classification c) {
            for (float p : c.probabilities()) {
                if (Float.isNaN(p)) {
                    return true;
                }
            }
            return c.top().stream().anyMatch(s -> Float.isNaN(s.confidence()));
        }
        return ((Detections) result).objects().stream().anyMatch(d -> Float.isNaN(d.confidence())
                || Float.isNaN(d.x1()) || Float.isNaN(d.y1()) || Float.isNaN(d.x2()) || Float.isNaN(d.y2()));
    }

    private static Detection mostConfident(Detections d) {
        Detection best = null;
        for (Detection o : d.objects()) {
            if (best == null || o.confidence() > best.confidence()) {
                best = o;
            }
        }
        return best;
    }
}
