package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.Recipe;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * The letterbox of the float fast path against a plain per-pixel evaluation, and its padding when frames change
 * size. (Its values against PyTorch itself: PreprocessingParityTest.)
 */
class BilinearPlanesTest {


    @Test
    void letterboxMatchesThePerPixelFormulaAndKeepsThePaddingGreyFrameAfterFrame() {
        LetterboxPreprocessor preprocessor = new LetterboxPreprocessor(new ModelCard.LetterboxSpec(320, 320, 114), Recipe.TORCH_TENSOR);
        Frame first = ModelCommands.testFrame(1280, 720);
        preprocessor.apply(first);
        byte[] other = first.pixels().clone();
        new java.util.Random(99).nextBytes(other);
        Frame second = new Frame("t", 2, 0, first.captureTime(), 1280, 720, first.format(), other, null);
        float[] out = preprocessor.apply(second);
        // 1280x720 -> 320x180, top padding 70 rows, bottom 70 rows.
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 320; y++) {
                for (int x = 0; x < 320; x++) {
                    float expected = y < 70 || y >= 250 ? 114 / 255f : reference(second, 2 - c, 320, 180, x, y - 70) / 255f;
                    assertEquals(expected, out[(c * 320 + y) * 320 + x], 1e-6f, "c" + c + " x" + x + " y" + y);
                }
            }
        }
    }

    @Test
    void aNewFrameSizeRepaintsThePaddingInTheModelsInputMemory() {
        LetterboxPreprocessor preprocessor = new LetterboxPreprocessor(new ModelCard.LetterboxSpec(320, 320, 114), Recipe.TORCH_TENSOR);
        FloatBuffer input = ByteBuffer.allocateDirect(4 * preprocessor.size()).order(ByteOrder.nativeOrder()).asFloatBuffer();
        byte[] white = new byte[1280 * 720 * 3];
        java.util.Arrays.fill(white, (byte) 255);
        preprocessor.apply(new Frame("t", 1, 0, java.time.Instant.now(), 1280, 720, PixelFormat.BGR24, white, null),
                input, RowSplitter.inline());
        assertEquals(1f, input.get(160 * 320 + 5), "landscape: image in the middle rows");
        // Portrait 720x1280 -> 180x320: padding left and right (70 columns each), where the white image was.
        byte[] black = new byte[720 * 1280 * 3];
        preprocessor.apply(new Frame("t", 2, 0, java.time.Instant.now(), 720, 1280, PixelFormat.BGR24, black, null),
                input, RowSplitter.inline());
        for (int c = 0; c < 3; c++) {
            int plane = c * 320 * 320;
            assertEquals(114 / 255f, input.get(plane + 160 * 320 + 5), 1e-6f, "left padding, plane " + c);
            assertEquals(114 / 255f, input.get(plane + 160 * 320 + 314), 1e-6f, "right padding, plane " + c);
            assertEquals(0f, input.get(plane + 160 * 320 + 160), "image, plane " + c);
            assertEquals(114 / 255f, input.get(plane + 5), 1e-6f, "a corner, plane " + c);
        }
    }

    /** PyTorch's bilinear (align_corners=False) value of one channel at resized position (x, y). */
    private static float reference(Frame frame, int channel, int resizedW, int resizedH, int x, int y) {
        double sx = Math.max(0, (x + 0.5) * frame.width() / resizedW - 0.5);
        double sy = Math.max(0, (y + 0.5) * frame.height() / resizedH - 0.5);
        int x0 = (int) sx;
        int y0 = (int) sy;
        int x1 = Math.min(x0 + 1, frame.width() - 1);
        int y1 = Math.min(y0 + 1, frame.height() - 1);
        float wx = (float) (sx - x0);
        float wy = (float) (sy - y0);
        float top = (1 - wx) * at(frame, x0, y0, channel) + wx * at(frame, x1, y0, channel);
        float bottom = (1 - wx) * at(frame, x0, y1, channel) + wx * at(frame, x1, y1, channel);
        return (1 - wy) * top + wy * bottom;
    }

    private static int at(Frame frame, int x, int y, int channel) {
        return frame.pixels()[(y * frame.width() + x) * 3 + channel] & 0xFF;
    }
}
