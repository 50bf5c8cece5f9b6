package io.linesight.model.onnx;

/**
 * Bilinear resampling of an interleaved 8-bit, 3-channel frame into three float planes, with a per-channel
 * affine step ({@code value * gain - shift}) folded in: the one pass both the classifier's
 * resize/crop/normalize and the detector's letterbox are made of.
 *
 * <p>Each output pixel reads its four source pixels once and writes all three planes; the blend order is
 * PyTorch's {@code upsample_bilinear2d} ({@code align_corners=False}: horizontal, then vertical), so
 * results match it to float rounding. Two separable variants (vertical-first over contiguous bytes, and
 * horizontal-first with cached rows) were measured against this one in the same JVM on 1280x720 frames
 * and were 10-60 % slower on Java 17, whose JIT vectorises none of them.
 *
 * <p>One instance per preprocessor, used for one frame at a time; the rows of that frame may be shared out
 * between threads ({@link RowSplitter}), as every output row is written by exactly one of them.
 */
final class BilinearPlanes {

    private final Axis yAxis;
    /** Byte offsets of the low and high source pixel of each output column. */
    private final int[] lowByte;
    private final int[] highByte;
    private final float[] highWeight;
    private final int outWidth;

    /**
     * @param xAxis columns of the output: source column pairs and weights
     * @param yAxis rows of the output: source row pairs and weights
     */
    BilinearPlanes(Axis xAxis, Axis yAxis) {
        this.yAxis = yAxis;
        this.outWidth = xAxis.size();
        this.lowByte = new int[outWidth];
        this.highByte = new int[outWidth];
        this.highWeight = xAxis.highWeight.clone();
        for (int x = 0; x < outWidth; x++) {
            lowByte[x] = xAxis.low[x] * 3;
            highByte[x] = xAxis.high[x] * 3;
        }
    }

    /**
     * Writes the resampled frame into {@code out}: plane {@code c} (0..2) starts at
     * {@code planeBase + c * planeSize}; output row {@code y} of a plane starts {@code y * rowStride}
     * further. Channel {@code c} of the output reads byte {@code channelOffsets[c]} of each source pixel.
     */
    void resample(byte[] pixels, int frameWidth, int[] channelOffsets, float[] gain, float[] shift,
                  float[] out, int planeBase, int planeSize, int rowStride) {
        resample(pixels, frameWidth, channelOffsets, gain, shift, out, planeBase, planeSize, rowStride, RowSplitter.inline());
    }

    /** As above, with the output rows shared out by {@code rows} (each row is independent of the others). */
    void resample(byte[] pixels, int frameWidth, int[] channelOffsets, float[] gain, float[] shift,
                  float[] out, int planeBase, int planeSize, int rowStride, RowSplitter rows) {
        rows.forRows(yAxis.size(), (from, to) -> resampleRows(pixels, frameWidth, channelOffsets, gain, shift, out,
                planeBase, planeSize, rowStride, from, to));
    }

    private void resampleRows(byte[] pixels, int frameWidth, int[] channelOffsets, float[] gain, float[] shift,
                              float[] out, int planeBase, int planeSize, int rowStride, int fromRow, int toRow) {
        int sourceRowBytes = frameWidth * 3;
        int c0 = channelOffsets[0];
        int c1 = channelOffsets[1];
        int c2 = channelOffsets[2];
        // Locals, not array reads in the loop: the JIT cannot prove gain/shift are not 'out', so it would
        // reload them after every store.
        float g0 = gain[0];
        float g1 = gain[1];
        float g2 = gain[2];
        float s0 = shift[0];
        float s1 = shift[1];
        float s2 = shift[2];
        int plane2 = 2 * planeSize;
        for (int y = fromRow; y < toRow; y++) {
            int row0 = yAxis.low[y] * sourceRowBytes;
            int row1 = yAxis.high[y] * sourceRowBytes;
            float wy1 = yAxis.highWeight[y];
            float wy0 = 1f - wy1;
            int o = planeBase + y * rowStride;
            for (int x = 0; x < outWidth; x++, o++) {
                int a = row0 + lowByte[x];
                int b = row0 + highByte[x];
                int c = row1 + lowByte[x];
                int d = row1 + highByte[x];
                float wx1 = highWeight[x];
                float wx0 = 1f - wx1;
                out[o] = blend(pixels, a + c0, b + c0, c + c0, d + c0, wx0, wx1, wy0, wy1) * g0 - s0;
                out[o + planeSize] = blend(pixels, a + c1, b + c1, c + c1, d + c1, wx0, wx1, wy0, wy1) * g1 - s1;
                out[o + plane2] = blend(pixels, a + c2, b + c2, c + c2, d + c2, wx0, wx1, wy0, wy1) * g2 - s2;
            }
        }
    }

    private static float blend(byte[] p, int a, int b, int c, int d, float wx0, float wx1, float wy0, float wy1) {
        float top = wx0 * (p[a] & 0xFF) + wx1 * (p[b] & 0xFF);
        float bottom = wx0 * (p[c] & 0xFF) + wx1 * (p[d] & 0xFF);
        return wy0 * top + wy1 * bottom;
    }

    /** Source indices and weights for one axis of a bilinear resize, optionally followed by a crop. */
    static final class Axis {
        final int[] low;
        final int[] high;
        final float[] highWeight;

        private Axis(int n) {
            low = new int[n];
            high = new int[n];
            highWeight = new float[n];
        }

        int size() {
            return low.length;
        }

        /**
         * PyTorch's upsample_bilinear2d with align_corners=False: src = (dst + 0.5) * in/out - 0.5,
         * clamped at 0; neighbours low = floor(src), high = min(low + 1, in - 1). The first
         * {@code cropOffset} resized positions are skipped and {@code outSize} are kept.
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
