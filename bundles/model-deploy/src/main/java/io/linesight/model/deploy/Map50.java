package io.linesight.model.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * mAP at IoU 0.5 over a set of images, computed as YOLOv5's val.py does (models/sku-yolov5n/metrics.py):
 * per image, predictions are matched to labels of the same class with IoU ≥ 0.5 (pairs by IoU
 * descending, one pair per prediction, then one per label in prediction order); over the set, per labelled
 * class, precision/recall by descending confidence, the monotone precision envelope sampled at 101 recall
 * points and integrated with the trapezoidal rule; the mean over labelled classes. A class with labels
 * and no prediction counts as 0.
 *
 * <p>Kept apart from the gate on purpose: the runner bundle grows its own detection metrics, and this
 * class is the one piece to replace once they are exported. Not thread-safe.
 */
final class Map50 {

    static final double IOU = 0.5;

    /** A box in image pixels. */
    record Box(int classIndex, double x1, double y1, double x2, double y2) {
    }

    /** A predicted box and its confidence. */
    record Prediction(Box box, double confidence) {
    }

    private record Scored(double confidence, boolean truePositive, int classIndex) {
    }

    private final List<Scored> scored = new ArrayList<>();
    private final Map<Integer, Integer> labelsPerClass = new TreeMap<>();
    private int labels;

    /** Adds one image: what the model found and what is really there. */
    void add(List<Prediction> predictions, List<Box> truth) {
        boolean[] tp = match(predictions, truth);
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            scored.add(new Scored(p.confidence(), tp[i], p.box().classIndex()));
        }
        truth.forEach(b -> labelsPerClass.merge(b.classIndex(), 1, Integer::sum));
        labels += truth.size();
    }

    int labels() {
        return labels;
    }

    int predictions() {
        return scored.size();
    }

    /** The mean AP at IoU 0.5 over the classes that have labels; 0 without labels or true positives. */
    double value() {
        if (labelsPerClass.isEmpty() || scored.stream().noneMatch(Scored::truePositive)) {
            return 0;
        }
        List<Scored> ordered = scored.stream()
                .sorted(Comparator.comparingDouble(Scored::confidence).reversed()).toList();
        double sum = 0;
        for (Map.Entry<Integer, Integer> c : labelsPerClass.entrySet()) {
            sum += classAp(ordered, c.getKey(), c.getValue());
        }
        return sum / labelsPerClass.size();
    }

    private static double classAp(List<Scored> ordered, int classIndex, int labelCount) {
        List<Scored> mine = ordered.stream().filter(s -> s.classIndex() == classIndex).toList();
        if (mine.isEmpty()) {
            return 0;
        }
        double[] recall = new double[mine.size()];
        double[] precision = new double[mine.size()];
        int tp = 0;
        for (int i = 0; i < mine.size(); i++) {
            tp += mine.get(i).truePositive() ? 1 : 0;
            recall[i] = tp / (labelCount + 1e-16);
            precision[i] = tp / (double) (i + 1);
        }
        return averagePrecision(recall, precision);
    }

    /** YOLOv5 compute_ap: sentinels, monotone envelope, 101-point interpolation, trapezoidal integral. */
    static double averagePrecision(double[] recall, double[] precision) {
        int n = recall.length + 2;
        double[] mrec = new double[n];
        double[] mpre = new double[n];
        mpre[0] = 1;
        mrec[n - 1] = 1;
        System.arraycopy(recall, 0, mrec, 1, recall.length);
        System.arraycopy(precision, 0, mpre, 1, precision.length);
        for (int i = n - 2; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double area = 0;
        double previous = interp(0, mrec, mpre);
        for (int k = 1; k <= 100; k++) {
            double y = interp(k * 0.01, mrec, mpre);
            area += 0.01 * (previous + y) / 2;
            previous = y;
        }
        return area;
    }

    /** numpy.interp for non-decreasing {@code xp}: the last j with xp[j] <= x, linear to j + 1. */
    static double interp(double x, double[] xp, double[] fp) {
        int last = xp.length - 1;
        if (x < xp[0]) {
            return fp[0];
        }
        if (x >= xp[last]) {
            return fp[last];
        }
        int j = 0;
        while (j < last && xp[j + 1] <= x) {
            j++;
        }
        return x == xp[j] ? fp[j] : fp[j] + (fp[j + 1] - fp[j]) * (x - xp[j]) / (xp[j + 1] - xp[j]);
    }

    /** Which predictions are true positives at IoU 0.5 (val.py process_batch, one threshold). */
    static boolean[] match(List<Prediction> predictions, List<Box> truth) {
        List<double[]> pairs = new ArrayList<>(); // label index, prediction index, IoU
        for (int l = 0; l < truth.size(); l++) {
            for (int p = 0; p < predictions.size(); p++) {
                Box pb = predictions.get(p).box();
                double iou = iou(truth.get(l), pb);
                if (pb.classIndex() == truth.get(l).classIndex() && iou >= IOU) {
                    pairs.add(new double[] {l, p, iou});
                }
            }
        }
        pairs.sort(Comparator.comparingDouble((double[] m) -> m[2]).reversed());
        Map<Integer, double[]> bestPerPrediction = new TreeMap<>(); // ordered by prediction index
        pairs.forEach(m -> bestPerPrediction.putIfAbsent((int) m[1], m));
        Set<Integer> usedLabels = new HashSet<>();
        boolean[] tp = new boolean[predictions.size()];
        for (double[] m : bestPerPrediction.values()) {
            if (usedLabels.add((int) m[0])) {
                tp[(int) m[1]] = true;
            }
        }
        return tp;
    }

    /** YOLOv5 box_iou, with its 1e-7 in the denominator. */
    static double iou(Box a, Box b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = w * h;
        double areaA = (a.x2() - a.x1()) * (a.y2() - a.y1());
        double areaB = (b.x2() - b.x1()) * (b.y2() - b.y1());
        return inter / (areaA + areaB - inter + 1e-7);
    }
}
