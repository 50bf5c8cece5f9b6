package io.linesight.model.onnx;

/**
 * Pillow's {@code Image.resize} of an 8-bit, 3-channel image, as torchvision's {@code Resize} applies it to PIL
 * images: bit-exact with Pillow 9.x ({@code libImaging/Resample.c}). Pillow antialiases whenever it shrinks (the
 * filter's support widens with the scale factor), computes the weights in double precision, turns them into
 * 22-bit fixed point, and rounds every pass back to 8 bits: the horizontal pass first (only over the rows the
 * vertical pass reads), then the vertical one. NEAREST is not a filter in Pillow but an affine scaling whose source
 * coordinate is accumulated step by step ({@code ImagingScaleAffine}); it is reproduced the same way.
 *
 * <p>Only the window a later centre crop keeps is computed: each output pixel depends on its own source span
 * only, so the window equals the same window of the full resize. A plan is built once per frame size and
 * reused; one thread at a time.
 */
final class PilResize implements WindowResize {

    /** Pillow's filters: the kernel and its support at scale 1. */
    enum Filter {
        BOX(0.5) {
            @Override
            double weight(double x) {
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            }
        },
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                double a = Math.abs(x);
                return a < 1.0 ? 1.0 - a : 0.0;
            }
        },
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5; // Pillow's (and Catmull-Rom's) choice
                double t = Math.abs(x);
                if (t < 1.0) {
                    return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
                }
                if (t < 2.0) {
                    return (((t - 5) * t + 8) * t - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private final Window window;
    private final Axis columns;
    private final Axis rows;
    private final int firstSourceRow;
    private final int sourceRowCount;
    /** Values in one row of the window: width x 3 channels. */
    private final int rowValues;
    /**
     * The horizontal pass's output, 8-bit values held as ints (the vertical pass then multiplies ints, which the JIT
     * vectorises): source row {@code r} in slot {@code (r - firstSourceRow) % ringRows}. The vertical pass reads
     * the rows in order (each output row's span starts and ends no earlier than the previous one's), so a ring as
     * deep as the longest span holds every row still needed and stays in the nearest caches; each row is resized
     * horizontally once per frame, as in Pillow, just later.
     */
    private final int[] ring;
    private final int ringRows;
    /** False only if the spans were out of order: then every row is resized first, into a ring of all rows. */
    private final boolean streaming;
    /** The vertical pass's sums for one output row. */
    private final int[] sums;
    /**
     * The horizontal pass's plan: every window column reads the same number of source pixels ({@code spanTaps}:
     * the longest span, made even up to 8), from byte {@code spanStart[x]} of the row, with the column's weights
     * from {@code spanWeights[x * spanTaps]} and zeros where its own span is shorter (a zero weight adds nothing to
     * the integer sum, so the sum is Pillow's). One count for all columns lets the common ones (4, 6, 8) run
     * without an inner loop.
     */
    private final int spanTaps;
    private final int[] spanStart;
    private final int[] spanWeights;

    /**
     * @param filter    Pillow's filter, or null for NEAREST
     * @param frameW    source width
     * @param frameH    source height
     * @param window    the resized size and the part of it to compute
     */
    PilResize(Filter filter, int frameW, int frameH, Window window) {
        this.window = window;
        if (filter == null) {
            this.columns = Axis.nearest(frameW, window.resizedW(), window.left(), window.width());
            this.rows = Axis.nearest(frameH, window.resizedH(), window.top(), window.height());
        } else {
            this.columns = Axis.filtered(filter, frameW, window.resizedW(), window.left(), window.width());
            this.rows = Axis.filtered(filter, frameH, window.resizedH(), window.top(), window.height());
        }
        this.firstSourceRow = rows.firstSource();
        this.sourceRowCount = rows.lastSourceExclusive() - firstSourceRow;
        this.rowValues = window.width() * 3;
        boolean inOrder = true;
        int deepest = 1;
        for (int y = 0; y < window.height(); y++) {
            deepest = Math.max(deepest, rows.count[y]);
            if (y > 0 && (rows.first[y] < rows.first[y - 1]
                    || rows.first[y] + rows.count[y] < rows.first[y - 1] + rows.count[y - 1])) {
                inOrder = false;
            }
        }
        this.streaming = inOrder;
        this.ringRows = inOrder ? Math.min(deepest, sourceRowCount) : sourceRowCount;
        this.ring = new int[ringRows * rowValues];
        this.sums = new int[rowValues];
        int n = window.width();
        int most = 0;
        for (int x = 0; x < n; x++) {
            most = Math.max(most, columns.count[x]);
        }
        if (most % 2 == 1 && most < 8 && most < frameW) {
            most++; // one zero tap more, and no inner loop
        }
        this.spanTaps = most;
        this.spanStart = new int[n];
        this.spanWeights = new int[n * most];
        for (int x = 0; x < n && !columns.identity; x++) {
            // A span that would run past the row starts earlier instead (a span is never longer than the row,
            // so the start stays >= 0); its weights then begin after as many zeros.
            int shift = Math.max(0, columns.first[x] + most - frameW);
            spanStart[x] = (columns.first[x] - shift) * 3;
            System.arraycopy(columns.fixed, x * columns.taps, spanWeights, x * most + shift, columns.count[x]);
        }
    }

    @Override
    public Window window() {
        return window;
    }

    @Override
    public void resize(byte[] pixels, int frameW, byte[] out) {
        if (columns.unresized && rows.unresized) {
            copyWindow(pixels, frameW, out);
            return;
        }
        int next = firstSourceRow; // the first source row not resized horizontally yet
        if (!streaming) {
            for (; next < firstSourceRow + sourceRowCount; next++) {
                horizontalRow(pixels, frameW, next);
            }
        }
        for (int y = 0; y < window.height(); y++) {
            int end = rows.first[y] + rows.count[y];
            for (next = Math.max(next, rows.first[y]); next < end; next++) {
                horizontalRow(pixels, frameW, next);
            }
            if (rows.identity) {
                int from = slot(rows.first[y]);
                for (int b = 0, o = y * rowValues; b < rowValues; b++) {
                    out[o + b] = (byte) ring[from + b];
                }
            } else {
                verticalRow(y, out);
            }
        }
    }

    private int slot(int sourceRow) {
        return (sourceRow - firstSourceRow) % ringRows * rowValues;
    }

    /** Source row {@code sourceRow} resized horizontally (or its columns copied) into its ring slot. */
    private void horizontalRow(byte[] pixels, int frameW, int sourceRow) {
        int rowBase = sourceRow * frameW * 3;
        int o = slot(sourceRow);
        int[] h = ring;
        int outW = window.width();
        int[] first = columns.first;
        if (columns.identity) {
            for (int x = 0; x < outW; x++, o += 3) {
                int p = rowBase + first[x] * 3;
                h[o] = pixels[p] & 0xFF;
                h[o + 1] = pixels[p + 1] & 0xFF;
                h[o + 2] = pixels[p + 2] & 0xFF;
            }
            return;
        }
        switch (spanTaps) {
            case 4 -> taps4(pixels, rowBase, o);
            case 6 -> taps6(pixels, rowBase, o);
            case 8 -> taps8(pixels, rowBase, o);
            default -> anyTaps(pixels, rowBase, o);
        }
    }

    private void taps4(byte[] pixels, int rowBase, int o) {
        int[] start = spanStart;
        int[] weights = spanWeights;
        int[] h = ring;
        for (int x = 0, k = 0, outW = window.width(); x < outW; x++, k += 4, o += 3) {
            int p = rowBase + start[x];
            int w0 = weights[k];
            int w1 = weights[k + 1];
            int w2 = weights[k + 2];
            int w3 = weights[k + 3];
            h[o] = clip(HALF + (pixels[p] & 0xFF) * w0 + (pixels[p + 3] & 0xFF) * w1 + (pixels[p + 6] & 0xFF) * w2
                    + (pixels[p + 9] & 0xFF) * w3);
            h[o + 1] = clip(HALF + (pixels[p + 1] & 0xFF) * w0 + (pixels[p + 4] & 0xFF) * w1
                    + (pixels[p + 7] & 0xFF) * w2 + (pixels[p + 10] & 0xFF) * w3);
            h[o + 2] = clip(HALF + (pixels[p + 2] & 0xFF) * w0 + (pixels[p + 5] & 0xFF) * w1
                    + (pixels[p + 8] & 0xFF) * w2 + (pixels[p + 11] & 0xFF) * w3);
        }
    }

    private void taps6(byte[] pixels, int rowBase, int o) {
        int[] start = spanStart;
        int[] weights = spanWeights;
        int[] h = ring;
        for (int x = 0, k = 0, outW = window.width(); x < outW; x++, k += 6, o += 3) {
            int p = rowBase + start[x];
            int w0 = weights[k];
            int w1 = weights[k + 1];
            int w2 = weights[k + 2];
            int w3 = weights[k + 3];
            int w4 = weights[k + 4];
            int w5 = weights[k + 5];
            h[o] = clip(HALF + (pixels[p] & 0xFF) * w0 + (pixels[p + 3] & 0xFF) * w1 + (pixels[p + 6] & 0xFF) * w2
                    + (pixels[p + 9] & 0xFF) * w3 + (pixels[p + 12] & 0xFF) * w4 + (pixels[p + 15] & 0xFF) * w5);
            h[o + 1] = clip(HALF + (pixels[p + 1] & 0xFF) * w0 + (pixels[p + 4] & 0xFF) * w1
                    + (pixels[p + 7] & 0xFF) * w2 + (pixels[p + 10] & 0xFF) * w3 + (pixels[p + 13] & 0xFF) * w4
                    + (pixels[p + 16] & 0xFF) * w5);
            h[o + 2] = clip(HALF + (pixels[p + 2] & 0xFF) * w0 + (pixels[p + 5] & 0xFF) * w1
                    + (pixels[p + 8] & 0xFF) * w2 + (pixels[p + 11] & 0xFF) * w3 + (pixels[p + 14] & 0xFF) * w4
                    + (pixels[p + 17] & 0xFF) * w5);
        }
    }

    private void taps8(byte[] pixels, int rowBase, int o) {
        int[] start = spanStart;
        int[] weights = spanWeights;
        int[] h = ring;
        for (int x = 0, k = 0, outW = window.width(); x < outW; x++, k += 8, o += 3) {
            int p = rowBase + start[x];
            int w0 = weights[k];
            int w1 = weights[k + 1];
            int w2 = weights[k + 2];
            int w3 = weights[k + 3];
            int w4 = weights[k + 4];
            int w5 = weights[k + 5];
            int w6 = weights[k + 6];
            int w7 = weights[k + 7];
            h[o] = clip(HALF + (pixels[p] & 0xFF) * w0 + (pixels[p + 3] & 0xFF) * w1 + (pixels[p + 6] & 0xFF) * w2
                    + (pixels[p + 9] & 0xFF) * w3 + (pixels[p + 12] & 0xFF) * w4 + (pixels[p + 15] & 0xFF) * w5
                    + (pixels[p + 18] & 0xFF) * w6 + (pixels[p + 21] & 0xFF) * w7);
            h[o + 1] = clip(HALF + (pixels[p + 1] & 0xFF) * w0 + (pixels[p + 4] & 0xFF) * w1
                    + (pixels[p + 7] & 0xFF) * w2 + (pixels[p + 10] & 0xFF) * w3 + (pixels[p + 13] & 0xFF) * w4
                    + (pixels[p + 16] & 0xFF) * w5 + (pixels[p + 19] & 0xFF) * w6 + (pixels[p + 22] & 0xFF) * w7);
            h[o + 2] = clip(HALF + (pixels[p + 2] & 0xFF) * w0 + (pixels[p + 5] & 0xFF) * w1
                    + (pixels[p + 8] & 0xFF) * w2 + (pixels[p + 11] & 0xFF) * w3 + (pixels[p + 14] & 0xFF) * w4
                    + (pixels[p + 17] & 0xFF) * w5 + (pixels[p + 20] & 0xFF) * w6 + (pixels[p + 23] & 0xFF) * w7);
        }
    }

    private void anyTaps(byte[] pixels, int rowBase, int o) {
        int taps = spanTaps;
        int[] start = spanStart;
        int[] weights = spanWeights;
        int[] h = ring;
        for (int x = 0, k = 0, outW = window.width(); x < outW; x++, k += taps, o += 3) {
            int s0 = HALF;
            int s1 = HALF;
            int s2 = HALF;
            for (int i = 0, p = rowBase + start[x]; i < taps; i++, p += 3) {
                int w = weights[k + i];
                s0 += (pixels[p] & 0xFF) * w;
                s1 += (pixels[p + 1] & 0xFF) * w;
                s2 += (pixels[p + 2] & 0xFF) * w;
            }
            h[o] = clip(s0);
            h[o + 1] = clip(s1);
            h[o + 2] = clip(s2);
        }
    }

    /**
     * Output row {@code y} as a sum of whole horizontally resized rows, tap after tap (integer sums: the order does
     * not change them), so the inner loop runs along the row, where the JIT vectorises it.
     */
    private void verticalRow(int y, byte[] out) {
        int[] h = ring;
        int[] s = sums;
        int n = rows.count[y];
        int k = y * rows.taps;
        int values = rowValues;
        java.util.Arrays.fill(s, HALF);
        for (int i = 0; i < n; i++) {
            int w = rows.fixed[k + i];
            for (int b = 0, p = slot(rows.first[y] + i); b < values; b++) {
                s[b] += h[p + b] * w;
            }
        }
        for (int b = 0, o = y * values; b < values; b++) {
            out[o + b] = (byte) clip(s[b]);
        }
    }

    private void copyWindow(byte[] pixels, int frameW, byte[] out) {
        int rowBytes = window.width() * 3;
        for (int y = 0; y < window.height(); y++) {
            int p = (rows.first[y] * frameW + columns.first[0]) * 3;
            System.arraycopy(pixels, p, out, y * rowBytes, rowBytes);
        }
    }

    /** Pillow's clip8: the fixed-point sum back to 0..255 (arithmetic shift, then clamp). */
    private static int clip(int sum) {
        int v = sum >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /**
     * The source span and fixed-point weights of each output position along one axis. For NEAREST and for an
     * axis Pillow does not resize, each position has one source with weight one and {@link #identity} tells
     * the passes to copy.
     */
    static final class Axis {
        final int[] first;
        final int[] count;
        final int[] fixed;
        final int taps;
        /** One source per position, copied (NEAREST, or an axis Pillow does not resize). */
        final boolean identity;
        /** The axis is not resized: the positions are consecutive source pixels. */
        final boolean unresized;

        private Axis(int n, int taps, boolean identity, boolean unresized) {
            this.first = new int[n];
            this.count = new int[n];
            this.fixed = new int[n * taps];
            this.taps = taps;
            this.identity = identity;
            this.unresized = unresized;
        }

        int firstSource() {
            int min = Integer.MAX_VALUE;
            for (int f : first) {
                min = Math.min(min, f);
            }
            return min;
        }

        int lastSourceExclusive() {
            int max = 0;
            for (int i = 0; i < first.length; i++) {
                max = Math.max(max, first[i] + count[i]);
            }
            return max;
        }

        /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for the positions {@code from..from+n-1}. */
        static Axis filtered(Filter filter, int inSize, int outSize, int from, int n) {
            if (inSize == outSize) {
                return unresized(from, n);
            }
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int taps = (int) Math.ceil(support) * 2 + 1;
            Axis axis = new Axis(n, taps, false, false);
            double[] weights = new double[taps];
            for (int i = 0; i < n; i++) {
                double center = (from + i + 0.5) * scale;
                double inverse = 1.0 / filterScale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0.0;
                for (int x = 0; x < max; x++) {
                    double w = filter.weight((x + min - center + 0.5) * inverse);
                    weights[x] = w;
                    total += w;
                }
                for (int x = 0; x < max; x++) {
                    double w = total != 0.0 ? weights[x] / total : weights[x];
                    axis.fixed[i * taps + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                axis.first[i] = min;
                axis.count[i] = max;
            }
            return axis;
        }

        /** Pillow's NEAREST (ImagingScaleAffine): the source coordinate advances by in/out per output pixel. */
        static Axis nearest(int inSize, int outSize, int from, int n) {
            if (inSize == outSize) {
                return unresized(from, n);
            }
            Axis axis = new Axis(n, 1, true, false);
            double step = (double) inSize / outSize;
            double coordinate = step * 0.5;
            for (int i = 0; i < from; i++) {
                coordinate += step; // accumulated like Pillow, not multiplied: the rounding must follow it
            }
            for (int i = 0; i < n; i++) {
                axis.first[i] = Math.min(coordinate < 0.0 ? 0 : (int) coordinate, inSize - 1);
                axis.count[i] = 1;
                axis.fixed[i] = 1 << PRECISION_BITS;
                coordinate += step;
            }
            return axis;
        }

        private static Axis unresized(int from, int n) {
            Axis axis = new Axis(n, 1, true, true);
            for (int i = 0; i < n; i++) {
                axis.first[i] = from + i;
                axis.count[i] = 1;
                axis.fixed[i] = 1 << PRECISION_BITS;
            }
            return axis;
        }
    }
}
