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

/** A float16 model (input and output) runs: frames are converted to half precision and back. */
class HalfPrecisionTest {

    @Test
    void aHalfPrecisionClassifierSeesTheFrameAndAnswersInFloat32() throws Exception {
        byte[] bgr = new byte[16 * 16 * 3];
        for (int i = 0; i < bgr.length; i += 3) {
            bgr[i + 2] = (byte) 255; // pure red in BGR
            bgr[i + 1] = (byte) 51;  // 0.2 green
        }
        Frame red = new Frame("t", 1, 0, Instant.EPOCH, 16, 16, PixelFormat.BGR24, bgr, null);
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults())
                .load(Path.of("src/test/resources/tiny-fp16-classifier"))) {
            Classification c = (Classification) model.infer(red);
            float[] expected = ClassifierPostprocessor.softmax(new float[] {1f, 0.2f, 0f});
            assertArrayEquals(expected, c.probabilities(), 1e-3f);
            assertEquals("red", c.best().label());
        }
    }
}
