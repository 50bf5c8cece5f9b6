package io.linesight.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Properties worked out by hand; the figures against numpy and scipy are in DriftParityTest. */
class DriftStatisticsTest {

    @Test
    void identicalSamplesHaveNoDrift() {
        double[] sample = {0.1, 0.5, 0.5, 0.93, 0.99};
        assertEquals(0.0, PopulationStability.of(sample, sample.clone(), 10, 0, 1), 0.0);
        assertEquals(0.0, KolmogorovSmirnov.statistic(sample, sample.clone()), 0.0);
    }

    @Test
    void disjointSamplesAreAsFarApartAsKsGoes() {
        assertEquals(1.0, KolmogorovSmirnov.statistic(new double[] {0.1, 0.2}, new double[] {0.8, 0.9, 0.95}), 0.0);
    }

    @Test
    void ksCountsTiesAcrossTheSamplesAsOneStep() {
        // F1 = 1/2 at 0.5 and 1 at 0.7; F2 = 1/4 at 0.3, 3/4 at 0.5, 1 at 0.9: the largest gap is at 0.3 (0 - 1/4)
        // and 0.7 (1 - 3/4): 0.25
        assertEquals(0.25, KolmogorovSmirnov.statistic(new double[] {0.5, 0.7}, new double[] {0.3, 0.5, 0.5, 0.9}), 1e-15);
    }

    @Test
    void psiByHandForTwoCategories() {
        // (0.3 - 0.5) ln(0.3 / 0.5) + (0.7 - 0.5) ln(0.7 / 0.5)
        double expected = -0.2 * Math.log(0.6) + 0.2 * Math.log(1.4);
        assertEquals(expected, PopulationStability.ofShares(new double[] {0.5, 0.5}, new double[] {0.3, 0.7}), 1e-15);
    }

    @Test
    void histogramPutsEdgesInTheUpperBinAndTheTopValueInTheLast() {
        assertArrayEquals(new long[] {1, 1, 0, 2}, PopulationStability.histogram(new double[] {0.0, 0.25, 0.75, 1.0, 1.2},
                4, 0, 1));
    }

    @Test
    void categorySharesCountAgainstAllLabels() {
        assertArrayEquals(new double[] {0.5, 0.25, 0.0}, PopulationStability.categoryShares(new int[] {0, 0, 1, 7}, 3), 0.0);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> PopulationStability.ofShares(new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> PopulationStability.histogram(new double[1], 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> KolmogorovSmirnov.statistic(new double[] {Double.NaN}, new double[] {0.5}));
    }
}
