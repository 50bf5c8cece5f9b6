package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Gogo function: paths resolve like the other model commands, the report is the return value. */
class ModelCommandsEvalTest {

    private final ModelCommands commands = new ModelCommands(GoldenSetParityTest.defaults());

    @Test
    void evalResolvesRelativePackagePathsAndReturnsTheReport(@TempDir Path dataset) throws Exception {
        java.nio.file.Files.createDirectories(dataset.resolve("ok"));
        java.nio.file.Files.copy(GoldenSetParityTest.PACKAGE.resolve("golden/part-3-none.png"),
                dataset.resolve("ok/part-3-none.png"));
        String report = commands.eval("../../models/defect-mobilenetv2", dataset.toString());
        assertTrue(report.startsWith("model:eval defect-mobilenetv2:0.2.0 (classify) on " + dataset), report);
        assertTrue(report.contains("1 image: 1 evaluated, 0 unreadable"), report);
    }

    @Test
    void evalOfAMissingDatasetSaysSo() {
        String report = commands.eval("../../models/defect-mobilenetv2", "no/such/dataset");
        assertEquals("Cannot evaluate: Dataset folder " + Path.of("no/such/dataset").toAbsolutePath() + " does not exist",
                report);
    }
}
