package io.linesight.watch;

/**
 * The population stability index (PSI) between a reference sample and a current one: {@code sum over bins of
 * (a - e) * ln(a / e)}, where {@code e} and {@code a} are the shares of the reference and the current sample in each
 * bin. 0 means the same distribution; the common reading is below 0.1 stable, 0.1 to 0.25 a moderate shift, 0.25 and
 * above a significant one.
 *
 * <p>Binning is numpy's {@code np.histogram(x, bins, range=(lo, hi))}: equal-width bins with edges
 * {@code lo + i * (hi - lo) / bins}, each bin {@code [left, right)} except the last, which includes {@code hi};
 * values outside the range are not counted. A bin empty in either sample would make the index infinite, so each share
 * is floored at {@link #SHARE_FLOOR} (the usual practice), on both sides. Categorical rates (class or verdict shares)
 * use {@link #ofShares} with the same floor. Pure and allocation-light: windows of a few thousand values.
 */
public final class PopulationStability {

    /** The smallest share a bin counts with, so an empty bin gives a large but finite contribution. */
    public static final double SHARE_FLOOR = 1e-4;

    private PopulationStability() {
    }

    /** PSI of {@code current} against {@code reference} over {@code bins} equal-width bins on [lo, hi]. */
    public static double of(double[] reference, double[] current, int bins, double lo, double hi) {
        return ofShares(shares(reference, bins, lo, hi), shares(current, bins, lo, hi));
    }

    /** PSI of two share vectors of the same categories (each summing to 1, or all 0 for an empty sample). */
    public static double ofShares(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("PSI needs the same categories on both sides: " + expected.length
                    + " against " + actual.length);
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], SHARE_FLOOR);
            double a = Math.max(actual[i], SHARE_FLOOR);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** Each bin's share of the values inside [lo, hi] (not of all values: as counts / len after np.histogram). */
    static double[] shares(double[] values, int bins, double lo, double hi) {
        long[] counts = histogram(values, bins, lo, hi);
        double[] shares = new double[bins];
        if (values.length == 0) {
            return shares;
        }
        for (int i = 0; i < bins; i++) {
            shares[i] = counts[i] / (double) values.length;
        }
        return shares;
    }

    /** Counts per bin exactly as {@code np.histogram(values, bins, range=(lo, hi))[0]}. */
    static long[] histogram(double[] values, int bins, double lo, double hi) {
        if (bins < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("need bins >= 1 and hi > lo, got " + bins + " bins on [" + lo + ", " + hi + "]");
        }
        double[] edges = edges(bins, lo, hi);
        double span = hi - lo;
        long[] counts = new long[bins];
        for (double x : values) {
            if (!(x >= lo && x <= hi)) {
                continue; // outside the range, or NaN
            }
            int index = (int) ((x - lo) / span * bins); // numpy's order of operations, for the same rounding
            if (index == bins) {
                index--;
            }
            // the multiplication can land one bin off near an edge; the edges decide, as numpy does
            if (x < edges[index]) {
                index--;
            } else if (index != bins - 1 && x >= edges[index + 1]) {
                index++;
            }
            counts[index]++;
        }
        return counts;
    }

    /** {@code np.linspace(lo, hi, bins + 1)}: {@code lo + i * step}, the last edge exactly {@code hi}. */
    static double[] edges(int bins, double lo, double hi) {
        double step = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + lo;
        }
        edges[bins] = hi;
        return edges;
    }

    /** Shares of categories 0..categories-1 among {@code labels} (others ignored in the counts, not in the total). */
    public static double[] categoryShares(int[] labels, int categories) {
        double[] shares = new double[categories];
        if (labels.length == 0) {
            return shares;
        }
        for (int label : labels) {
            if (label >= 0 && label < categories) {
                shares[label]++;
            }
        }
        for (int i = 0; i < categories; i++) {
            shares[i] /= labels.length;
        }
        return shares;
    }
}
