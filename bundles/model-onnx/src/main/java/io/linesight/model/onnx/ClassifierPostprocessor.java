package io.linesight.model.onnx;

import io.linesight.api.model.ClassScore;
import java.util.ArrayList;
import java.util.List;

/** Softmax and top-k over one row of classifier output. Pure functions. */
final class ClassifierPostprocessor {

    private ClassifierPostprocessor() {
    }

    /** Numerically stable softmax (subtracts the maximum before exponentiating). */
    static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] exp = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            exp[i] = Math.exp(logits[i] - max);
            sum += exp[i];
        }
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (exp[i] / sum);
        }
        return probabilities;
    }

    /** The {@code k} most likely classes, most likely first; ties keep label order. */
    static List<ClassScore> top(float[] probabilities, List<String> labels, int k) {
        int n = Math.max(1, Math.min(k, probabilities.length));
        boolean[] taken = new boolean[probabilities.length];
        List<ClassScore> top = new ArrayList<>(n);
        for (int rank = 0; rank < n; rank++) {
            int best = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (best < 0 || probabilities[i] > probabilities[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new ClassScore(best, labels.get(best), probabilities[best]));
        }
        return top;
    }
}
