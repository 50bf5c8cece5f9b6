package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
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
    void aMissingPackageOrAFolderThatIsNoneIsOneSentence() {
        Path missing = Path.of("no/such/package").toAbsolutePath();
        String expected = "No model package at " + missing + " (no such folder): give the folder that holds model.json,"
                + " as in ";
        assertEquals(expected + ModelCommands.INSPECT_USAGE + ".", commands.inspect("no/such/package"));
        assertEquals(expected + ModelCommands.BENCH_USAGE + ".", commands.bench("no/such/package"));
        assertEquals(expected + ModelCommands.EVAL_USAGE + ".", commands.eval("no/such/package", "src"));
        String notAPackage = commands.inspect("src");
        assertTrue(notAPackage.endsWith("src is not a model package (it has no model.json): give the folder that holds"
                + " it, as in " + ModelCommands.INSPECT_USAGE + "."), notAPackage);
    }

    @Test
    void framesThatAreNotANumberAreNamed() {
        assertEquals("'many' is not a number of frames: give 1..100000, e.g. model:bench src/test/resources/tiny-detector 300.",
                commands.bench("src/test/resources/tiny-detector", "many"));
        assertTrue(commands.bench("src/test/resources/tiny-detector", "0").startsWith("'0' is not a number of frames"));
    }

    /** As Gogo's runtime dispatches them: a wrong number of arguments is the usage, never "Cannot coerce ...". */
    @Test
    void missingOrExtraArgumentsAnswerWithTheUsageInGogo() throws Exception {
        CommandProcessorImpl processor = new CommandProcessorImpl();
        for (String function : new String[] {"inspect", "eval", "bench"}) {
            processor.addCommand("model", commands, function);
        }
        try (CommandSessionImpl session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            assertEquals("Usage: " + ModelCommands.EVAL_USAGE + " (1 argument given).", session.execute("model:eval x"));
            assertEquals("Usage: " + ModelCommands.INSPECT_USAGE + " (no argument given).", session.execute("model:inspect"));
            assertEquals("Usage: " + ModelCommands.BENCH_USAGE + " (3 arguments given).",
                    session.execute("model:bench a 2 3"));
            // a number typed for frames still reaches the two-argument form
            assertTrue(String.valueOf(session.execute("model:bench no/such 30")).startsWith("No model package at "));
        }
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
