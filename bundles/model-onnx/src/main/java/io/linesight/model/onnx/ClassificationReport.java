package io.linesight.model.onnx;

import io.linesight.api.model.metrics.PairwiseSum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A classifier's confusion matrix and the text of scikit-learn's {@code classification_report}, character
 * for character, as the training pipelines call it: every label of the card is passed
 * ({@code labels=range(len(names)), target_names=names}), default {@code digits=2} and
 * {@code zero_division} (an undefined ratio counts as 0). It follows scikit-learn 1.2's arithmetic in
 * float64, including NumPy's pairwise summation for the averages and round-half-to-even on the exact
 * binary value when formatting, so the last digit agrees. Pure.
 */
final class ClassificationReport {

    /** Above this many classes the matrix is replaced by a list of the most frequent confusions. */
    static final int MAX_MATRIX_CLASSES = 20;
    private static final String LONGEST_AVERAGE = "weighted avg";
    private static final String[] HEADERS = {"precision", "recall", "f1-score", "support"};

    private ClassificationReport() {
    }

    /** {@code matrix[true][predicted]} counts, as sklearn's {@code confusion_matrix}. */
    static long[][] confusionMatrix(int[] yTrue, int[] yPred, int classes) {
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException(yTrue.length + " true labels but " + yPred.length + " predictions");
        }
        long[][] matrix = new long[classes][classes];
        for (int i = 0; i < yTrue.length; i++) {
            matrix[yTrue[i]][yPred[i]]++;
        }
        return matrix;
    }

    /** Per-class and averaged scores, as {@code precision_recall_fscore_support}. */
    record Scores(double[] precision, double[] recall, double[] f1, long[] support, long[] predicted, long[] correct) {

        static Scores of(long[][] matrix) {
            int n = matrix.length;
            long[] support = new long[n];
            long[] predicted = new long[n];
            long[] correct = new long[n];
            for (int t = 0; t < n; t++) {
                for (int p = 0; p < n; p++) {
                    support[t] += matrix[t][p];
                    predicted[p] += matrix[t][p];
                }
                correct[t] = matrix[t][t];
            }
            double[] precision = new double[n];
            double[] recall = new double[n];
            double[] f1 = new double[n];
            for (int c = 0; c < n; c++) {
                precision[c] = divide(correct[c], predicted[c]);
                recall[c] = divide(correct[c], support[c]);
                f1[c] = fScore(precision[c], recall[c]);
            }
            return new Scores(precision, recall, f1, support, predicted, correct);
        }

        /**
         * sklearn's support as it prints it: when no prediction at all is right, its confusion counts come
         * out as float64 (a zero-filled array in multilabel_confusion_matrix), so supports print as "3.0".
         */
        String supportText(long value) {
            return Arrays.stream(correct).sum() == 0 ? value + ".0" : Long.toString(value);
        }

        long total() {
            long total = 0;
            for (long s : support) {
                total += s;
            }
            return total;
        }

        /** Micro average; equals accuracy when every prediction is one of the labels (always here). */
        double[] micro() {
            long tp = 0;
            long pred = 0;
            long truth = 0;
            for (int c = 0; c < support.length; c++) {
                tp += correct[c];
                pred += predicted[c];
                truth += support[c];
            }
            double p = divide(tp, pred);
            double r = divide(tp, truth);
            return new double[] {p, r, fScore(p, r)};
        }

        double[] macro() {
            int n = support.length;
            return new double[] {PairwiseSum.of(precision) / n, PairwiseSum.of(recall) / n, PairwiseSum.of(f1) / n};
        }

        /** Averages weighted by support; with no support at all sklearn answers 0 (zero_division). */
        double[] weighted() {
            double[] weights = new double[support.length];
            for (int c = 0; c < weights.length; c++) {
                weights[c] = support[c];
            }
            double sum = PairwiseSum.of(weights);
            if (sum == 0) {
                return new double[] {0, 0, 0};
            }
            return new double[] {weightedMean(precision, weights, sum), weightedMean(recall, weights, sum),
                    weightedMean(f1, weights, sum)};
        }

        /** sklearn prints "accuracy" only if the given labels are exactly those seen in y_true and y_pred. */
        boolean everyLabelSeen() {
            for (int c = 0; c < support.length; c++) {
                if (support[c] == 0 && predicted[c] == 0) {
                    return false;
                }
            }
            return true;
        }

        private static double weightedMean(double[] values, double[] weights, double weightSum) {
            double[] products = new double[values.length];
            for (int c = 0; c < values.length; c++) {
                products[c] = values[c] * weights[c];
            }
            return PairwiseSum.of(products) / weightSum;
        }

        private static double divide(long numerator, long denominator) {
            return denominator == 0 ? 0.0 : (double) numerator / denominator;
        }

        /** F1 as sklearn computes F-beta with beta 1, the same operations in the same order. */
        private static double fScore(double p, double r) {
            double denominator = p + r;
            if (denominator == 0.0) {
                denominator = 1;
            }
            return 2.0 * p * r / denominator;
        }
    }

    /** The text of {@code classification_report(y_true, y_pred, labels=range(n), target_names=names)}. */
    static String sklearnText(long[][] matrix, List<String> names) {
        return sklearnText(matrix, names, 2);
    }

    static String sklearnText(long[][] matrix, List<String> names, int digits) {
        Scores s = Scores.of(matrix);
        int width = LONGEST_AVERAGE.length();
        for (String name : names) {
            width = Math.max(width, name.codePointCount(0, name.length()));
        }
        width = Math.max(width, digits);
        StringBuilder out = new StringBuilder();
        out.append(pad("", width)).append(' ');
        for (String header : HEADERS) {
            out.append(' ').append(pad(header, 9));
        }
        out.append("\n\n");
        for (int c = 0; c < names.size(); c++) {
            double[] values = {s.precision()[c], s.recall()[c], s.f1()[c]};
            row(out, names.get(c), values, s.supportText(s.support()[c]), width, digits);
        }
        out.append('\n');
        double[] micro = s.micro();
        if (s.everyLabelSeen()) {
            out.append(pad("accuracy", width)).append(' ').append(' ').append(pad("", 9)).append(' ').append(pad("", 9))
                    .append(' ').append(pad(fixed(micro[2], digits), 9)).append(' ').append(pad(s.supportText(s.total()), 9))
                    .append('\n');
        } else {
            row(out, "micro avg", micro, s.supportText(s.total()), width, digits);
        }
        row(out, "macro avg", s.macro(), s.supportText(s.total()), width, digits);
        row(out, LONGEST_AVERAGE, s.weighted(), s.supportText(s.total()), width, digits);
        return out.toString();
    }

    private static void row(StringBuilder out, String name, double[] values, String support, int width, int digits) {
        out.append(pad(name, width)).append(' ');
        for (double v : values) {
            out.append(' ').append(pad(fixed(v, digits), 9));
        }
        out.append(' ').append(pad(support, 9)).append('\n');
    }

    /**
     * Python's {@code format(v, ".2f")}: the exact binary value rounded half to even (Java's %f would round
     * 0.125 up to 0.13 where Python prints 0.12).
     */
    static String fixed(double v, int digits) {
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Right-aligns like Python's {@code {:>N}}: pads by code points, never truncates. */
    private static String pad(String s, int width) {
        int length = s.codePointCount(0, s.length());
        return length >= width ? s : " ".repeat(width - length) + s;
    }

    /**
     * The confusion matrix as a table (rows: true class, columns: predicted class) or, for more than
     * {@link #MAX_MATRIX_CLASSES} classes, the most frequent confusions.
     */
    static String matrixText(long[][] matrix, List<String> names) {
        if (names.size() > MAX_MATRIX_CLASSES) {
            return topConfusions(matrix, names, 15);
        }
        int rowWidth = 0;
        for (String name : names) {
            rowWidth = Math.max(rowWidth, name.length());
        }
        int[] columnWidth = new int[names.size()];
        for (int p = 0; p < names.size(); p++) {
            columnWidth[p] = names.get(p).length();
            for (long[] row : matrix) {
                columnWidth[p] = Math.max(columnWidth[p], Long.toString(row[p]).length());
            }
        }
        StringBuilder out = new StringBuilder("confusion matrix (rows: true class, columns: predicted class)\n");
        out.append(" ".repeat(rowWidth));
        for (int p = 0; p < names.size(); p++) {
            out.append("  ").append(pad(names.get(p), columnWidth[p]));
        }
        out.append('\n');
        for (int t = 0; t < names.size(); t++) {
            out.append(names.get(t)).append(" ".repeat(rowWidth - names.get(t).length()));
            for (int p = 0; p < names.size(); p++) {
                out.append("  ").append(pad(Long.toString(matrix[t][p]), columnWidth[p]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String topConfusions(long[][] matrix, List<String> names, int limit) {
        record Cell(int t, int p, long count) {
        }
        List<Cell> cells = new ArrayList<>();
        for (int t = 0; t < matrix.length; t++) {
            for (int p = 0; p < matrix.length; p++) {
                if (t != p && matrix[t][p] > 0) {
                    cells.add(new Cell(t, p, matrix[t][p]));
                }
            }
        }
        cells.sort(Comparator.comparingLong(Cell::count).reversed());
        StringBuilder out = new StringBuilder("confusion matrix omitted for " + names.size() + " classes; ");
        out.append(cells.isEmpty() ? "no confusions\n" : "most frequent confusions (true -> predicted):\n");
        for (Cell c : cells.subList(0, Math.min(limit, cells.size()))) {
            out.append(String.format(Locale.ROOT, "%8d  %s -> %s%n", c.count(), names.get(c.t()), names.get(c.p())));
        }
        return out.toString();
    }
}
