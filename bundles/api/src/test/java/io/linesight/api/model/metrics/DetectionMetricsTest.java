package io.linesight.api.model.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** YOLOv5 val.py arithmetic on cases small enough to check by hand. */
class DetectionMetricsTest {

    private static DetectionMetrics.Box box(int cls, double conf, double x1, double y1, double x2, double y2) {
        return new DetectionMetrics.Box(cls, conf, x1, y1, x2, y2);
    }

    private static final DetectionMetrics.Box LABEL = box(0, 1, 0, 0, 100, 100);

    @Test
    void perfectPredictionsGivePrecisionAndRecallOneAndYoloV5sApOf0995() {
        DetectionMetrics m = new DetectionMetrics();
        m.add(List.of(box(0, 0.9, 0, 0, 100, 100)), List.of(LABEL));
        m.add(List.of(box(1, 0.8, 10, 10, 20, 30)), List.of(box(1, 1, 10, 10, 20, 30)));
        DetectionMetrics.Summary s = m.summarise();
        assertEquals(1.0, s.all().precision(), 1e-12);
        assertEquals(1.0, s.all().recall(), 1e-12);
        assertEquals(1.0, s.all().f1(), 1e-12);
        // The 101-point curve ends at recall 1 with the sentinel precision 0, so the last 1/100 of the
        // integral is a triangle: YOLOv5 reports 0.995 for a perfect detector, and so do we.
        assertEquals(0.995, s.all().map50(), 1e-12);
        assertEquals(0.995, s.all().map5095(), 1e-12);
        assertEquals(2, s.perClass().size());
        assertEquals(2, s.images());
        assertEquals(2, s.instances());
    }

    @Test
    void aFalsePositiveMoreConfidentThanTheHitHalvesTheAp() {
        DetectionMetrics m = new DetectionMetrics();
        m.add(List.of(box(0, 0.9, 300, 300, 400, 400), box(0, 0.8, 0, 0, 100, 100)), List.of(LABEL));
        DetectionMetrics.Summary s = m.summarise();
        // recall [0, 1], precision [0, 0.5]: the envelope is 0.5 from recall 0 to 1 -> 0.5 * 0.99 + 0.0025.
        assertEquals(0.4975, s.all().map50(), 1e-12);
        assertEquals(0.4975, s.all().map5095(), 1e-12);
        assertEquals(1.0, s.all().recall(), 1e-12);
        assertEquals(0.5, s.all().precision(), 1e-12);
    }

    @Test
    void aFalsePositiveLessConfidentThanTheHitDoesNotLowerTheAp() {
        DetectionMetrics m = new DetectionMetrics();
        m.add(List.of(box(0, 0.9, 0, 0, 100, 100), box(0, 0.3, 300, 300, 400, 400)), List.of(LABEL));
        assertEquals(0.995, m.summarise().all().map50(), 1e-12);
    }

    @Test
    void aBoxAtIou072CountsForThresholds050To070Only() {
        DetectionMetrics.Box pred = box(0, 0.9, 0, 0, 100, 72);
        assertEquals(0.72, DetectionMetrics.iou(pred, LABEL), 1e-6);
        boolean[][] correct = DetectionMetrics.match(List.of(pred), List.of(LABEL));
        assertArrayEquals(new boolean[] {true, true, true, true, true, false, false, false, false, false}, correct[0]);
        DetectionMetrics m = new DetectionMetrics();
        m.add(List.of(pred), List.of(LABEL));
        assertEquals(0.995, m.summarise().all().map50(), 1e-12);
        assertEquals(0.995 * 5 / 10, m.summarise().all().map5095(), 1e-12);
    }

    @Test
    void aBoxAtExactlyIou070MissesThe070ThresholdBecauseOfBoxIousEpsilon() {
        // box_iou adds 1e-7 to the union, so 7000 / 10000 comes out just below 0.70.
        boolean[][] correct = DetectionMetrics.match(List.of(box(0, 0.9, 0, 0, 100, 70)), List.of(LABEL));
        assertArrayEquals(new boolean[] {true, true, true, true, false, false, false, false, false, false}, correct[0]);
    }

    @Test
    void theRightBoxOfTheWrongClassIsNotAHit() {
        boolean[][] correct = DetectionMetrics.match(List.of(box(1, 0.9, 0, 0, 100, 100)), List.of(LABEL));
        assertArrayEquals(new boolean[10], correct[0]);
    }

    @Test
    void aLabelClaimedByTwoPredictionsGoesToTheFirstPredictionNotTheBestIou() {
        // val.py's process_batch: after keeping each prediction's best label, a label keeps the prediction
        // with the lowest index (the most confident one), even if a later one overlaps it better.
        DetectionMetrics.Box first = box(0, 0.9, 0, 0, 100, 82);   // IoU 0.82
        DetectionMetrics.Box second = box(0, 0.8, 0, 0, 100, 96);  // IoU 0.96
        boolean[][] correct = DetectionMetrics.match(List.of(first, second), List.of(LABEL));
        assertArrayEquals(new boolean[] {true, true, true, true, true, true, true, false, false, false}, correct[0]);
        assertArrayEquals(new boolean[] {false, false, false, false, false, false, false, true, true, true}, correct[1]);
    }

    @Test
    void aMissedObjectHalvesRecallAndClassesWithoutGroundTruthAreLeftOut() {
        DetectionMetrics m = new DetectionMetrics();
        m.add(List.of(box(0, 0.9, 0, 0, 100, 100), box(2, 0.95, 500, 500, 600, 600)),
                List.of(LABEL, box(0, 1, 200, 200, 300, 300)));
        DetectionMetrics.Summary s = m.summarise();
        assertEquals(1, s.perClass().size()); // class 2 has predictions but no labels
        assertEquals(0.5, s.all().recall(), 1e-12);
        assertEquals(1.0, s.all().precision(), 1e-12);
        // recall 0.5 at precision 1, then np.interp runs straight down to the sentinel (recall 1,
        // precision 0): 0.5 + a triangle of 0.25.
        assertEquals(0.75, s.all().map50(), 1e-12);
    }

    @Test
    void noCorrectPredictionAtAllGivesZeros() {
        DetectionMetrics m = new DetectionMetrics();
        m.add(List.of(box(0, 0.9, 300, 300, 400, 400)), List.of(LABEL));
        m.add(List.of(), List.of());
        DetectionMetrics.Summary s = m.summarise();
        assertEquals(0, s.all().map50());
        assertEquals(0, s.all().precision());
        assertEquals(2, s.images());
        assertEquals(1, s.predictions());
    }

    @Test
    void numpyHelpersBehaveLikeNumpy() {
        double[] xp = {0, 1, 1, 2};
        double[] fp = {0, 10, 20, 30};
        assertEquals(-1, DetectionMetrics.interp(-0.5, xp, fp, -1));
        assertEquals(20, DetectionMetrics.interp(1, xp, fp, -1)); // on a repeated point: the last one
        assertEquals(25, DetectionMetrics.interp(1.5, xp, fp, -1));
        assertEquals(30, DetectionMetrics.interp(7, xp, fp, -1));
        assertEquals(0.95, DetectionMetrics.IOU_THRESHOLDS[9]);
        assertEquals(1.0, DetectionMetrics.trapezoid(new double[] {1, 1, 1}, new double[] {0, 0.5, 1}), 1e-15);
        double[] smoothed = DetectionMetrics.smooth(new double[] {0, 0, 3, 0, 0}, 0.4); // window of 3
        assertArrayEquals(new double[] {0, 1, 1, 1, 0}, smoothed, 1e-12);
    }
}
