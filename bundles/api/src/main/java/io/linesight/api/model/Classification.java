package io.linesight.api.model;

import java.util.List;

/**
 * A classifier's answer: every class's probability and the best ones first.
 *
 * @param probabilities one probability per label, in label order (a copy; sums to 1 after softmax)
 * @param top           the best classes, most likely first; never empty
 */
public record Classification(
        float[] probabilities,
        List<ClassScore> top,
        long preprocessNanos,
        long inferenceNanos,
        long postprocessNanos) implements InferenceResult {

    public Classification {
        probabilities = probabilities.clone();
        top = List.copyOf(top);
        if (top.isEmpty()) {
            throw new IllegalArgumentException("a classification names at least one class");
        }
    }

    /** The most likely class. */
    public ClassScore best() {
        return top.get(0);
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }
}
