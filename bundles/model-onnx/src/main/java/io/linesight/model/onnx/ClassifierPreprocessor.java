package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.nio.FloatBuffer;

/**
 * Turns a camera frame into a classifier's NCHW float input exactly as torchvision does for the card's
 * recipe: resize (fixed size, or shorter side) with plain bilinear interpolation (half-pixel centres,
 * {@code align_corners=False}, no antialiasing), optional centre crop, scaling (ToTensor's 1/255),
 * Normalize(mean, std), in the card's channel order.
 *
 * <p>Pure Java, no native code ({@link BilinearPlanes} does the pass). Interpolation tables are cached per frame
 * size; the pass writes into the model's input memory ({@link #apply(Frame, FloatBuffer, RowSplitter)}) or
 * into an array reused between frames ({@link #apply(Frame)}): one instance per model input, used by one
 * thread at a time.
 */
final class ClassifierPreprocessor {

    private final ModelCard.Preprocessing recipe;
    private final int outHeight;
    private final int outWidth;
    private final float[] output;
    private final FloatBuffer outputView;
    /** Normalize folded into one multiply-add per value: x * scale / std - mean / std. */
    private final float[] gain = new float[3];
    private final float[] shift = new float[3];
    private int cachedWidth;
    private int cachedHeight;
    private BilinearPlanes resampler;

    ClassifierPreprocessor(ModelCard.Preprocessing recipe, int outHeight, int outWidth) {
        this.recipe = recipe;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.output = new float[3 * outHeight * outWidth];
        this.outputView = FloatBuffer.wrap(output);
        for (int c = 0; c < 3; c++) {
            gain[c] = (float) (recipe.scale() / recipe.std()[c]);
            shift[c] = recipe.mean()[c] / recipe.std()[c];
        }
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
     * per card), the rows shared out by {@code rows}.
     */
    void apply(Frame frame, FloatBuffer target, RowSplitter rows) {
        if (frame.format() == PixelFormat.GRAY8) {
            throw new IllegalArgumentException("classifier needs a colour frame, got GRAY8");
        }
        prepareTables(frame.width(), frame.height());
        int[] channelOffsets = channelOffsets(frame.format());
        int plane = outHeight * outWidth;
        resampler.resample(frame.pixels(), frame.width(), channelOffsets, gain, shift, target, 0, plane, outWidth, rows);
    }

    /** Byte offset inside a pixel of the channel the model expects first, second and third. */
    private int[] channelOffsets(PixelFormat format) {
        boolean modelWantsRgb = "RGB".equals(recipe.channelOrder());
        boolean frameIsBgr = format == PixelFormat.BGR24;
        return modelWantsRgb == frameIsBgr ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
    }

    private void prepareTables(int width, int height) {
        if (width == cachedWidth && height == cachedHeight) {
            return;
        }
        int[] resized = resizedSize(width, height);
        int cropTop = centreOffset(resized[0], outHeight, "height");
        int cropLeft = centreOffset(resized[1], outWidth, "width");
        resampler = new BilinearPlanes(BilinearPlanes.Axis.bilinear(width, resized[1], cropLeft, outWidth),
                BilinearPlanes.Axis.bilinear(height, resized[0], cropTop, outHeight));
        cachedWidth = width;
        cachedHeight = height;
    }

    /** {height, width} after the resize step, before cropping. */
    int[] resizedSize(int width, int height) {
        ModelCard.Resize resize = recipe.resize();
        if ("fixed".equals(resize.mode())) {
            return new int[] {resize.height(), resize.width()};
        }
        // torchvision Resize(int): the shorter side becomes size, the longer side is truncated.
        int size = resize.size();
        if (width <= height) {
            return new int[] {(int) ((long) size * height / width), size};
        }
        return new int[] {size, (int) ((long) size * width / height)};
    }

    /** torchvision CenterCrop: offset = round((resized - crop) / 2). */
    private static int centreOffset(int resized, int crop, String what) {
        if (crop > resized) {
            throw new IllegalArgumentException("crop " + what + " " + crop + " exceeds resized " + what + " " + resized);
        }
        return (int) Math.round((resized - crop) / 2.0);
    }
}
