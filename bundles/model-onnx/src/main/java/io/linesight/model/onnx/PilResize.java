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
    /** Horizontal pass output: the window's columns for every source row the vertical pass reads. */
    private final byte[] horizontal;
    private final int firstSourceRow;
    private final int sourceRowCount;

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
        this.horizontal = new byte[sourceRowCount * window.width() * 3];
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
        if (columns.identity) {
            copyColumns(pixels, frameW);
        } else {
            horizontalPass(pixels, frameW);
        }
        if (rows.identity) {
            int rowBytes = window.width() * 3;
            for (int y = 0; y < window.height(); y++) {
                System.arraycopy(horizontal, (rows.first[y] - firstSourceRow) * rowBytes, out, y * rowBytes, rowBytes);
            }
        } else {
            verticalPass(out);
        }
    }

    private void horizontalPass(byte[] pixels, int frameW) {
        int outW = window.width();
        int taps = columns.taps;
        for (int r = 0; r < sourceRowCount; r++) {
            int rowBase = (firstSourceRow + r) * frameW * 3;
            int o = r * outW * 3;
            for (int x = 0; x < outW; x++) {
                int start = rowBase + columns.first[x] * 3;
                int n = columns.count[x];
                int k = x * taps;
                int s0 = HALF;
                int s1 = HALF;
                int s2 = HALF;
                for (int i = 0, p = start; i < n; i++, p += 3) {
                    int w = columns.fixed[k + i];
                    s0 += (pixels[p] & 0xFF) * w;
                    s1 += (pixels[p + 1] & 0xFF) * w;
                    s2 += (pixels[p + 2] & 0xFF) * w;
                }
                horizontal[o++] = clip8(s0);
                horizontal[o++] = clip8(s1);
                horizontal[o++] = clip8(s2);
            }
        }
    }

    private void verticalPass(byte[] out) {
        int rowBytes = window.width() * 3;
        int taps = rows.taps;
        for (int y = 0; y < window.height(); y++) {
            int start = (rows.first[y] - firstSourceRow) * rowBytes;
            int n = rows.count[y];
            int k = y * taps;
            int o = y * rowBytes;
            for (int b = 0; b < rowBytes; b++) {
                int s = HALF;
                for (int i = 0, p = start + b; i < n; i++, p += rowBytes) {
                    s += (horizontal[p] & 0xFF) * rows.fixed[k + i];
                }
                out[o + b] = clip8(s);
            }
        }
    }

    /** Nearest neighbour, or a source column range copied as it is (no horizontal resize). */
    private void copyColumns(byte[] pixels, int frameW) {
        int outW = window.width();
        for (int r = 0; r < sourceRowCount; r++) {
            int rowBase = (firstSourceRow + r) * frameW * 3;
            int o = r * outW * 3;
            for (int x = 0; x < outW; x++) {
                int p = rowBase + columns.first[x] * 3;
                horizontal[o++] = pixels[p];
                horizontal[o++] = pixels[p + 1];
                horizontal[o++] = pixels[p + 2];
            }
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
    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
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
