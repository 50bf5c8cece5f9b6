package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.util.Arrays;

/**
 * Turns a camera frame into a YOLOv5 input: letterbox (bilinear resize keeping the aspect ratio,
 * centred, grey padding), RGB, scaled to [0, 1], NCHW. The output array and the interpolation tables are
 * reused between frames of the same size, and the padding is painted only when the frame size changes
 * (frames never write into it): one instance per model, one thread at a time.
 */
final class LetterboxPreprocessor {

    private static final int[] BGR_TO_RGB = {2, 1, 0};
    private static final int[] RGB_TO_RGB = {0, 1, 2};

    private final int inputW;
    private final int inputH;
    private final float pad;
    private final float[] output;
    private final float[] gain = {1 / 255f, 1 / 255f, 1 / 255f};
    private final float[] shift = {0f, 0f, 0f};
    private int cachedW;
    private int cachedH;
    private Letterbox letterbox;
    private BilinearPlanes resampler;

    LetterboxPreprocessor(ModelCard.LetterboxSpec spec) {
        this.inputW = spec.width();
        this.inputH = spec.height();
        this.pad = spec.padValue() / 255f;
        this.output = new float[3 * inputW * inputH];
    }

    int size() {
        return output.length;
    }

    /** The letterbox of the last frame, for mapping boxes back. */
    Letterbox letterbox() {
        return letterbox;
    }

    /** Fills and returns the reused input array (RGB planes). */
    float[] apply(Frame frame) {
        return apply(frame, RowSplitter.inline());
    }

    /** As {@link #apply(Frame)}, with the rows shared out by {@code rows}. */
    float[] apply(Frame frame, RowSplitter rows) {
        if (frame.format() == PixelFormat.GRAY8) {
            throw new IllegalArgumentException("detector needs a colour frame, got GRAY8");
        }
        prepare(frame.width(), frame.height());
        int[] offsets = frame.format() == PixelFormat.BGR24 ? BGR_TO_RGB : RGB_TO_RGB;
        int imageBase = letterbox.top() * inputW + letterbox.left();
        resampler.resample(frame.pixels(), frame.width(), offsets, gain, shift, output, imageBase,
                inputW * inputH, inputW, rows);
        return output;
    }

    private void prepare(int frameW, int frameH) {
        if (frameW == cachedW && frameH == cachedH) {
            return;
        }
        letterbox = Letterbox.of(frameW, frameH, inputW, inputH);
        resampler = new BilinearPlanes(
                BilinearPlanes.Axis.bilinear(frameW, letterbox.resizedW(), 0, letterbox.resizedW()),
                BilinearPlanes.Axis.bilinear(frameH, letterbox.resizedH(), 0, letterbox.resizedH()));
        Arrays.fill(output, pad);
        cachedW = frameW;
        cachedH = frameH;
    }
}
