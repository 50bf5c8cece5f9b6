package io.linesight.line;

import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns what a model said into a verdict. The strongest evidence for a reject class decides:
 * at or above {@code rejectMinConfidence} the part is rejected; in the band from
 * {@code reviewMinConfidence} up to that, the frame goes to a person (REVIEW); below it, the part passes.
 * Pure: no state, no I/O.
 *
 * @param rejectLabels        classes that mean the part is bad
 * @param rejectMinConfidence reject at or above this probability
 * @param reviewMinConfidence review at or above this probability (and below the reject threshold)
 */
record DecisionRules(Set<String> rejectLabels, double rejectMinConfidence, double reviewMinConfidence,
                     List<CountRule> countRules, Verdict countVerdict) {

    DecisionRules(Set<String> rejectLabels, double rejectMinConfidence, double reviewMinConfidence) {
        this(rejectLabels, rejectMinConfidence, reviewMinConfidence, List.of(), Verdict.REJECT);
    }

    /** A verdict and the reason for it in words. */
    record Decision(Verdict verdict, String reason) {
    }

    /**
     * @param result what the model said
     * @param labels the model's labels in output order
     */
    Decision decide(InferenceResult result, List<String> labels) {
        if (result instanceof Detections d && !countRules.isEmpty()) {
            Decision counted = decideCounts(d.objects());
            if (counted != null) {
                return counted;
            }
        }
        Evidence strongest = result instanceof Classification c
                ? strongest(c.probabilities(), labels)
                : strongest(((Detections) result).objects());
        if (strongest.label != null && strongest.atLeast(rejectMinConfidence)) {
            return new Decision(Verdict.REJECT, strongest.describe() + " >= " + format(rejectMinConfidence));
        }
        if (strongest.label != null && strongest.atLeast(reviewMinConfidence)) {
            return new Decision(Verdict.REVIEW, strongest.describe() + " in review band ["
                    + format(reviewMinConfidence) + ", " + format(rejectMinConfidence) + ")");
        }
        return new Decision(Verdict.PASS, strongest.label == null ? "no reject class found"
                : strongest.describe() + " < " + format(reviewMinConfidence));
    }

    /** The first violated count rule decides ({@code countVerdict}); null when every rule holds. */
    private Decision decideCounts(List<Detection> objects) {
        for (CountRule rule : countRules) {
            int found = rule.countIn(objects);
            if (!rule.holdsFor(found)) {
                return new Decision(countVerdict, rule.label() + " count " + found + " violates " + rule);
            }
        }
        return null;
    }

    /** Which of the given model labels are reject labels; the line refuses a model that knows none. */
    List<String> rejectLabelsKnownTo(List<String> modelLabels) {
        List<String> known = new java.util.ArrayList<>(modelLabels.stream().filter(rejectLabels::contains).toList());
        countRules.stream().map(CountRule::label).filter(modelLabels::contains).forEach(known::add);
        return known;
    }

    private Evidence strongest(float[] probabilities, List<String> labels) {
        Evidence best = Evidence.NONE;
        for (int i = 0; i < probabilities.length && i < labels.size(); i++) {
            if (rejectLabels.contains(labels.get(i)) && probabilities[i] > best.confidence) {
                best = new Evidence(labels.get(i), probabilities[i]);
            }
        }
        return best;
    }

    private Evidence strongest(List<Detection> objects) {
        Evidence best = Evidence.NONE;
        for (Detection d : objects) {
            if (rejectLabels.contains(d.label()) && d.confidence() > best.confidence) {
                best = new Evidence(d.label(), d.confidence());
            }
        }
        return best;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private record Evidence(String label, double confidence) {
        static final Evidence NONE = new Evidence(null, 0);

        /** Compared in float, the precision models answer in: 0.65f counts as reaching 0.65. */
        boolean atLeast(double threshold) {
            return (float) confidence >= (float) threshold;
        }

        String describe() {
            return label + " " + format(confidence);
        }
    }
}
