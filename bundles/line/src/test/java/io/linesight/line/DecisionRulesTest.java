package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionRulesTest {

    private final DecisionRules rules = new DecisionRules(Set.of("defect"), 0.65, 0.35);
    private final List<String> labels = List.of("ok", "defect");

    private static Classification classification(float ok, float defect) {
        ClassScore best = ok >= defect ? new ClassScore(0, "ok", ok) : new ClassScore(1, "defect", defect);
        return new Classification(new float[] {ok, defect}, List.of(best), 0, 0, 0);
    }

    @Test
    void rejectAtOrAboveThreshold() {
        assertEquals(Verdict.REJECT, rules.decide(classification(0.35f, 0.65f), labels).verdict());
        assertEquals("defect 0.93 >= 0.65", rules.decide(classification(0.07f, 0.93f), labels).reason());
    }

    @Test
    void reviewInTheBandEvenWhenDefectIsNotTopOne() {
        DecisionRules.Decision d = rules.decide(classification(0.6f, 0.4f), labels);
        assertEquals(Verdict.REVIEW, d.verdict());
        assertEquals("defect 0.40 in review band [0.35, 0.65)", d.reason());
    }

    @Test
    void passBelowTheReviewBand() {
        assertEquals(Verdict.PASS, rules.decide(classification(0.9f, 0.1f), labels).verdict());
    }

    @Test
    void detectionsRejectOnAConfidentRejectClassOnly() {
        Detections none = new Detections(List.of(new Detection(0, "product", 0.99f, 0, 0, 1, 1)), 0, 0, 0);
        assertEquals(Verdict.PASS, rules.decide(none, List.of("product", "defect")).verdict());
        Detections flawed = new Detections(List.of(new Detection(1, "defect", 0.8f, 0, 0, 1, 1)), 0, 0, 0);
        assertEquals(Verdict.REJECT, rules.decide(flawed, List.of("product", "defect")).verdict());
    }

    @Test
    void zeroThresholdNeverRejectsWithoutEvidence() {
        DecisionRules lax = new DecisionRules(Set.of("scratch"), 0, 0);
        assertEquals(Verdict.PASS, lax.decide(classification(0.9f, 0.1f), labels).verdict());
        assertEquals(List.of(), lax.rejectLabelsKnownTo(labels));
    }

    private static Detections shelf(int products) {
        List<Detection> objects = new java.util.ArrayList<>();
        for (int i = 0; i < products; i++) {
            objects.add(new Detection(0, "product", 0.9f, i * 10, 0, i * 10 + 8, 20));
        }
        objects.add(new Detection(1, "gap", 0.8f, 0, 30, 40, 60));
        return new Detections(objects, 0, 0, 0);
    }

    @Test
    void aShelfWithTooFewProductsBreaksItsCountRule() {
        DecisionRules rules = new DecisionRules(Set.of(), 0.65, 0.35,
                List.of(CountRule.parse("product>=20"), CountRule.parse("gap<=1")), Verdict.REVIEW);
        DecisionRules.Decision few = rules.decide(shelf(12), List.of("product", "gap"));
        assertEquals(Verdict.REVIEW, few.verdict());
        assertEquals("product count 12 violates product>=20", few.reason());
        assertEquals(Verdict.PASS, rules.decide(shelf(20), List.of("product", "gap")).verdict());
        assertEquals(List.of("product", "gap"), rules.rejectLabelsKnownTo(List.of("product", "gap")));
    }

    @Test
    void malformedCountRulesAreRefusedWithTheRule() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CountRule.parse("product > 20"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'product > 20'"), e.getMessage());
        assertEquals(new CountRule("person", "==", 0), CountRule.parse(" person == 0 "));
    }
}
