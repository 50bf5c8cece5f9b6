package io.linesight.model.onnx;

import io.linesight.api.model.Detection;
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

    Candidates candidates(float[] output, int rows) {
        int stride = 5 + labels.size();
        if (output.length != rows * stride) {
            throw new IllegalArgumentException("output holds " + output.length + " values, expected " + rows
                    + " rows of " + stride + " (5 + " + labels.size() + " classes)");
        }
        float[] x1 = new float[rows];
        float[] y1 = new float[rows];
        float[] x2 = new float[rows];
        float[] y2 = new float[rows];
        float[] conf = new float[rows];
        int[] cls = new int[rows];
        int n = 0;
        for (int r = 0, o = 0; r < rows; r++, o += stride) {
            float objectness = output[o + 4];
            if (objectness <= confidenceThreshold) {
                continue;
            }
            int best = 0;
            for (int k = 1; k < labels.size(); k++) {
                if (output[o + 5 + k] > output[o + 5 + best]) {
                    best = k;
                }
            }
            float confidence = objectness * output[o + 5 + best];
            if (confidence <= confidenceThreshold) {
                continue;
            }
            float halfW = output[o + 2] / 2;
            float halfH = output[o + 3] / 2;
            x1[n] = output[o] - halfW;
            y1[n] = output[o + 1] - halfH;
            x2[n] = output[o] + halfW;
            y2[n] = output[o + 1] + halfH;
            conf[n] = confidence;
            cls[n] = best;
            n++;
        }
        return new Candidates(x1, y1, x2, y2, conf, cls, n);
    }

    /** Greedy NMS per class, by descending confidence; returns the indices kept, at most maxDetections. */
    int[] nonMaximumSuppression(Candidates c) {
        Integer[] order = new Integer[c.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(c.conf()[b], c.conf()[a]));
        boolean[] suppressed = new boolean[c.count()];
        int[] kept = new int[Math.min(c.count(), maxDetections)];
        int k = 0;
        for (int a = 0; a < order.length && k < kept.length; a++) {
            int i = order[a];
            if (suppressed[i]) {
                continue;
            }
            kept[k++] = i;
            for (int b = a + 1; b < order.length; b++) {
                int j = order[b];
                if (!suppressed[j] && c.cls()[j] == c.cls()[i] && iou(c, i, j) > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(kept, k);
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
