package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.nio.FloatBuffer;

/**
 * Turns a camera frame into a YOLOv5 input: letterbox (bilinear resize keeping the aspect ratio,
 * centred, grey padding), RGB, scaled to [0, 1], NCHW. The interpolation tables are reused between frames of
 * the same size, and the padding is painted only when the frame size or the target memory changes (frames
 * never write into it): one instance per model input, one thread at a time.
 */
final class LetterboxPreprocessor {

    private static final int[] BGR_TO_RGB = {2, 1, 0};
    private static final int[] RGB_TO_RGB = {0, 1, 2};

    private final int inputW;
    private final int inputH;
    private final float pad;
    private final float[] output;
    private final FloatBuffer outputView;
    private final float[] gain = {1 / 255f, 1 / 255f, 1 / 255f};
    private final float[] shift = {0f, 0f, 0f};
    private int cachedW;
    private int cachedH;
    private Letterbox letterbox;
    private BilinearPlanes resampler;
    /** The memory whose padding is painted for the cached frame size. */
    private FloatBuffer painted;

    LetterboxPreprocessor(ModelCard.LetterboxSpec spec) {
        this.inputW = spec.width();
        this.inputH = spec.height();
        this.pad = spec.padValue() / 255f;
        this.output = new float[3 * inputW * inputH];
        this.outputView = FloatBuffer.wrap(output);
    }

    int size() {
        return output.length;
    }

    /** The letterbox of the last frame, for mapping boxes back. */
    Letterbox letterbox() {
        return letterbox;
    }

    /** Fills and returns the reused input array (RGB planes); overwritten by the next call. */
    float[] apply(Frame frame) {
        apply(frame, outputView, RowSplitter.inline());
        return output;
    }

    /** Fills {@code target} from index 0 ({@link #size()} floats, RGB planes), the rows shared out by {@code rows}. */
    void apply(Frame frame, FloatBuffer target, RowSplitter rows) {
        if (frame.format() == PixelFormat.GRAY8) {
            throw new IllegalArgumentException("detector needs a colour frame, got GRAY8");
        }
        prepare(frame.width(), frame.height());
        if (painted != target) {
            for (int i = 0; i < output.length; i++) {
                target.put(i, pad);
            }
            painted = target;
        }
        int[] offsets = frame.format() == PixelFormat.BGR24 ? BGR_TO_RGB : RGB_TO_RGB;
        int imageBase = letterbox.top() * inputW + letterbox.left();
        resampler.resample(frame.pixels(), frame.width(), offsets, gain, shift, target, imageBase,
                inputW * inputH, inputW, rows);
    }

    private void prepare(int frameW, int frameH) {
        if (frameW == cachedW && frameH == cachedH) {
            return;
        }
        letterbox = Letterbox.of(frameW, frameH, inputW, inputH);
        resampler = new BilinearPlanes(
                BilinearPlanes.Axis.bilinear(frameW, letterbox.resizedW(), 0, letterbox.resizedW()),
                BilinearPlanes.Axis.bilinear(frameH, letterbox.resizedH(), 0, letterbox.resizedH()));
        painted = null; // the image moved: repaint the padding
        cachedW = frameW;
        cachedH = frameH;
    }
}
