package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.Classification;
import io.linesight.api.model.LoadedModel;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Reduced-precision exports run: float16 (input and output converted) and INT8 QDQ (float input,
 * quantize/dequantize inside the graph).
 */
class ReducedPrecisionTest {

    private static Frame redWithSomeGreen() {
        byte[] bgr = new byte[16 * 16 * 3];
        for (int i = 0; i < bgr.length; i += 3) {
            bgr[i + 2] = (byte) 255; // red 1.0 in BGR
            bgr[i + 1] = (byte) 51;  // green 0.2
        }
        return new Frame("t", 1, 0, Instant.EPOCH, 16, 16, PixelFormat.BGR24, bgr, null);
    }

    private static Classification classify(String tinyModel) throws Exception {
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults())
                .load(Path.of("src/test/resources").resolve(tinyModel))) {
            return (Classification) model.infer(redWithSomeGreen());
        }
    }

    @Test
    void aHalfPrecisionClassifierSeesTheFrameAndAnswersInFloat32() throws Exception {
        Classification c = classify("tiny-fp16-classifier");
        assertArrayEquals(ClassifierPostprocessor.softmax(new float[] {1f, 0.2f, 0f}), c.probabilities(), 1e-3f);
        assertEquals("red", c.best().label());
    }

    @Test
    void anInt8QdqClassifierRunsWithinItsQuantizationStep() throws Exception {
        Classification c = classify("tiny-int8-classifier");
        // input step 1/127: 0.2 becomes round(25.4)/127 = 0.19685
        assertArrayEquals(ClassifierPostprocessor.softmax(new float[] {1f, 25 / 127f, 0f}), c.probabilities(), 1e-4f);
        assertEquals("int8 (QDQ)", OnnxFileSummary.read(Path.of("src/test/resources/tiny-int8-classifier/model.onnx")).precision());
    }
}
