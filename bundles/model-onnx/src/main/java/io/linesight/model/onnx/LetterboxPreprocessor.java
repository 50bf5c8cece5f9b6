package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.Recipe;
import java.nio.FloatBuffer;

/**
 * Turns a camera frame into a YOLOv5 input: letterbox (resize keeping the aspect ratio with YOLOv5's rounding,
 * centred, grey padding), RGB, scaled to [0, 1], NCHW. The resize follows the card's {@link Recipe}: {@code cv2}
 * is YOLOv5's own ({@code cv2.resize} INTER_LINEAR on the uint8 image, then {@code / 255}), bit for bit;
 * {@code pil} resizes with Pillow; {@code torch-tensor} interpolates the float image (bilinear, no antialias).
 * The plan is reused between frames of the same size, and the padding is painted only when the frame size or
 * the target memory changes (frames never write into it): one instance per model input, one thread at a time.
 */
final class LetterboxPreprocessor {

    private static final int[] BGR_TO_RGB = {2, 1, 0};
    private static final int[] RGB_TO_RGB = {0, 1, 2};

    private final int inputW;
    private final int inputH;
    private final int padValue;
    private final Recipe recipe;
    private final String interpolation;
    private final float[] output;
    private final FloatBuffer outputView;
    private final EightBitPlanes planes = new EightBitPlanes(1 / 255.0, null, null);
    private final float[] tensorValues = EightBitPlanes.scaled(1 / 255.0);
    private final float[] gain = {1f, 1f, 1f};
    private final float[] shift = {0f, 0f, 0f};
    private int cachedW;
    private int cachedH;
    private Letterbox letterbox;
    private BilinearPlanes resampler;
    private WindowResize eightBit;
    private byte[] window;
    /** The memory whose padding is painted for the cached frame size. */
    private FloatBuffer painted;

    LetterboxPreprocessor(ModelCard.LetterboxSpec spec) {
        this(spec, Recipe.DETECT_DEFAULT);
    }

    LetterboxPreprocessor(ModelCard.LetterboxSpec spec, Recipe recipe) {
        this.inputW = spec.width();
        this.inputH = spec.height();
        this.padValue = spec.padValue();
        this.recipe = recipe;
        this.interpolation = spec.interpolation() == null ? Recipe.DEFAULT_INTERPOLATION : spec.interpolation();
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
            paintPadding(target);
            painted = target;
        }
        int[] offsets = frame.format() == PixelFormat.BGR24 ? BGR_TO_RGB : RGB_TO_RGB;
        int imageBase = letterbox.top() * inputW + letterbox.left();
        if (eightBit != null) {
            eightBit.resize(frame.pixels(), frame.width(), window);
            planes.write(window, letterbox.resizedW(), letterbox.resizedH(), offsets, target, imageBase,
                    inputW * inputH, inputW);
        } else {
            resampler.resample(frame.pixels(), frame.width(), offsets, tensorValues, gain, shift, target, imageBase,
                    inputW * inputH, inputW, rows);
        }
    }

    /**
     * The 8-bit resized image (before padding, HWC, the frame's channel order) the last {@link #apply} made, for
     * the parity tests; null for the float recipe.
     */
    byte[] lastWindow() {
        return eightBit == null ? null : window;
    }

    private void paintPadding(FloatBuffer target) {
        int plane = inputW * inputH;
        for (int c = 0; c < 3; c++) {
            float pad = planes.of(c, padValue);
            for (int i = 0; i < plane; i++) {
                target.put(c * plane + i, pad);
            }
        }
    }

    private void prepare(int frameW, int frameH) {
        if (frameW == cachedW && frameH == cachedH) {
            return;
        }
        letterbox = Letterbox.of(frameW, frameH, inputW, inputH);
        WindowResize.Window whole = WindowResize.Window.whole(letterbox.resizedW(), letterbox.resizedH());
        resampler = null;
        eightBit = null;
        switch (recipe) {
            case CV2 -> eightBit = new Cv2Resize(ClassifierPreprocessor.cv2Interpolation(interpolation), frameW, frameH,
                    whole);
            case PIL -> eightBit = new PilResize(ClassifierPreprocessor.pilFilter(interpolation), frameW, frameH, whole);
            case TORCH_TENSOR -> resampler = new BilinearPlanes(
                    BilinearPlanes.Axis.bilinear(frameW, letterbox.resizedW(), 0, letterbox.resizedW()),
                    BilinearPlanes.Axis.bilinear(frameH, letterbox.resizedH(), 0, letterbox.resizedH()));
            default -> throw new IllegalStateException(recipe.name());
        }
        window = eightBit == null ? null : new byte[letterbox.resizedW() * letterbox.resizedH() * 3];
        painted = null; // the image moved: repaint the padding
        cachedW = frameW;
        cachedH = frameH;
    }
}
