package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.model.Detections;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardCompletionTest {

    @Test
    void ultralyticsNamesBecomeLabelsInIndexOrder() {
        assertEquals(List.of("person", "bicycle", "car"),
                CardCompletion.labelsFromMetadata(Map.of("names", "{0: 'person', 1: 'bicycle', 2: \"car\"}")));
        assertEquals(List.of(), CardCompletion.labelsFromMetadata(Map.of("names", "{0: 'a', 2: 'c'}")));
        assertEquals(List.of(), CardCompletion.labelsFromMetadata(Map.of()));
    }

    @Test
    void aDetectorCardWithoutLabelsInputOrLetterboxSizeIsCompletedFromTheOnnxFile(@TempDir Path dir) throws Exception {
        Path source = Path.of("src/test/resources/tiny-detector");
        Files.copy(source.resolve("model.onnx"), dir.resolve("model.onnx"));
        Files.writeString(dir.resolve("model.json"), """
                {"name": "bare-detector", "version": "1.0.0", "task": "detect", "file": "model.onnx",
                 "preprocessing": {"letterbox": {"padValue": 114}, "scale": 0.00392156862745098, "channelOrder": "RGB"},
                 "postprocessing": {"confidenceThreshold": 0.25, "iouThreshold": 0.45, "maxDetections": 300}}
                """);
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(dir)) {
            assertEquals(List.of("product", "gap"), model.info().labels());
            Detections d = (Detections) model.infer(ModelCommands.testFrame(128, 64));
            assertEquals(2, d.objects().size());
        }
    }

    @Test
    void whatTheFileCannotTellIsStillReportedAsMissing(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("src/test/resources/tiny-fp16-classifier/model.onnx"), dir.resolve("model.onnx"));
        Files.writeString(dir.resolve("model.json"), """
                {"name": "bare", "version": "1.0.0", "task": "classify", "file": "model.onnx",
                 "preprocessing": {"resize": {"mode": "fixed", "height": 8, "width": 8}, "scale": 0.0039,
                   "mean": [0, 0, 0], "std": [1, 1, 1], "channelOrder": "RGB"}}
                """);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(dir));
        assertTrue(e.getMessage().contains("labels must list the class names"), e.getMessage());
    }
}
