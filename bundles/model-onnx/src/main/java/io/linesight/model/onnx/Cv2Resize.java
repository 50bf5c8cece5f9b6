package io.linesight.model.onnx;

/**
 * OpenCV's {@code cv::resize} of an 8-bit, 3-channel image ({@code CV_8UC3}), bit-exact with OpenCV 4.x as Debian
 * and pip ship it (no IPP): INTER_LINEAR as YOLOv5's letterbox and most OpenCV pipelines call it, INTER_AREA and
 * INTER_NEAREST. The integer arithmetic follows {@code imgproc/src/resize.cpp}:
 *
 * <ul>
 *   <li>INTER_LINEAR: weights computed in float from {@code (d + 0.5) * in/out - 0.5}, rounded to 11-bit fixed
 *   point; a horizontal pass into 32-bit sums (pixel x 2048 scale), then a vertical pass that drops 4 bits of
 *   each sum, keeps the high 16 bits of each product and rounds {@code (v + 2) >> 2} (not the
 *   {@code (s0 * b0 + s1 * b1 + 2^21) >> 22} one might expect); rows outside the image are clamped when read,
 *   their weights are not. An exact 2x reduction is INTER_AREA in OpenCV and here.</li>
 *   <li>INTER_AREA: when shrinking by an integer factor, the mean of each cell ({@code (sum + 2) >> 2} for 2x2,
 *   else {@code round(sum * (1f/area))}); for other shrink factors, OpenCV's float cell weights accumulated
 *   row by row and rounded half to even; when enlarging, bilinear with OpenCV's "area" weights.</li>
 *   <li>INTER_NEAREST: source index {@code floor(d * in/out)} in double.</li>
 * </ul>
 *
 * <p>Like {@link PilResize}, only the requested window is computed; a plan per source size, one thread at a time.
 */
final class Cv2Resize implements WindowResize {

    /** OpenCV's interpolation flags that this class reproduces. */
    enum Interpolation { LINEAR, AREA, NEAREST }

    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;

    private final Window window;
    private final Kind kind;
    // LINEAR (and AREA when enlarging): per window column/row the low source index and two fixed-point weights.
    private int[] xLow;
    private int[] xHigh;
    private short[] xWeight0;
    private short[] xWeight1;
    private int[] yLow;
    private int[] yHigh;
    private short[] yWeight0;
    private short[] yWeight1;
    // LINEAR: byte offsets of xLow/xHigh in a row and the weights as ints; the two horizontally resized source
    // rows (pixel x weight sums) an output row blends, arrays allocated once per plan.
    private int[] xLowByte;
    private int[] xHighByte;
    private int[] xW0;
    private int[] xW1;
    private int[] upper;
    private int[] lower;
    // AREA shrinking: integer cells, or OpenCV's decimation tables.
    private int cellW;
    private int cellH;
    private AreaTable xArea;
    private AreaTable yArea;
    // NEAREST
    private int[] xSource;
    private int[] ySource;

    private enum Kind { COPY, LINEAR, AREA_FAST, AREA, NEAREST }

    Cv2Resize(Interpolation interpolation, int frameW, int frameH, Window window) {
        this.window = window;
        int outW = window.resizedW();
        int outH = window.resizedH();
        double invScaleX = (double) outW / frameW;
        double invScaleY = (double) outH / frameH;
        double scaleX = 1.0 / invScaleX;
        double scaleY = 1.0 / invScaleY;
        int iScaleX = (int) Math.rint(scaleX);
        int iScaleY = (int) Math.rint(scaleY);
        boolean areaFast = Math.abs(scaleX - iScaleX) < Math.ulp(1.0) && Math.abs(scaleY - iScaleY) < Math.ulp(1.0);
        if (outW == frameW && outH == frameH) {
            kind = Kind.COPY;
        } else if (interpolation == Interpolation.NEAREST) {
            kind = Kind.NEAREST;
            xSource = nearest(frameW, invScaleX, window.left(), window.width());
            ySource = nearest(frameH, invScaleY, window.top(), window.height());
        } else if (interpolation == Interpolation.LINEAR && areaFast && iScaleX == 2 && iScaleY == 2
                || interpolation == Interpolation.AREA && scaleX >= 1 && scaleY >= 1 && areaFast) {
            kind = Kind.AREA_FAST; // OpenCV: "INTER_AREA (fast) is equal to INTER_LINEAR" for an exact 2x reduction
            cellW = iScaleX;
            cellH = iScaleY;
        } else if (interpolation == Interpolation.AREA && scaleX >= 1 && scaleY >= 1) {
            kind = Kind.AREA;
            xArea = AreaTable.of(frameW, outW, scaleX);
            yArea = AreaTable.of(frameH, outH, scaleY);
        } else {
            kind = Kind.LINEAR;
            boolean area = interpolation == Interpolation.AREA;
            buildLinearColumns(frameW, scaleX, invScaleX, area);
            buildLinearRows(frameH, scaleY, invScaleY, area);
        }
    }

    @Override
    public Window window() {
        return window;
    }

    @Override
    public void resize(byte[] pixels, int frameW, byte[] out) {
        switch (kind) {
            case COPY -> copy(pixels, frameW, out);
            case NEAREST -> nearest(pixels, frameW, out);
            case AREA_FAST -> areaFast(pixels, frameW, out);
            case AREA -> area(pixels, frameW, out);
            case LINEAR -> linear(pixels, frameW, out);
            default -> throw new IllegalStateException(kind.name());
        }
    }

    // ---- INTER_LINEAR -------------------------------------------------------------------------------------

    private void buildLinearColumns(int inSize, double scale, double invScale, boolean area) {
        int n = window.width();
        xLow = new int[n];
        xHigh = new int[n];
        xWeight0 = new short[n];
        xWeight1 = new short[n];
        for (int i = 0; i < n; i++) {
            int d = window.left() + i;
            int[] low = new int[1];
            float f = linearWeight(d, inSize, scale, invScale, area, low, true);
            xLow[i] = low[0];
            xHigh[i] = Math.min(low[0] + 1, inSize - 1);
            xWeight0[i] = fixedWeight(1f - f);
            xWeight1[i] = fixedWeight(f);
        }
        xLowByte = new int[n];
        xHighByte = new int[n];
        xW0 = new int[n];
        xW1 = new int[n];
        for (int i = 0; i < n; i++) {
            xLowByte[i] = xLow[i] * 3;
            xHighByte[i] = xHigh[i] * 3;
            xW0[i] = xWeight0[i];
            xW1[i] = xWeight1[i];
        }
        upper = new int[n * 3];
        lower = new int[n * 3];
    }

    private void buildLinearRows(int inSize, double scale, double invScale, boolean area) {
        int n = window.height();
        yLow = new int[n];
        yHigh = new int[n];
        yWeight0 = new short[n];
        yWeight1 = new short[n];
        for (int i = 0; i < n; i++) {
            int d = window.top() + i;
            int[] low = new int[1];
            // OpenCV clamps the rows it reads, not the vertical weights (unlike the horizontal ones).
            float f = linearWeight(d, inSize, scale, invScale, area, low, false);
            yLow[i] = Math.max(0, Math.min(low[0], inSize - 1));
            yHigh[i] = Math.max(0, Math.min(low[0] + 1, inSize - 1));
            yWeight0[i] = fixedWeight(1f - f);
            yWeight1[i] = fixedWeight(f);
        }
    }

    /**
     * OpenCV's source position and fractional weight of output position {@code d} (float, as resize.cpp); with
     * {@code clamp}, positions outside the source become its first or last pixel with weight 0.
     */
    private static float linearWeight(int d, int inSize, double scale, double invScale, boolean area, int[] low,
                                      boolean clamp) {
        int s;
        float f;
        if (!area) {
            f = (float) ((d + 0.5) * scale - 0.5);
            s = (int) Math.floor(f);
            f -= s;
        } else {
            s = (int) Math.floor(d * scale);
            f = (float) ((d + 1) - (s + 1) * invScale);
            f = f <= 0 ? 0f : f - (float) Math.floor(f);
        }
        if (clamp && s < 0) {
            f = 0;
            s = 0;
        }
        if (clamp && s >= inSize - 1) {
            f = 0;
            s = inSize - 1;
        }
        low[0] = s;
        return f;
    }

    /** saturate_cast&lt;short&gt;(w * 2048): round half to even, as cvRound. */
    private static short fixedWeight(float w) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, (int) Math.rint(w * COEF_SCALE)));
    }

    private void linear(byte[] pixels, int frameW, byte[] out) {
        int values = window.width() * 3;
        int[] upper = this.upper;
        int[] lower = this.lower;
        int cachedUpper = -1;
        int cachedLower = -1;
        for (int y = 0; y < window.height(); y++) {
            // Each output row blends two horizontally resized source rows; consecutive rows often share them.
            if (yLow[y] != cachedUpper) {
                if (yLow[y] == cachedLower) {
                    int[] t = upper;
                    upper = lower;
                    lower = t;
                    cachedLower = -1;
                } else {
                    horizontal(pixels, frameW, yLow[y], upper);
                }
                cachedUpper = yLow[y];
            }
            if (yHigh[y] != cachedLower) {
                horizontal(pixels, frameW, yHigh[y], lower);
                cachedLower = yHigh[y];
            }
            vertical(upper, lower, yWeight0[y], yWeight1[y], out, y * values);
        }
    }

    /** The horizontal pass of one source row: pixel x weight sums at 2048 scale, exact integers. */
    private void horizontal(byte[] pixels, int frameW, int sourceRow, int[] sums) {
        int base = sourceRow * frameW * 3;
        int[] lowByte = xLowByte;
        int[] highByte = xHighByte;
        int[] weight0 = xW0;
        int[] weight1 = xW1;
        for (int i = 0, o = 0; i < lowByte.length; i++, o += 3) {
            int a = base + lowByte[i];
            int b = base + highByte[i];
            int w0 = weight0[i];
            int w1 = weight1[i];
            sums[o] = (pixels[a] & 0xFF) * w0 + (pixels[b] & 0xFF) * w1;
            sums[o + 1] = (pixels[a + 1] & 0xFF) * w0 + (pixels[b + 1] & 0xFF) * w1;
            sums[o + 2] = (pixels[a + 2] & 0xFF) * w0 + (pixels[b + 2] & 0xFF) * w1;
        }
    }

    /**
     * OpenCV's vertical pass for 8-bit images (the SIMD lanes and the scalar specialisation compute the same):
     * each 2048-scaled sum loses 4 bits, each product keeps its high 16 bits, then {@code (v + 2) >> 2}.
     */
    private static void vertical(int[] upper, int[] lower, short b0, short b1, byte[] out, int offset) {
        for (int v = 0; v < upper.length; v++) {
            int value = (((upper[v] >> 4) * b0 >> 16) + ((lower[v] >> 4) * b1 >> 16) + 2) >> 2;
            out[offset + v] = (byte) (value < 0 ? 0 : Math.min(value, 255));
        }
    }

    // ---- INTER_AREA --------------------------------------------------------------------------------------

    private void areaFast(byte[] pixels, int frameW, byte[] out) {
        int rowBytes = frameW * 3;
        float scale = 1f / (cellW * cellH);
        boolean twoByTwo = cellW == 2 && cellH == 2;
        for (int y = 0, o = 0; y < window.height(); y++) {
            int sy = (window.top() + y) * cellH;
            for (int x = 0; x < window.width(); x++) {
                int sx = (window.left() + x) * cellW;
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < cellH; dy++) {
                        int p = (sy + dy) * rowBytes + sx * 3 + c;
                        for (int dx = 0; dx < cellW; dx++, p += 3) {
                            sum += pixels[p] & 0xFF;
                        }
                    }
                    // OpenCV's 2x2 kernel rounds half up; its generic integer-cell loop multiplies by 1f/area.
                    int value = twoByTwo ? (sum + 2) >> 2 : (int) Math.rint(sum * scale);
                    out[o++] = (byte) Math.min(value, 255);
                }
            }
        }
    }

    private void area(byte[] pixels, int frameW, byte[] out) {
        int values = window.resizedW() * 3;
        float[] row = new float[values];
        float[] sum = new float[values];
        int rowBytes = frameW * 3;
        int firstOut = window.top();
        int lastOut = window.top() + window.height();
        int previous = -1;
        for (int k = 0; k < yArea.size; k++) {
            int dy = yArea.target[k];
            if (dy < firstOut || dy >= lastOut) {
                continue;
            }
            java.util.Arrays.fill(row, 0f);
            int base = yArea.source[k] * rowBytes;
            for (int j = 0; j < xArea.size; j++) {
                int d = xArea.target[j] * 3;
                int s = base + xArea.source[j] * 3;
                float alpha = xArea.alpha[j];
                row[d] = row[d] + (pixels[s] & 0xFF) * alpha;
                row[d + 1] = row[d + 1] + (pixels[s + 1] & 0xFF) * alpha;
                row[d + 2] = row[d + 2] + (pixels[s + 2] & 0xFF) * alpha;
            }
            float beta = yArea.alpha[k];
            if (dy != previous) {
                if (previous >= 0) {
                    writeAreaRow(sum, previous, out);
                }
                for (int v = 0; v < values; v++) {
                    sum[v] = beta * row[v];
                }
                previous = dy;
            } else {
                for (int v = 0; v < values; v++) {
                    sum[v] += beta * row[v];
                }
            }
        }
        writeAreaRow(sum, previous, out);
    }

    private void writeAreaRow(float[] sum, int dy, byte[] out) {
        int o = (dy - window.top()) * window.width() * 3;
        int from = window.left() * 3;
        for (int v = 0; v < window.width() * 3; v++) {
            int value = (int) Math.rint(sum[from + v]);
            out[o + v] = (byte) (value < 0 ? 0 : Math.min(value, 255));
        }
    }

    /** OpenCV's computeResizeAreaTab: for each (output, source) pair along an axis, the source's share. */
    private static final class AreaTable {
        final int[] target;
        final int[] source;
        final float[] alpha;
        final int size;

        private AreaTable(int[] target, int[] source, float[] alpha, int size) {
            this.target = target;
            this.source = source;
            this.alpha = alpha;
            this.size = size;
        }

        static AreaTable of(int inSize, int outSize, double scale) {
            int capacity = inSize * 2 + 2;
            int[] target = new int[capacity];
            int[] source = new int[capacity];
            float[] alpha = new float[capacity];
            int k = 0;
            for (int d = 0; d < outSize; d++) {
                double from = d * scale;
                double to = from + scale;
                double cellWidth = Math.min(scale, inSize - from);
                int first = (int) Math.ceil(from);
                int last = Math.min((int) Math.floor(to), inSize - 1);
                first = Math.min(first, last);
                if (first - from > 1e-3) {
                    target[k] = d;
                    source[k] = first - 1;
                    alpha[k++] = (float) ((first - from) / cellWidth);
                }
                for (int s = first; s < last; s++) {
                    target[k] = d;
                    source[k] = s;
                    alpha[k++] = (float) (1.0 / cellWidth);
                }
                if (to - last > 1e-3) {
                    target[k] = d;
                    source[k] = last;
                    alpha[k++] = (float) (Math.min(Math.min(to - last, 1.0), cellWidth) / cellWidth);
                }
            }
            return new AreaTable(target, source, alpha, k);
        }
    }

    // ---- INTER_NEAREST and copy --------------------------------------------------------------------------

    private static int[] nearest(int inSize, double invScale, int from, int n) {
        double step = 1.0 / invScale;
        int[] source = new int[n];
        for (int i = 0; i < n; i++) {
            source[i] = Math.min((int) Math.floor((from + i) * step), inSize - 1);
        }
        return source;
    }

    private void nearest(byte[] pixels, int frameW, byte[] out) {
        for (int y = 0, o = 0; y < window.height(); y++) {
            int base = ySource[y] * frameW * 3;
            for (int x = 0; x < window.width(); x++) {
                int p = base + xSource[x] * 3;
                out[o++] = pixels[p];
                out[o++] = pixels[p + 1];
                out[o++] = pixels[p + 2];
            }
        }
    }

    private void copy(byte[] pixels, int frameW, byte[] out) {
        int rowBytes = window.width() * 3;
        for (int y = 0; y < window.height(); y++) {
            System.arraycopy(pixels, ((window.top() + y) * frameW + window.left()) * 3, out, y * rowBytes, rowBytes);
        }
    }
}
