package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierPostprocessorTest {

    @Test
    void softmaxMatchesTheDefinitionAndSurvivesLargeLogits() {
        float[] p = ClassifierPostprocessor.softmax(new float[] {1, 2, 3});
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / z, p[2], 1e-6);
        assertEquals(Math.exp(1) / z, p[0], 1e-6);
        float[] big = ClassifierPostprocessor.softmax(new float[] {1000, 1000});
        assertEquals(0.5f, big[0], 1e-6);
    }

    @Test
    void topReturnsMostLikelyFirstAndCapsK() {
        var top = ClassifierPostprocessor.top(new float[] {0.1f, 0.7f, 0.2f}, List.of("a", "b", "c"), 5);
        assertEquals(List.of("b", "c", "a"), top.stream().map(s -> s.label()).toList());
        assertEquals(1, top.get(0).index());
        assertEquals(1, ClassifierPostprocessor.top(new float[] {0.4f, 0.6f}, List.of("ok", "defect"), 0).size());
    }
}
