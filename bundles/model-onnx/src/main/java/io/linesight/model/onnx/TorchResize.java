package io.linesight.model.onnx;

/**
 * PyTorch's {@code interpolate} as torchvision's {@code Resize} applies it to image tensors (CPU, float32, NCHW):
 * bilinear with {@code align_corners=False}, with or without antialiasing, and nearest. The tensor is either the
 * image's 8-bit values as floats (torchvision casts a uint8 tensor to float32, interpolates, rounds half to even
 * and casts back) or the values after {@code ToTensor} ({@code v / 255}). Weights and sums are float32 in the
 * order ATen 1.13 computes them ({@code aten/src/ATen/native/cpu/UpSampleKernel.cpp}), with the multiply-adds
 * its AVX2 build fuses fused here too on a CPU with FMA: bit-exact with PyTorch on the same kind of CPU. PyTorch
 * on another CPU capability (its default build, AVX-512, a GPU) rounds differently by a few ulp, which for uint8
 * output means an occasional value one step away where the sum lands within an ulp of .5.
 *
 * <p>Only the requested window is computed. A plan per source size, one thread at a time.
 */
final class TorchResize {

    /** The interpolation modes reproduced. */
    enum Mode { BILINEAR, BILINEAR_ANTIALIAS, NEAREST }

    private final WindowResize.Window window;
    private final Taps columns;
    private final Taps rows;
    /** Float value of each 8-bit sample as the tensor holds it. */
    private final float[] sampleValue;
    private final float[] horizontal;
    private final int firstSourceRow;
    private final boolean separable;

    /**
     * @param mode          interpolation mode
     * @param unitInterval  true when the tensor holds {@code v / 255} (after ToTensor), false for the 8-bit values
     */
    TorchResize(Mode mode, boolean unitInterval, int frameW, int frameH, WindowResize.Window window) {
        this.window = window;
        this.sampleValue = new float[256];
        for (int v = 0; v < 256; v++) {
            sampleValue[v] = unitInterval ? v / 255f : v;
        }
        this.columns = Taps.of(mode, frameW, window.resizedW(), window.left(), window.width());
        this.rows = Taps.of(mode, frameH, window.resizedH(), window.top(), window.height());
        this.separable = mode == Mode.BILINEAR_ANTIALIAS;
        this.firstSourceRow = rows.firstSource();
        int sourceRows = separable ? rows.lastSourceExclusive() - firstSourceRow : 0;
        this.horizontal = new float[sourceRows * window.width() * 3];
    }

    WindowResize.Window window() {
        return window;
    }

    /** Writes the window, interleaved, as float32 values in the tensor's scale. */
    void resize(byte[] pixels, int frameW, float[] out) {
        if (separable) {
            separable(pixels, frameW, out);
        } else {
            direct(pixels, frameW, out);
        }
    }

    /**
     * This resize on a uint8 tensor: torchvision casts to float32, interpolates, rounds half to even
     * ({@code torch.round}) and casts back to 8 bits.
     */
    WindowResize rounded() {
        float[] scratch = new float[window.width() * window.height() * 3];
        return new WindowResize() {
            @Override
            public WindowResize.Window window() {
                return window;
            }

            @Override
            public void resize(byte[] pixels, int frameW, byte[] out) {
                TorchResize.this.resize(pixels, frameW, scratch);
                for (int i = 0; i < out.length; i++) {
                    float v = (float) Math.rint(scratch[i]);
                    out[i] = (byte) (v < 0 ? 0 : Math.min(v, 255f));
                }
            }
        };
    }

    /**
     * Non-separable interpolation (bilinear without antialias, nearest): the two columns of each of the two rows
     * blended, then the two rows, as ATen's {@code Interpolate} template nests them (height outside, width inside).
     */
    private void direct(byte[] pixels, int frameW, float[] out) {
        int rowBytes = frameW * 3;
        int o = 0;
        for (int y = 0; y < window.height(); y++) {
            int ty = y * rows.taps;
            int row0 = rows.index[ty] * rowBytes;
            int row1 = rows.index[ty + rows.count[y] - 1] * rowBytes;
            float wy0 = rows.weight[ty];
            float wy1 = rows.count[y] > 1 ? rows.weight[ty + 1] : 0f;
            for (int x = 0; x < window.width(); x++) {
                int tx = x * columns.taps;
                int col0 = columns.index[tx] * 3;
                int col1 = columns.index[tx + columns.count[x] - 1] * 3;
                float wx0 = columns.weight[tx];
                float wx1 = columns.count[x] > 1 ? columns.weight[tx + 1] : 0f;
                for (int c = 0; c < 3; c++) {
                    if (columns.count[x] == 1 && rows.count[y] == 1) {
                        out[o++] = sampleValue[pixels[row0 + col0 + c] & 0xFF];
                        continue;
                    }
                    float top = lin(sample(pixels, row0 + col0 + c), wx0, sample(pixels, row0 + col1 + c), wx1);
                    float bottom = lin(sample(pixels, row1 + col0 + c), wx0, sample(pixels, row1 + col1 + c), wx1);
                    out[o++] = lin(top, wy0, bottom, wy1);
                }
            }
        }
    }

    private float sample(byte[] pixels, int p) {
        return sampleValue[pixels[p] & 0xFF];
    }

    /**
     * ATen's two-tap blend {@code a * wa + b * wb}; its AVX2 build (what runs on a CPU with FMA) contracts it to
     * {@code fma(a, wa, b * wb)}, and so does this one on such a CPU.
     */
    private static float lin(float a, float wa, float b, float wb) {
        return FusedMultiplyAdd.mulAdd(a, wa, b * wb);
    }

    /**
     * ATen's antialiased sum over n taps: the first product, then plain adds for the next 4 * floor((n - 1) / 4)
     * taps (the part its compiler vectorised as an in-order reduction), then fused multiply-adds for the rest
     * on a CPU with FMA (plain adds elsewhere). Inferred from ATen 1.13's AVX2 build, bit-exact there.
     */
    private static float accumulate(float acc, float value, float weight, int j, int vectorised) {
        return j <= vectorised ? acc + value * weight : FusedMultiplyAdd.mulAdd(value, weight, acc);
    }

    /** Antialiased interpolation: the width first, into a float buffer, then the height (ATen's order). */
    private void separable(byte[] pixels, int frameW, float[] out) {
        int rowBytes = frameW * 3;
        int values = window.width() * 3;
        int sourceRows = horizontal.length / values;
        for (int r = 0; r < sourceRows; r++) {
            int base = (firstSourceRow + r) * rowBytes;
            for (int x = 0, o = r * values; x < window.width(); x++) {
                int tx = x * columns.taps;
                int n = columns.count[x];
                int vectorised = 4 * ((n - 1) / 4);
                for (int c = 0; c < 3; c++) {
                    int p = base + columns.index[tx] * 3 + c;
                    float sum = sampleValue[pixels[p] & 0xFF] * columns.weight[tx];
                    for (int i = 1; i < n; i++) {
                        sum = accumulate(sum, sampleValue[pixels[p + i * 3] & 0xFF], columns.weight[tx + i], i, vectorised);
                    }
                    horizontal[o++] = sum;
                }
            }
        }
        for (int y = 0, o = 0; y < window.height(); y++) {
            int ty = y * rows.taps;
            int n = rows.count[y];
            int vectorised = 4 * ((n - 1) / 4);
            int start = (rows.index[ty] - firstSourceRow) * values;
            for (int v = 0; v < values; v++) {
                float sum = horizontal[start + v] * rows.weight[ty];
                for (int j = 1; j < n; j++) {
                    sum = accumulate(sum, horizontal[start + j * values + v], rows.weight[ty + j], j, vectorised);
                }
                out[o++] = sum;
            }
        }
    }

    /** Source indices and float32 weights of each output position along one axis. */
    static final class Taps {
        final int[] index;
        final float[] weight;
        final int[] count;
        final int taps;

        private Taps(int n, int taps) {
            this.index = new int[n * taps];
            this.weight = new float[n * taps];
            this.count = new int[n];
            this.taps = taps;
        }

        int firstSource() {
            int min = Integer.MAX_VALUE;
            for (int i = 0; i < count.length; i++) {
                min = Math.min(min, index[i * taps]);
            }
            return min;
        }

        int lastSourceExclusive() {
            int max = 0;
            for (int i = 0; i < count.length; i++) {
                max = Math.max(max, index[i * taps] + count[i]);
            }
            return max;
        }

        static Taps of(Mode mode, int inSize, int outSize, int from, int n) {
            return switch (mode) {
                case NEAREST -> nearest(inSize, outSize, from, n);
                case BILINEAR -> bilinear(inSize, outSize, from, n);
                case BILINEAR_ANTIALIAS -> antialiased(inSize, outSize, from, n);
            };
        }

        /** ATen's nearest_idx: floor(d * (float) in/out), with the exact cases it special-cases. */
        static Taps nearest(int inSize, int outSize, int from, int n) {
            Taps t = new Taps(n, 1);
            float scale = (float) inSize / outSize;
            for (int i = 0; i < n; i++) {
                int d = from + i;
                int source;
                if (outSize == inSize) {
                    source = d;
                } else if (outSize == 2 * inSize) {
                    source = d >> 1;
                } else {
                    source = Math.min((int) Math.floor(d * scale), inSize - 1);
                }
                t.index[i] = source;
                t.weight[i] = 1f;
                t.count[i] = 1;
            }
            return t;
        }

        /**
         * ATen's compute_source_index_and_lambda: scale = (float) in/out; src = scale * (d + 0.5) - 0.5 in double,
         * clamped at 0; lambda1 = (float) (src - floor), lambda0 = 1 - lambda1 in float.
         */
        static Taps bilinear(int inSize, int outSize, int from, int n) {
            Taps t = new Taps(n, 2);
            float scale = (float) inSize / outSize;
            for (int i = 0; i < n; i++) {
                int d = from + i;
                int low;
                float lambda1;
                if (inSize == outSize) {
                    low = d;
                    lambda1 = 0f;
                } else {
                    double source = Math.max((double) scale * (d + 0.5) - 0.5, 0.0);
                    low = Math.min((int) source, inSize - 1);
                    lambda1 = (float) Math.min(Math.max(source - low, 0.0), 1.0);
                }
                int high = low + (low < inSize - 1 ? 1 : 0);
                t.index[2 * i] = low;
                t.index[2 * i + 1] = high;
                t.weight[2 * i] = 1f - lambda1;
                t.weight[2 * i + 1] = lambda1;
                t.count[i] = 2;
            }
            return t;
        }

        /** ATen's _compute_weights_aa for the bilinear (triangle) filter, in float32. */
        static Taps antialiased(int inSize, int outSize, int from, int n) {
            float scale = (float) inSize / outSize;
            float support = scale >= 1.0f ? 1.0f * scale : 1.0f;
            int taps = (int) Math.ceil(support) * 2 + 1;
            Taps t = new Taps(n, taps);
            float inverse = scale >= 1.0f ? 1.0f / scale : 1.0f;
            for (int i = 0; i < n; i++) {
                int d = from + i;
                float center = (float) (scale * (d + 0.5));
                int min = Math.max((int) (center - support + 0.5), 0);
                int size = Math.min((int) (center + support + 0.5), inSize) - min;
                float total = 0f;
                for (int j = 0; j < size; j++) {
                    float w = triangle((float) ((j + min - center + 0.5) * inverse));
                    t.weight[i * taps + j] = w;
                    total += w;
                }
                for (int j = 0; j < size; j++) {
                    t.index[i * taps + j] = min + j;
                    if (total != 0f) {
                        t.weight[i * taps + j] /= total;
                    }
                }
                t.index[i * taps] = min;
                t.count[i] = size;
            }
            return t;
        }

        private static float triangle(float x) {
            float a = Math.abs(x);
            return a < 1f ? 1f - a : 0f;
        }
    }
}
