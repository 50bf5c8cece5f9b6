package io.linesight.model.onnx;

import io.linesight.api.model.Detection;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a YOLOv5 export's output ({@code 1 x N x (5 + classes)}: centre x, centre y, width, height
 * in input pixels, objectness and per-class scores, all after sigmoid) into detections in frame
 * pixels: confidence = objectness x best class score, class-aware non-maximum suppression, at most
 * {@code maxDetections}, most confident first. Pure; reuses no state between calls.
 *
 * @param labels              class names in output order
 * @param confidenceThreshold minimum objectness and minimum confidence
 * @param iouThreshold        boxes of one class overlapping more than this are suppressed
 * @param maxDetections       cap on the result
 */
record YoloDecoder(List<String> labels, float confidenceThreshold, float iouThreshold, int maxDetections) {

    /** Candidates above the threshold: box corners in input pixels, confidence and class. */
    record Candidates(float[] x1, float[] y1, float[] x2, float[] y2, float[] conf, int[] cls, int count) {
    }

    /**
     * @param output    the output tensor's data, row after row
     * @param rows      N
     * @param letterbox how the frame was placed into the input
     */
    List<Detection> decode(float[] output, int rows, Letterbox letterbox, int frameW, int frameH) {
        return decode(FloatBuffer.wrap(output), rows, letterbox, frameW, frameH);
    }

    /** As above, reading {@code output} at absolute positions from 0 to its limit (in place, no copy). */
    List<Detection> decode(FloatBuffer output, int rows, Letterbox letterbox, int frameW, int frameH) {
        Candidates c = candidates(output, rows);
        int[] kept = nonMaximumSuppression(c);
        List<Detection> detections = new ArrayList<>(kept.length);
        for (int i : kept) {
            detections.add(new Detection(c.cls()[i], labels.get(c.cls()[i]), c.conf()[i],
                    letterbox.frameX(c.x1()[i], frameW), letterbox.frameY(c.y1()[i], frameH),
                    letterbox.frameX(c.x2()[i], frameW), letterbox.frameY(c.y2()[i], frameH)));
        }
        return detections;
    }

    Candidates candidates(FloatBuffer output, int rows) {
        int stride = 5 + labels.size();
        if (output.limit() != rows * stride) {
            throw new IllegalArgumentException("output holds " + output.limit() + " values, expected " + rows
                    + " rows of " + stride + " (5 + " + labels.size() + " classes)");
        }
        // Sized for a dense scene and grown when needed: allocating (and zeroing) six arrays of all N rows for
        // every frame cost more than the decoding itself once N is in the thousands.
        int capacity = Math.min(rows, 1024);
        float[] x1 = new float[capacity];
        float[] y1 = new float[capacity];
        float[] x2 = new float[capacity];
        float[] y2 = new float[capacity];
        float[] conf = new float[capacity];
        int[] cls = new int[capacity];
        int n = 0;
        for (int r = 0, o = 0; r < rows; r++, o += stride) {
            float objectness = output.get(o + 4);
            if (!(objectness > confidenceThreshold)) { // also drops NaN
                continue;
            }
            int best = 0;
            for (int k = 1; k < labels.size(); k++) {
                if (output.get(o + 5 + k) > output.get(o + 5 + best)) {
                    best = k;
                }
            }
            float confidence = objectness * output.get(o + 5 + best);
            if (!(confidence > confidenceThreshold)) {
                continue;
            }
            if (n == x1.length) {
                capacity = Math.min(rows, 2 * capacity);
                x1 = Arrays.copyOf(x1, capacity);
                y1 = Arrays.copyOf(y1, capacity);
                x2 = Arrays.copyOf(x2, capacity);
                y2 = Arrays.copyOf(y2, capacity);
                conf = Arrays.copyOf(conf, capacity);
                cls = Arrays.copyOf(cls, capacity);
            }
            float halfW = output.get(o + 2) / 2;
            float halfH = output.get(o + 3) / 2;
            x1[n] = output.get(o) - halfW;
            y1[n] = output.get(o + 1) - halfH;
            x2[n] = output.get(o) + halfW;
            y2[n] = output.get(o + 1) + halfH;
            conf[n] = confidence;
            cls[n] = best;
            n++;
        }
        return new Candidates(x1, y1, x2, y2, conf, cls, n);
    }

    /**
     * Greedy NMS per class, by descending confidence (ties: lower index first); returns the indices kept, at
     * most maxDetections. A box can only overlap boxes whose left edge lies within one widest box of its own,
     * so each kept box looks only at that window of the candidates sorted by left edge, and inside it only at
     * the boxes that touch it: dense shelves (a thousand candidates, a few neighbours each) cost a few thousand
     * IoUs instead of half a million.
     */
    int[] nonMaximumSuppression(Candidates c) {
        int n = c.count();
        int[] byConfidence = sortedIndices(c.conf(), n, true);
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[byConfidence[r]] = r;
        }
        int[] byLeft = sortedIndices(c.x1(), n, false);
        // The boxes again in left-edge order, so the window scan below reads memory in sequence and can drop
        // boxes that do not even touch the kept one (most of a window: it spans the whole shelf height) before
        // looking anything else up. A box that does not touch has IoU 0 and iouThreshold is > 0.
        float[] lefts = new float[n];
        float[] tops = new float[n];
        float[] rights = new float[n];
        float[] bottoms = new float[n];
        float widest = 0;
        for (int p = 0; p < n; p++) {
            int i = byLeft[p];
            lefts[p] = c.x1()[i];
            tops[p] = c.y1()[i];
            rights[p] = c.x2()[i];
            bottoms[p] = c.y2()[i];
            widest = Math.max(widest, rights[p] - lefts[p]);
        }
        boolean[] suppressed = new boolean[n];
        int[] kept = new int[Math.min(n, maxDetections)];
        int k = 0;
        for (int r = 0; r < n && k < kept.length; r++) {
            int i = byConfidence[r];
            if (suppressed[i]) {
                continue;
            }
            kept[k++] = i;
            float left = c.x1()[i];
            float top = c.y1()[i];
            float right = c.x2()[i];
            float bottom = c.y2()[i];
            int from = firstAtLeast(lefts, left - widest);
            int to = firstAtLeast(lefts, right);
            for (int p = from; p < to; p++) {
                if (!(rights[p] > left && tops[p] < bottom && bottoms[p] > top)) {
                    continue;
                }
                int j = byLeft[p];
                if (rank[j] > r && !suppressed[j] && c.cls()[j] == c.cls()[i] && iou(c, i, j) > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(kept, k);
    }

    /**
     * Indices of the first {@code n} values in ascending (or descending) order, ties by ascending index. A
     * least-significant-digit radix sort of the float's order-preserving bits, one byte per pass, stable (so
     * ties keep index order): the two sorts were three quarters of the NMS time with a comparison sort of
     * index-tagged longs, for the 1,500 candidates of a dense shelf.
     */
    static int[] sortedIndices(float[] values, int n, boolean descending) {
        int[] keys = new int[n];
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(values[i]);
            int ordered = (bits ^ ((bits >> 31) & 0x7fffffff)) ^ Integer.MIN_VALUE; // unsigned order = float order
            keys[i] = descending ? ~ordered : ordered;
            indices[i] = i;
        }
        int[] keysOut = new int[n];
        int[] indicesOut = new int[n];
        int[] counts = new int[257];
        for (int shift = 0; shift < 32; shift += 8) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[((keys[i] >>> shift) & 0xFF) + 1]++;
            }
            for (int b = 0; b < 256; b++) {
                counts[b + 1] += counts[b];
            }
            for (int i = 0; i < n; i++) {
                int to = counts[(keys[i] >>> shift) & 0xFF]++;
                keysOut[to] = keys[i];
                indicesOut[to] = indices[i];
            }
            int[] swap = keys;
            keys = keysOut;
            keysOut = swap;
            swap = indices;
            indices = indicesOut;
            indicesOut = swap;
        }
        return indices;
    }

    /** First position whose value is at least {@code bound} ({@code values} ascending), or the length. */
    private static int firstAtLeast(float[] values, float bound) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static float iou(Candidates c, int i, int j) {
        float w = Math.min(c.x2()[i], c.x2()[j]) - Math.max(c.x1()[i], c.x1()[j]);
        float h = Math.min(c.y2()[i], c.y2()[j]) - Math.max(c.y1()[i], c.y1()[j]);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        float intersection = w * h;
        float areaI = (c.x2()[i] - c.x1()[i]) * (c.y2()[i] - c.y1()[i]);
        float areaJ = (c.x2()[j] - c.x1()[j]) * (c.y2()[j] - c.y1()[j]);
        return intersection / (areaI + areaJ - intersection);
    }
}
