package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.Recipe;
import java.nio.FloatBuffer;

/**
 * Turns a camera frame into a classifier's NCHW float input as the card's {@link Recipe} does in training:
 * torchvision's {@code Resize} (fixed size, or the shorter side with the longer one truncated) in Pillow's, torch's
 * or OpenCV's arithmetic, torchvision's {@code CenterCrop} (offsets rounded half to even, as Python's
 * {@code round}), {@code ToTensor} and {@code Normalize}, in the card's channel order.
 *
 * <p>The 8-bit recipes resize into an 8-bit window ({@link WindowResize}) and then look each value up
 * ({@link EightBitPlanes}); {@code torch-tensor} on float32 tensors interpolates floats ({@link BilinearPlanes}
 * for plain bilinear, the fast path the shipped packages use; {@link TorchResize} otherwise). Plans are cached
 * per frame size; the pass writes into the model's input memory ({@link #apply(Frame, FloatBuffer, RowSplitter)})
 * or into an array reused between frames ({@link #apply(Frame)}): one instance per model input, used by one
 * thread at a time.
 */
final class ClassifierPreprocessor {

    private final ModelCard.Preprocessing card;
    private final Recipe recipe;
    private final String interpolation;
    private final int outHeight;
    private final int outWidth;
    private final float[] output;
    private final FloatBuffer outputView;
    private final EightBitPlanes planes;
    /** The float32 tensor's value of each 8-bit sample after ToTensor (v / 255), for the float fast path. */
    private final float[] tensorValues;
    /** Normalize folded into one multiply-add per value for the float fast path: x / std - mean / std. */
    private final float[] gain = new float[3];
    private final float[] shift = new float[3];
    private final byte[] window;
    private final float[] floats;
    private int cachedWidth;
    private int cachedHeight;
    // One of these three is set for the cached frame size, by recipe.
    private WindowResize eightBit;
    private TorchResize floatResize;
    private BilinearPlanes resampler;

    ClassifierPreprocessor(ModelCard.Preprocessing card, int outHeight, int outWidth) {
        this.card = card;
        this.recipe = card.recipe() == null ? Recipe.CLASSIFY_DEFAULT : Recipe.named(card.recipe());
        if (recipe == null) {
            throw new IllegalArgumentException("unknown preprocessing.recipe " + card.recipe());
        }
        this.interpolation = card.resize().interpolation() == null ? Recipe.DEFAULT_INTERPOLATION
                : card.resize().interpolation();
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.output = new float[3 * outHeight * outWidth];
        this.outputView = FloatBuffer.wrap(output);
        this.planes = new EightBitPlanes(card.scale(), card.mean(), card.std());
        this.tensorValues = EightBitPlanes.scaled(card.scale());
        for (int c = 0; c < 3; c++) {
            gain[c] = 1f / card.std()[c];
            shift[c] = card.mean()[c] / card.std()[c];
        }
        this.window = new byte[3 * outHeight * outWidth];
        this.floats = new float[3 * outHeight * outWidth];
    }

    /** Number of floats in one preprocessed image. */
    int size() {
        return output.length;
    }

    /**
     * Preprocesses {@code frame} into the reused output array and returns it (CHW, channel order per
     * card). The array is overwritten by the next call.
     */
    float[] apply(Frame frame) {
        apply(frame, outputView, RowSplitter.inline());
        return output;
    }

    /**
     * Preprocesses {@code frame} into {@code target} from index 0 ({@link #size()} floats, CHW, channel order
     * per card), the rows shared out by {@code rows} (float fast path only; the 8-bit recipes run on one thread).
     */
    void apply(Frame frame, FloatBuffer target, RowSplitter rows) {
        if (frame.format() == PixelFormat.GRAY8) {
            throw new IllegalArgumentException("classifier needs a colour frame, got GRAY8");
        }
        prepare(frame.width(), frame.height());
        int[] channelOffsets = channelOffsets(frame.format());
        int plane = outHeight * outWidth;
        if (resampler != null) {
            resampler.resample(frame.pixels(), frame.width(), channelOffsets, tensorValues, gain, shift, target, 0, plane,
                    outWidth, rows);
        } else if (eightBit != null) {
            eightBit.resize(frame.pixels(), frame.width(), window);
            planes.write(window, outWidth, outHeight, channelOffsets, target, 0, plane, outWidth);
        } else {
            floatResize.resize(frame.pixels(), frame.width(), floats);
            writeNormalised(channelOffsets, target, plane);
        }
    }

    /**
     * The 8-bit image (resized and cropped, HWC, the frame's channel order) the last {@link #apply} made, for the
     * parity tests; null for recipes that stay in floats.
     */
    byte[] lastWindow() {
        return eightBit == null ? null : window;
    }

    /** torchvision's Normalize on the float window: (x - mean) / std per channel, in float32. */
    private void writeNormalised(int[] channelOffsets, FloatBuffer target, int plane) {
        float[] row = new float[outWidth];
        for (int c = 0; c < 3; c++) {
            float mean = card.mean()[c];
            float std = card.std()[c];
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0, p = y * outWidth * 3 + channelOffsets[c]; x < outWidth; x++, p += 3) {
                    row[x] = (floats[p] - mean) / std;
                }
                target.put(c * plane + y * outWidth, row, 0, outWidth);
            }
        }
    }

    /** Byte offset inside a pixel of the channel the model expects first, second and third. */
    private int[] channelOffsets(PixelFormat format) {
        boolean modelWantsRgb = "RGB".equals(card.channelOrder());
        boolean frameIsBgr = format == PixelFormat.BGR24;
        return modelWantsRgb == frameIsBgr ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
    }

    private void prepare(int width, int height) {
        if (width == cachedWidth && height == cachedHeight) {
            return;
        }
        int[] resized = resizedSize(width, height);
        WindowResize.Window crop = new WindowResize.Window(resized[1], resized[0],
                centreOffset(resized[1], outWidth, "width"), centreOffset(resized[0], outHeight, "height"),
                outWidth, outHeight);
        eightBit = null;
        floatResize = null;
        resampler = null;
        switch (recipe) {
            case PIL -> eightBit = new PilResize(pilFilter(interpolation), width, height, crop);
            case CV2 -> eightBit = new Cv2Resize(cv2Interpolation(interpolation), width, height, crop);
            case TORCH_TENSOR -> prepareTorch(width, height, crop);
            default -> throw new IllegalStateException(recipe.name());
        }
        cachedWidth = width;
        cachedHeight = height;
    }

    private void prepareTorch(int width, int height, WindowResize.Window crop) {
        boolean antialias = Boolean.TRUE.equals(card.resize().antialias());
        boolean unitInterval = "float32".equals(card.resize().input());
        TorchResize.Mode mode = "nearest".equals(interpolation) ? TorchResize.Mode.NEAREST
                : antialias ? TorchResize.Mode.BILINEAR_ANTIALIAS : TorchResize.Mode.BILINEAR;
        if (mode == TorchResize.Mode.BILINEAR && unitInterval) {
            resampler = new BilinearPlanes(
                    BilinearPlanes.Axis.bilinear(width, crop.resizedW(), crop.left(), outWidth),
                    BilinearPlanes.Axis.bilinear(height, crop.resizedH(), crop.top(), outHeight));
            return;
        }
        TorchResize resize = new TorchResize(mode, unitInterval, width, height, crop);
        if (unitInterval) {
            floatResize = resize;
        } else {
            eightBit = resize.rounded();
        }
    }

    static PilResize.Filter pilFilter(String interpolation) {
        return switch (interpolation) {
            case "bilinear" -> PilResize.Filter.BILINEAR;
            case "bicubic" -> PilResize.Filter.BICUBIC;
            case "box" -> PilResize.Filter.BOX;
            case "nearest" -> null;
            default -> throw new IllegalArgumentException("interpolation " + interpolation + " is not available with pil");
        };
    }

    static Cv2Resize.Interpolation cv2Interpolation(String interpolation) {
        return switch (interpolation) {
            case "bilinear" -> Cv2Resize.Interpolation.LINEAR;
            case "area" -> Cv2Resize.Interpolation.AREA;
            case "nearest" -> Cv2Resize.Interpolation.NEAREST;
            default -> throw new IllegalArgumentException("interpolation " + interpolation + " is not available with cv2");
        };
    }

    /** {height, width} after the resize step, before cropping. */
    int[] resizedSize(int width, int height) {
        ModelCard.Resize resize = card.resize();
        if ("fixed".equals(resize.mode())) {
            return new int[] {resize.height(), resize.width()};
        }
        // torchvision Resize(int): the shorter side becomes size, the longer one int(size * long / short), the
        // division in double as Python's.
        int size = resize.size();
        if (width <= height) {
            return new int[] {(int) ((double) ((long) size * height) / width), size};
        }
        return new int[] {size, (int) ((double) ((long) size * width) / height)};
    }

    /** torchvision CenterCrop: offset = int(round((resized - crop) / 2.0)), Python's round (half to even). */
    static int centreOffset(int resized, int crop, String what) {
        if (crop > resized) {
            throw new IllegalArgumentException("crop " + what + " " + crop + " exceeds resized " + what + " " + resized);
        }
        return (int) Math.rint((resized - crop) / 2.0);
    }
}
