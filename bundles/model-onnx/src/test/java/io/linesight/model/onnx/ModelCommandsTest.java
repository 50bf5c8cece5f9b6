package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelCommandsTest {

    private final ModelCommands commands = new ModelCommands(GoldenSetParityTest.defaults());

    @Test
    void inspectShowsSignatureOpsetParametersAndCard() {
        String report = commands.inspect("../../models/defect-mobilenetv2");
        assertTrue(report.contains("defect-mobilenetv2:0.2.0 (classify)"), report);
        assertTrue(report.contains("input       input [-1, 3, 120, 160] FLOAT"), report);
        assertTrue(report.contains("output      logits [-1, 2] FLOAT"), report);
        assertTrue(report.contains("opset       ai.onnx 13"), report);
        assertTrue(report.contains("parameters  680,970"), report);
        assertTrue(report.contains("nonzero     345,122"), report);
        assertTrue(report.contains("sparsity    49.3 %"), report);
        assertTrue(report.contains("precision   fp32"), report);
    }

    @Test
    void inspectOfAMissingPackageSaysSoInsteadOfThrowing() {
        String report = commands.inspect("no/such/package");
        assertTrue(report.startsWith("Cannot inspect") && report.contains("has no model.json"), report);
    }

    @Test
    void benchReportsRawAndRunnerLatenciesAndMemory() {
        String report = commands.bench("src/test/resources/tiny-detector", 30);
        assertTrue(report.contains("tiny-detector:0.0.1, 30 frames of 1280x720 BGR"), report);
        assertTrue(report.matches("(?s).*raw session.run\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d.*"), report);
        assertTrue(report.matches("(?s).*runner \\(pre\\+run\\+post\\)\\s+\\d+\\.\\d\\d.*"), report);
        assertTrue(report.matches("(?s).*resident memory\\s+[\\d,]+ kB before loading.*"), report);
    }
}
