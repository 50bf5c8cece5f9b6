package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;

/**
 * Turns a camera frame into a classifier's NCHW float input exactly as torchvision does for the card's
 * recipe: resize (fixed size, or shorter side) with plain bilinear interpolation (half-pixel centres,
 * {@code align_corners=False}, no antialiasing), optional centre crop, scaling (ToTensor's 1/255),
 * Normalize(mean, std), in the card's channel order.
 *
 * <p>Pure Java, no native code. Interpolation tables are cached per frame size, and the output array is
 * reused between frames: one instance per model, used by one thread at a time.
 */
final class ClassifierPreprocessor {

    private final ModelCard.Preprocessing recipe;
    private final int outHeight;
    private final int outWidth;
    private final float[] output;
    private int cachedWidth;
    private int cachedHeight;
    private Axis xAxis;
    private Axis yAxis;

    ClassifierPreprocessor(ModelCard.Preprocessing recipe, int outHeight, int outWidth) {
        this.recipe = recipe;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.output = new float[3 * outHeight * outWidth];
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
        if (frame.format() == PixelFormat.GRAY8) {
            throw new IllegalArgumentException("classifier needs a colour frame, got GRAY8");
        }
        prepareTables(frame.width(), frame.height());
        int[] channelOffsets = channelOffsets(frame.format());
        float[] gain = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            gain[c] = (float) (recipe.scale() / recipe.std()[c]);
            shift[c] = recipe.mean()[c] / recipe.std()[c];
        }
        fillPlanes(frame.pixels(), frame.width(), channelOffsets, gain, shift);
        return output;
    }

    /**
     * One pass over the output: each output pixel reads its four source pixels once and writes all three
     * planes (the per-channel arithmetic is the same as three separate passes, so results are identical).
     */
    private void fillPlanes(byte[] pixels, int frameWidth, int[] offsets, float[] gain, float[] shift) {
        int rowStride = frameWidth * 3;
        int plane = outHeight * outWidth;
        int o0 = offsets[0];
        int o1 = offsets[1];
        int o2 = offsets[2];
        for (int y = 0; y < outHeight; y++) {
            int row0 = yAxis.low[y] * rowStride;
            int row1 = yAxis.high[y] * rowStride;
            float wy1 = yAxis.highWeight[y];
            float wy0 = 1f - wy1;
            int out = y * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int a = row0 + xAxis.low[x] * 3;
                int b = row0 + xAxis.high[x] * 3;
                int c = row1 + xAxis.low[x] * 3;
                int d = row1 + xAxis.high[x] * 3;
                float wx1 = xAxis.highWeight[x];
                float wx0 = 1f - wx1;
                output[out + x] = blend(pixels, a + o0, b + o0, c + o0, d + o0, wx0, wx1, wy0, wy1) * gain[0] - shift[0];
                output[plane + out + x] = blend(pixels, a + o1, b + o1, c + o1, d + o1, wx0, wx1, wy0, wy1) * gain[1] - shift[1];
                output[2 * plane + out + x] = blend(pixels, a + o2, b + o2, c + o2, d + o2, wx0, wx1, wy0, wy1) * gain[2] - shift[2];
            }
        }
    }

    private static float blend(byte[] p, int a, int b, int c, int d, float wx0, float wx1, float wy0, float wy1) {
        float top = wx0 * (p[a] & 0xFF) + wx1 * (p[b] & 0xFF);
        float bottom = wx0 * (p[c] & 0xFF) + wx1 * (p[d] & 0xFF);
        return wy0 * top + wy1 * bottom;
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
        yAxis = Axis.bilinear(height, resized[0], cropTop, outHeight);
        xAxis = Axis.bilinear(width, resized[1], cropLeft, outWidth);
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

    /** Source indices and weights for one axis of a bilinear resize followed by a crop. */
    static final class Axis {
        final int[] low;
        final int[] high;
        final float[] highWeight;

        private Axis(int n) {
            low = new int[n];
            high = new int[n];
            highWeight = new float[n];
        }

        /**
         * PyTorch's upsample_bilinear2d with align_corners=False: src = (dst + 0.5) * in/out - 0.5,
         * clamped at 0; neighbours low = floor(src), high = min(low + 1, in - 1).
         */
        static Axis bilinear(int inSize, int resizedSize, int cropOffset, int outSize) {
            Axis axis = new Axis(outSize);
            double scale = (double) inSize / resizedSize;
            for (int i = 0; i < outSize; i++) {
                double src = Math.max(0.0, (i + cropOffset + 0.5) * scale - 0.5);
                int lo = Math.min((int) src, inSize - 1);
                axis.low[i] = lo;
                axis.high[i] = Math.min(lo + 1, inSize - 1);
                axis.highWeight[i] = (float) (src - lo);
            }
            return axis;
        }
    }
}
