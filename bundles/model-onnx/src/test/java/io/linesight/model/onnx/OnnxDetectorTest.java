package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.Task;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detector path through ONNX Runtime with a committed stand-in for a YOLOv5 export
 * (src/test/python/make_tiny_detector.py): the objectness of its first row is the mean of its input, so
 * the expected confidence follows from the letterbox (frame pixels plus grey padding).
 */
class OnnxDetectorTest {

    private static final Path PACKAGE = Path.of("src/test/resources/tiny-detector");

    private static Frame white(int w, int h) {
        byte[] pixels = new byte[w * h * 3];
        Arrays.fill(pixels, (byte) 255);
        return new Frame("test", 1, System.nanoTime(), Instant.now(), w, h, PixelFormat.BGR24, pixels, null);
    }

    @Test
    void boxesComeBackInFramePixelsAfterLetterboxAndNms() throws Exception {
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(PACKAGE)) {
            assertEquals(Task.DETECT, model.info().task());
            // 128 x 64 into 64 x 64: scale 0.5, image in rows 16..47, grey (114) above and below
            Detections result = (Detections) model.infer(white(128, 64));
            List<Detection> d = result.objects();
            assertEquals(2, d.size(), d.toString());
            Detection product = d.stream().filter(x -> x.label().equals("product")).findFirst().orElseThrow();
            float expectedMean = 0.5f * 1f + 0.5f * (114f / 255f);
            assertEquals(expectedMean, product.confidence(), 1e-5);
            assertEquals(48f, product.x1(), 1e-3);
            assertEquals(24f, product.y1(), 1e-3);
            assertEquals(80f, product.x2(), 1e-3);
            assertEquals(40f, product.y2(), 1e-3);
            Detection gap = d.stream().filter(x -> x.label().equals("gap")).findFirst().orElseThrow();
            assertEquals(0.81f, gap.confidence(), 1e-6);
            assertEquals(16f, gap.x1(), 1e-3);
            assertEquals(4f, gap.y1(), 1e-3);
        }
    }

    @Test
    void aSquareFrameFillsTheInputWithoutPadding() throws Exception {
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(PACKAGE)) {
            Detections result = (Detections) model.infer(white(64, 64));
            Detection product = result.objects().stream().filter(x -> x.label().equals("product")).findFirst().orElseThrow();
            assertEquals(1f, product.confidence(), 1e-5);
        }
    }

    @Test
    void aClosedModelRefusesFrames() throws Exception {
        LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(PACKAGE);
        model.close();
        assertThrows(IllegalStateException.class, () -> model.infer(white(64, 64)));
    }
}
