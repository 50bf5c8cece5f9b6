package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.card.ModelCard;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClassifierPreprocessorTest {

    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};

    private static ModelCard.Preprocessing fixed(int h, int w, float[] mean, float[] std, String order) {
        return new ModelCard.Preprocessing("torch-tensor", new ModelCard.Resize("fixed", h, w, 0, "bilinear", false, "float32"), null, null,
                1.0, mean, std, order);
    }

    private static Frame bgrFrame(int w, int h, java.util.function.IntBinaryOperator blue,
                                  java.util.function.IntBinaryOperator green, java.util.function.IntBinaryOperator red) {
        byte[] pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                pixels[i] = (byte) blue.applyAsInt(x, y);
                pixels[i + 1] = (byte) green.applyAsInt(x, y);
                pixels[i + 2] = (byte) red.applyAsInt(x, y);
            }
        }
        return new Frame("t", 1, 0, Instant.EPOCH, w, h, PixelFormat.BGR24, pixels, null);
    }

    @Test
    void sameSizeKeepsPixelsAndReordersBgrToRgbPlanes() {
        Frame frame = bgrFrame(4, 3, (x, y) -> 10, (x, y) -> 20 + x, (x, y) -> 30 + y);
        float[] out = new ClassifierPreprocessor(fixed(3, 4, ZERO, ONE, "RGB"), 3, 4).apply(frame);
        // plane 0 is red (30 + y), plane 1 green (20 + x), plane 2 blue (10)
        assertEquals(31, out[1 * 4 + 2], 1e-6);
        assertEquals(22, out[12 + 1 * 4 + 2], 1e-6);
        assertEquals(10, out[24 + 2 * 4 + 3], 1e-6);
    }

    @Test
    void halvingAveragesEachTwoByTwoBlockLikeTorchBilinear() {
        // align_corners=False at scale 2: src = 2i + 0.5, so both neighbours weigh 0.5.
        Frame frame = bgrFrame(4, 4, (x, y) -> x * 10 + y * 40, (x, y) -> 0, (x, y) -> 0);
        float[] out = new ClassifierPreprocessor(fixed(2, 2, ZERO, ONE, "BGR"), 2, 2).apply(frame);
        assertArrayEquals(new float[] {25, 45, 105, 125}, java.util.Arrays.copyOfRange(out, 0, 4), 1e-4f);
    }

    @Test
    void upscalingClampsAtTheBorderAndInterpolatesInside() {
        // 2 px wide -> 4 px: src = (i + 0.5) / 2 - 0.5 = -0.25 (clamped 0), 0.25, 0.75, 1.25 (high clamped)
        Frame frame = bgrFrame(2, 1, (x, y) -> x == 0 ? 0 : 100, (x, y) -> 0, (x, y) -> 0);
        float[] out = new ClassifierPreprocessor(fixed(1, 4, ZERO, ONE, "BGR"), 1, 4).apply(frame);
        assertArrayEquals(new float[] {0, 25, 75, 100}, java.util.Arrays.copyOfRange(out, 0, 4), 1e-4f);
    }

    @Test
    void scaleMeanAndStdAreAppliedPerChannel() {
        Frame frame = bgrFrame(2, 2, (x, y) -> 255, (x, y) -> 0, (x, y) -> 51);
        var recipe = new ModelCard.Preprocessing("torch-tensor", new ModelCard.Resize("fixed", 2, 2, 0, "bilinear", false, "float32"), null, null,
                1 / 255.0, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, "RGB");
        float[] out = new ClassifierPreprocessor(recipe, 2, 2).apply(frame);
        assertEquals((0.2f - 0.485f) / 0.229f, out[0], 1e-5);
        assertEquals((0f - 0.456f) / 0.224f, out[4], 1e-5);
        assertEquals((1f - 0.406f) / 0.225f, out[8], 1e-5);
    }

    @Test
    void shorterSideResizeTruncatesTheLongSideLikeTorchvision() {
        var recipe = new ModelCard.Preprocessing("torch-tensor", new ModelCard.Resize("shorter", 0, 0, 256, "bilinear", false, "float32"),
                new ModelCard.Size(224, 224), null, 1 / 255.0, ZERO, ONE, "RGB");
        ClassifierPreprocessor p = new ClassifierPreprocessor(recipe, 224, 224);
        assertArrayEquals(new int[] {256, 341}, p.resizedSize(320, 240));
        assertArrayEquals(new int[] {455, 256}, p.resizedSize(720, 1280));
        assertEquals(3 * 224 * 224, p.apply(bgrFrame(320, 240, (x, y) -> x, (x, y) -> y, (x, y) -> 0)).length);
    }
}
