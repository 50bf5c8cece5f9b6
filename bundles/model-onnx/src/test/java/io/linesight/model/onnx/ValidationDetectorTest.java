package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The detector is loaded with YOLOv5's val settings and otherwise the package's own card. */
class ValidationDetectorTest {

    private static final Path PACKAGE = ModelEvaluationTest.DETECTOR;

    @Test
    void validationCardChangesOnlyTheThresholdsAndTheFilePath() throws Exception {
        JsonObject card = JsonParser.parseString(Files.readString(PACKAGE.resolve("model.json"))).getAsJsonObject();
        JsonObject v = ValidationDetector.validationCard(card.deepCopy(), PACKAGE);
        JsonObject post = v.getAsJsonObject("postprocessing");
        assertEquals(0.001f, post.get("confidenceThreshold").getAsFloat());
        assertEquals(0.6f, post.get("iouThreshold").getAsFloat());
        assertEquals(300, post.get("maxDetections").getAsInt());
        assertEquals(PACKAGE.resolve("model.onnx").toString(), v.get("file").getAsString());
        for (String kept : new String[] {"name", "version", "task", "sha256", "input", "preprocessing", "labels"}) {
            assertEquals(card.get(kept), v.get(kept), kept);
        }
    }

    @Test
    void loadsThroughTheRuntimeAndLeavesNoTemporaryFolder() throws Exception {
        long before = leftovers();
        try (LoadedModel model = ValidationDetector.load(new OnnxModelRuntime(GoldenSetParityTest.defaults()), PACKAGE)) {
            assertEquals("tiny-detector:0.0.1", model.info().displayName());
            assertEquals(Task.DETECT, model.info().task());
        }
        assertEquals(before, leftovers());
    }

    private static long leftovers() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("linesight-eval-")).count();
        }
    }
}
