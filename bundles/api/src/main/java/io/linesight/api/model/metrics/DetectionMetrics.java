package io.linesight.api.model.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Detection metrics as YOLOv5's {@code val.py} computes them, in float64 like
 * {@code models/sku-yolov5n/metrics.py}. Per image ({@link #add}): every prediction is marked correct or
 * not at each of the ten IoU thresholds 0.50:0.05:0.95 ({@code process_batch} matching). Over the set
 * ({@link #summarise}): {@code ap_per_class} -- AP per class by 101-point interpolation of the monotone
 * precision envelope, and P, R, F1 read at the confidence where the smoothed mean F1 curve peaks.
 * Classes without ground truth are left out, as YOLOv5 does. Not thread-safe; pure apart from its own
 * accumulated state.
 *
 * <p>The one mAP of LineSight: {@code model:eval} prints its table, and the deployment gate of a detector
 * compares {@code summarise().all().map50()} with the card's {@code gate.minMap50}.
 */
public final class DetectionMetrics {

    /** {@code np.linspace(0.5, 0.95, 10)}. */
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    private static final double EPS = 1e-16;
    private static final int CURVE_POINTS = 1000;

    /** A box in image pixels, corners {@code (x1, y1)} to {@code (x2, y2)}. */
    public record Box(int cls, double conf, double x1, double y1, double x2, double y2) {
    }

    /** One class's row, or the "all" row (class -1) with means over the classes. */
    public record ClassResult(int cls, int images, int instances, double precision, double recall, double f1,
                       double map50, double map5095) {
    }

    /** The whole evaluation; {@code perClass} is in class order and holds only classes with ground truth. */
    public record Summary(int images, int instances, int predictions, ClassResult all, List<ClassResult> perClass,
                   double f1Confidence) {
    }

    private final List<double[]> conf = new ArrayList<>();
    private final List<int[]> predictedClass = new ArrayList<>();
    private final List<boolean[][]> correct = new ArrayList<>();
    private final TreeMap<Integer, int[]> truth = new TreeMap<>(); // class -> {instances, images}
    private int images;

    /** Adds one image: its predictions (any order) and its ground-truth boxes (conf ignored). */
    public void add(List<Box> predictions, List<Box> labels) {
        images++;
        double[] c = new double[predictions.size()];
        int[] k = new int[predictions.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = predictions.get(i).conf();
            k[i] = predictions.get(i).cls();
        }
        conf.add(c);
        predictedClass.add(k);
        correct.add(match(predictions, labels));
        boolean[] seen = new boolean[0];
        for (Box label : labels) {
            int[] counts = truth.computeIfAbsent(label.cls(), x -> new int[2]);
            counts[0]++;
            if (label.cls() >= seen.length) {
                seen = Arrays.copyOf(seen, label.cls() + 1);
            }
            if (!seen[label.cls()]) {
                seen[label.cls()] = true;
                counts[1]++;
            }
        }
    }

    /** YOLOv5's box_iou: intersection over union with 1e-7 added to the union. */
    public static double iou(Box a, Box b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = w * h;
        double areaA = (a.x2() - a.x1()) * (a.y2() - a.y1());
        double areaB = (b.x2() - b.x1()) * (b.y2() - b.y1());
        return inter / (areaA + areaB - inter + 1e-7);
    }

    /**
     * {@code correct[prediction][threshold]}, as val.py's process_batch: per threshold, the (label,
     * prediction) pairs of one class with IoU at or above it, by IoU descending; each prediction keeps its
     * first pair; then, going through those by prediction index, each label keeps its first prediction.
     */
    public static boolean[][] match(List<Box> predictions, List<Box> labels) {
        boolean[][] result = new boolean[predictions.size()][IOU_THRESHOLDS.length];
        if (predictions.isEmpty() || labels.isEmpty()) {
            return result;
        }
        double[][] iou = new double[labels.size()][predictions.size()];
        for (int l = 0; l < labels.size(); l++) {
            for (int p = 0; p < predictions.size(); p++) {
                iou[l][p] = labels.get(l).cls() == predictions.get(p).cls() ? iou(labels.get(l), predictions.get(p)) : -1;
            }
        }
        for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
            matchAt(iou, IOU_THRESHOLDS[t], result, t);
        }
        return result;
    }

    private static void matchAt(double[][] iou, double threshold, boolean[][] result, int t) {
        int labels = iou.length;
        int predictions = iou[0].length;
        List<int[]> pairs = new ArrayList<>();
        for (int l = 0; l < labels; l++) {
            for (int p = 0; p < predictions; p++) {
                if (iou[l][p] >= threshold) {
                    pairs.add(new int[] {l, p});
                }
            }
        }
        // IoU descending; among equal IoU the later pair first, as NumPy's argsort()[::-1] leaves them.
        List<int[]> byIou = new ArrayList<>(pairs);
        Collections.reverse(byIou);
        byIou.sort((a, b) -> Double.compare(iou[b[0]][b[1]], iou[a[0]][a[1]]));
        int[] labelOfPrediction = new int[predictions];
        Arrays.fill(labelOfPrediction, -1);
        for (int[] pair : byIou) {
            if (labelOfPrediction[pair[1]] < 0) {
                labelOfPrediction[pair[1]] = pair[0];
            }
        }
        boolean[] labelTaken = new boolean[labels];
        for (int p = 0; p < predictions; p++) {
            int l = labelOfPrediction[p];
            if (l >= 0 && !labelTaken[l]) {
                labelTaken[l] = true;
                result[p][t] = true;
            }
        }
    }

    public int images() {
        return images;
    }

    /** ap_per_class over everything added so far. */
    public Summary summarise() {
        Sorted all = sorted();
        int instances = truth.values().stream().mapToInt(c -> c[0]).sum();
        boolean anyCorrect = false;
        for (boolean[] row : all.correct()) {
            for (boolean b : row) {
                anyCorrect |= b;
            }
        }
        if (!anyCorrect) {
            // val.py computes nothing when no prediction is right at any threshold: everything is 0.
            List<ClassResult> rows = new ArrayList<>();
            truth.forEach((cls, counts) -> rows.add(new ClassResult(cls, counts[1], counts[0], 0, 0, 0, 0, 0)));
            return new Summary(images, instances, all.conf().length,
                    new ClassResult(-1, images, instances, 0, 0, 0, 0, 0), rows, 0);
        }
        return apPerClass(all, instances);
    }

    /** Every prediction of the set, by confidence descending (stable for equal confidence). */
    private record Sorted(double[] conf, int[] cls, boolean[][] correct) {
    }

    private Sorted sorted() {
        List<double[]> c = new ArrayList<>();
        List<Integer> k = new ArrayList<>();
        List<boolean[]> ok = new ArrayList<>();
        for (int i = 0; i < conf.size(); i++) {
            for (int j = 0; j < conf.get(i).length; j++) {
                c.add(new double[] {conf.get(i)[j]});
                k.add(predictedClass.get(i)[j]);
                ok.add(correct.get(i)[j]);
            }
        }
        Integer[] order = new Integer[c.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(c.get(b)[0], c.get(a)[0]));
        double[] sc = new double[order.length];
        int[] sk = new int[order.length];
        boolean[][] so = new boolean[order.length][];
        for (int i = 0; i < order.length; i++) {
            sc[i] = c.get(order[i])[0];
            sk[i] = k.get(order[i]);
            so[i] = ok.get(order[i]);
        }
        return new Sorted(sc, sk, so);
    }

    private Summary apPerClass(Sorted all, int instances) {
        double[] px = linspace(0, 1, CURVE_POINTS);
        int classes = truth.size();
        double[][] ap = new double[classes][IOU_THRESHOLDS.length];
        double[][] p = new double[classes][CURVE_POINTS];
        double[][] r = new double[classes][CURVE_POINTS];
        int ci = 0;
        for (var entry : truth.entrySet()) {
            classCurves(all, entry.getKey(), entry.getValue()[0], px, ap[ci], p[ci], r[ci]);
            ci++;
        }
        double[][] f1 = new double[classes][CURVE_POINTS];
        double[] meanF1 = new double[CURVE_POINTS];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < CURVE_POINTS; i++) {
                f1[c][i] = 2 * p[c][i] * r[c][i] / (p[c][i] + r[c][i] + EPS);
                meanF1[i] += f1[c][i];
            }
        }
        for (int i = 0; i < CURVE_POINTS; i++) {
            meanF1[i] /= classes;
        }
        int best = argmax(smooth(meanF1, 0.1));
        return summary(all, instances, ap, p, r, f1, best, px[best]);
    }

    /** Fills one class's AP per threshold and its precision and recall as functions of confidence. */
    private static void classCurves(Sorted all, int cls, int labels, double[] px, double[] ap, double[] p, double[] r) {
        int n = 0;
        for (int k : all.cls()) {
            n += k == cls ? 1 : 0;
        }
        if (n == 0) {
            return;
        }
        double[] negConf = new double[n];
        double[][] recall = new double[IOU_THRESHOLDS.length][n];
        double[][] precision = new double[IOU_THRESHOLDS.length][n];
        double[] tp = new double[IOU_THRESHOLDS.length];
        double[] fp = new double[IOU_THRESHOLDS.length];
        for (int i = 0, j = 0; i < all.cls().length; i++) {
            if (all.cls()[i] != cls) {
                continue;
            }
            negConf[j] = -all.conf()[i];
            for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
                if (all.correct()[i][t]) {
                    tp[t]++;
                } else {
                    fp[t]++;
                }
                recall[t][j] = tp[t] / (labels + EPS);
                precision[t][j] = tp[t] / (tp[t] + fp[t]);
            }
            j++;
        }
        for (int i = 0; i < px.length; i++) {
            r[i] = interp(-px[i], negConf, recall[0], 0.0);
            p[i] = interp(-px[i], negConf, precision[0], 1.0);
        }
        for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
            ap[t] = averagePrecision(recall[t], precision[t]);
        }
    }

    private Summary summary(Sorted all, int instances, double[][] ap, double[][] p, double[][] r, double[][] f1,
                            int best, double bestConf) {
        List<ClassResult> rows = new ArrayList<>();
        double[] sums = new double[5];
        int ci = 0;
        for (var entry : truth.entrySet()) {
            double ap5095 = PairwiseSum.of(ap[ci]) / ap[ci].length;
            ClassResult row = new ClassResult(entry.getKey(), entry.getValue()[1], entry.getValue()[0],
                    p[ci][best], r[ci][best], f1[ci][best], ap[ci][0], ap5095);
            rows.add(row);
            sums[0] += row.precision();
            sums[1] += row.recall();
            sums[2] += row.f1();
            sums[3] += row.map50();
            sums[4] += row.map5095();
            ci++;
        }
        int n = rows.size();
        ClassResult mean = new ClassResult(-1, images, instances, sums[0] / n, sums[1] / n, sums[2] / n,
                sums[3] / n, sums[4] / n);
        return new Summary(images, instances, all.conf().length, mean, rows, bestConf);
    }

    /** compute_ap: sentinels, monotone precision envelope, 101-point interpolation, trapezoidal integral. */
    static double averagePrecision(double[] recall, double[] precision) {
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[n + 1] = 1.0;
        mpre[0] = 1.0;
        System.arraycopy(recall, 0, mrec, 1, n);
        System.arraycopy(precision, 0, mpre, 1, n);
        for (int i = mpre.length - 2; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double[] x = linspace(0, 1, 101);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = interp(x[i], mrec, mpre, mpre[0]);
        }
        return trapezoid(y, x);
    }

    /**
     * {@code np.interp(x, xp, fp, left=left)} for increasing {@code xp} (repeats allowed): below the first
     * point {@code left}, beyond the last the last value, on a point the value of the last equal point.
     */
    static double interp(double x, double[] xp, double[] fp, double left) {
        int n = xp.length;
        if (x < xp[0]) {
            return left;
        }
        if (x >= xp[n - 1]) {
            return fp[n - 1];
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) { // last j with xp[j] <= x
            int mid = (lo + hi) >>> 1;
            if (x >= xp[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int j = lo - 1;
        if (xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return slope * (x - xp[j]) + fp[j];
    }

    /** {@code np.trapz(y, x)}. */
    static double trapezoid(double[] y, double[] x) {
        double[] parts = new double[y.length - 1];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
        }
        return PairwiseSum.of(parts);
    }

    /** YOLOv5's smooth(): centred box filter of odd length, edges padded with the end values. */
    static double[] smooth(double[] y, double fraction) {
        int nf = (int) Math.rint(y.length * fraction * 2) / 2 + 1;
        int half = nf / 2;
        double weight = 1.0 / nf;
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double sum = 0;
            for (int k = i - half; k <= i + half; k++) {
                sum += y[Math.max(0, Math.min(y.length - 1, k))] * weight;
            }
            out[i] = sum;
        }
        return out;
    }

    /** First index of the largest value, as np.argmax. */
    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** {@code np.linspace(start, stop, n)}: start + i * step, the last point exactly stop. */
    static double[] linspace(double start, double stop, int n) {
        double step = (stop - start) / (n - 1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i * step + start;
        }
        out[n - 1] = stop;
        return out;
    }
}
