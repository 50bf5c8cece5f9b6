package io.linesight.api.model.metrics;

/**
 * NumPy's summation of a float64 array ({@code np.add.reduce}, used by {@code sum}, {@code mean} and
 * {@code average}): blocks of up to 128 values summed with eight accumulators, larger arrays split in
 * halves. Reproducing its order makes averages agree with NumPy to the last bit, which matters when a
 * value lands next to a rounding boundary of the printed report. Pure.
 */
public final class PairwiseSum {

    private static final int BLOCK = 128;

    private PairwiseSum() {
    }

    public static double of(double[] values) {
        return of(values, 0, values.length);
    }

    static double of(double[] a, int from, int n) {
        if (n < 8) {
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        if (n <= BLOCK) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return of(a, from, half) + of(a, from + half, n - half);
    }
}
