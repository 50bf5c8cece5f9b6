package io.linesight.model.onnx;

import java.nio.FloatBuffer;

/**
 * Bilinear resampling of an interleaved 8-bit, 3-channel frame into three float planes, with a per-channel
 * affine step ({@code value * gain - shift}) folded in: the one pass both the classifier's
 * resize/crop/normalize and the detector's letterbox are made of.
 *
 * <p>Each output pixel reads its four source pixels once (as the float values the tensor holds, from a
 * table) and writes all three planes; weights and blends are PyTorch's {@code upsample_bilinear2d}
 * ({@code align_corners=False}: horizontal, then vertical, each {@code a * w0 + b * w1} fused as ATen's AVX2
 * build fuses it), so the interpolated values are PyTorch's bit for bit on a CPU with FMA; the per-channel
 * affine step then differs from torchvision's {@code (x - mean) / std} by float rounding. Two separable variants (vertical-first over contiguous bytes, and horizontal-first with
 * cached rows) were measured against this one in the same JVM on 1280x720 frames and were 10-60 % slower on
 * Java 17, whose JIT vectorises none of them.
 *
 * <p>The planes are written into the model's input memory (a direct buffer for float32 models) row by row,
 * so no frame-sized staging array sits between the pass and the tensor. One instance per preprocessor, used for one frame at a time; the rows of that
 * frame may be shared out between threads ({@link RowSplitter}), as every output row is written by exactly
 * one of them.
 */
final class BilinearPlanes {

    private final Axis yAxis;
    /** Byte offsets of the low and high source pixel of each output column. */
    private final int[] lowByte;
    private final int[] highByte;
    private final float[] lowWeight;
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
        this.lowWeight = xAxis.lowWeight.clone();
        this.highWeight = xAxis.highWeight.clone();
        for (int x = 0; x < outWidth; x++) {
            lowByte[x] = xAxis.low[x] * 3;
            highByte[x] = xAxis.high[x] * 3;
        }
    }

    /** Number of output rows. */
    int rows() {
        return yAxis.size();
    }

    /**
     * Writes the resampled frame into {@code out} (absolute positions; its position and limit are left
     * alone): plane {@code c} (0..2) starts at {@code planeBase + c * planeSize}; output row {@code y} of a
     * plane starts {@code y * rowStride} further. Channel {@code c} of the output reads byte
     * {@code channelOffsets[c]} of each source pixel. The rows are shared out by {@code rows} (each row is
     * independent of the others).
     */
    void resample(byte[] pixels, int frameWidth, int[] channelOffsets, float[] sample, float[] gain, float[] shift,
                  FloatBuffer out, int planeBase, int planeSize, int rowStride, RowSplitter rows) {
        rows.forRows(yAxis.size(), (from, to) -> resampleRows(pixels, frameWidth, channelOffsets, sample, gain, shift,
                out, planeBase, planeSize, rowStride, from, to));
    }

    private void resampleRows(byte[] pixels, int frameWidth, int[] channelOffsets, float[] sample, float[] gain,
                              float[] shift, FloatBuffer out, int planeBase, int planeSize, int rowStride, int fromRow,
                              int toRow) {
        int sourceRowBytes = frameWidth * 3;
        int c0 = channelOffsets[0];
        int c1 = channelOffsets[1];
        int c2 = channelOffsets[2];
        // Locals, not array reads in the loop: the JIT would reload them after every store.
        float g0 = gain[0];
        float g1 = gain[1];
        float g2 = gain[2];
        float s0 = -shift[0];
        float s1 = -shift[1];
        float s2 = -shift[2];
        // One output row of each plane is built in a small array that stays in the L1 cache, then copied out
        // in bulk: putting floats one by one into a direct buffer measured 12 % slower than array stores.
        float[] row = new float[3 * outWidth];
        for (int y = fromRow; y < toRow; y++) {
            int row0 = yAxis.low[y] * sourceRowBytes;
            int row1 = yAxis.high[y] * sourceRowBytes;
            float wy0 = yAxis.lowWeight[y];
            float wy1 = yAxis.highWeight[y];
            for (int x = 0; x < outWidth; x++) {
                int a = row0 + lowByte[x];
                int b = row0 + highByte[x];
                int c = row1 + lowByte[x];
                int d = row1 + highByte[x];
                float wx0 = lowWeight[x];
                float wx1 = highWeight[x];
                row[x] = FusedMultiplyAdd.mulAdd(
                        blend(pixels, sample, a + c0, b + c0, c + c0, d + c0, wx0, wx1, wy0, wy1), g0, s0);
                row[x + outWidth] = FusedMultiplyAdd.mulAdd(
                        blend(pixels, sample, a + c1, b + c1, c + c1, d + c1, wx0, wx1, wy0, wy1), g1, s1);
                row[x + 2 * outWidth] = FusedMultiplyAdd.mulAdd(
                        blend(pixels, sample, a + c2, b + c2, c + c2, d + c2, wx0, wx1, wy0, wy1), g2, s2);
            }
            int o = planeBase + y * rowStride;
            out.put(o, row, 0, outWidth);
            out.put(o + planeSize, row, outWidth, outWidth);
            out.put(o + 2 * planeSize, row, 2 * outWidth, outWidth);
        }
    }

    /**
     * Horizontal blends of the two rows, then the vertical blend of those, each {@code a * w0 + b * w1} as ATen
     * computes it ({@code fma(a, w0, b * w1)} in its AVX2 build, which this follows where the CPU has FMA).
     */
    private static float blend(byte[] p, float[] sample, int a, int b, int c, int d, float wx0, float wx1, float wy0,
                               float wy1) {
        float top = FusedMultiplyAdd.mulAdd(sample[p[a] & 0xFF], wx0, sample[p[b] & 0xFF] * wx1);
        float bottom = FusedMultiplyAdd.mulAdd(sample[p[c] & 0xFF], wx0, sample[p[d] & 0xFF] * wx1);
        return FusedMultiplyAdd.mulAdd(top, wy0, bottom * wy1);
    }

    /** Source indices and weights for one axis of a bilinear resize, optionally followed by a crop. */
    static final class Axis {
        final int[] low;
        final int[] high;
        final float[] lowWeight;
        final float[] highWeight;

        private Axis(int n) {
            low = new int[n];
            high = new int[n];
            lowWeight = new float[n];
            highWeight = new float[n];
        }

        int size() {
            return low.length;
        }

        /**
         * PyTorch's upsample_bilinear2d with align_corners=False, in ATen's precision ({@link TorchResize.Taps}):
         * neighbours low = floor(src), high = min(low + 1, in - 1) and their weights. The first {@code cropOffset}
         * resized positions are skipped and {@code outSize} are kept.
         */
        static Axis bilinear(int inSize, int resizedSize, int cropOffset, int outSize) {
            Axis axis = new Axis(outSize);
            TorchResize.Taps taps = TorchResize.Taps.bilinear(inSize, resizedSize, cropOffset, outSize);
            for (int i = 0; i < outSize; i++) {
                axis.low[i] = taps.index[2 * i];
                axis.high[i] = taps.index[2 * i + 1];
                axis.lowWeight[i] = taps.weight[2 * i];
                axis.highWeight[i] = taps.weight[2 * i + 1];
            }
            return axis;
        }
    }
}
