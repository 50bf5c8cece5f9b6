package io.linesight.watch;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov-Smirnov statistic: the largest distance between the empirical distribution functions of
 * two samples, {@code D = max |F1(x) - F2(x)|}, in [0, 1]. It sees a shift of any shape (location, spread, a second
 * mode), needs no bins, and is what {@code scipy.stats.ks_2samp(a, b).statistic} returns: both functions are taken
 * at every value of either sample, each counting the values at or below it (ties inside and across the samples
 * are steps of their full height).
 *
 * <p>The drift rule compares D with a threshold rather than using a p-value: with windows of thousands of frames
 * every trivial change is "significant", while D says how large the change is.
 */
public final class KolmogorovSmirnov {

    private KolmogorovSmirnov() {
    }

    /** D of the two samples; 0 when either is empty. NaN values are not allowed (they have no place in the order). */
    public static double statistic(double[] first, double[] second) {
        if (first.length == 0 || second.length == 0) {
            return 0;
        }
        double[] a = sortedCopy(first);
        double[] b = sortedCopy(second);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double x = Math.min(a[i], b[j]);
            // step over every value equal to x in both samples before comparing: F(x) counts them all
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs(i / (double) a.length - j / (double) b.length));
        }
        return d; // past the end of one sample the distance only shrinks towards 0
    }

    private static double[] sortedCopy(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        if (copy.length > 0 && Double.isNaN(copy[copy.length - 1])) {
            throw new IllegalArgumentException("a sample holds NaN: drift needs real numbers");
        }
        return copy;
    }
}
