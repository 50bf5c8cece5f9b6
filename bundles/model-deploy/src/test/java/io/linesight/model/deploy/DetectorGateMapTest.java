package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.GateReport;
import io.linesight.api.model.metrics.DetectionMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's mAP50 verdict, computed by the API's DetectionMetrics (the figure model:eval prints). */
class DetectorGateMapTest {

    private static DetectionMetrics.Box b(int c, double x1, double y1, double x2, double y2) {
        return new DetectionMetrics.Box(c, 1, x1, y1, x2, y2);
    }

    private static DetectionMetrics.Box p(int c, double conf, double x1, double y1, double x2, double y2) {
        return new DetectionMetrics.Box(c, conf, x1, y1, x2, y2);
    }

    /** YOLOv5's interpolation ends at precision 0 for recall 1, so a perfect detector scores 0.995. */
    @Test
    void perfectPredictionsScoreWhatYoloV5GivesThemAndNoneScoreZero() {
        DetectionMetrics map = new DetectionMetrics();
        map.add(List.of(p(0, 0.9, 0, 0, 10, 10), p(1, 0.8, 20, 20, 30, 30)), List.of(b(0, 0, 0, 10, 10), b(1, 20, 20, 30, 30)));
        GateReport perfect = DetectorGate.verdict(map.summarise(), 1, 5, 0.99, 10);
        assertEquals(0.995, perfect.value(), 1e-12);
        assertTrue(perfect.passed(), perfect.detail());
        DetectionMetrics empty = new DetectionMetrics();
        empty.add(List.of(), List.of(b(0, 0, 0, 10, 10)));
        GateReport none = DetectorGate.verdict(empty.summarise(), 1, 5, 0.5, 10);
        assertEquals(0.0, none.value());
        assertFalse(none.passed(), none.detail());
        assertTrue(none.detail().contains("1 labels, 0 boxes"), none.detail());
    }

    @Test
    void agreesWithTheTrainingPipelinesMetrics() {
        // reference: models/sku-yolov5n/metrics.py Evaluator on the same boxes (numpy 1.24, Debian python3)
        DetectionMetrics map = new DetectionMetrics();
        map.add(List.of(p(1, 0.655, 172.01, 155.38, 207.91, 193.82), p(0, 0.555, 170.67, -6.76, 222.64, 56.01), p(1, 0.885, 65.89, 50.16, 87.08, 99.57), p(0, 0.549, 104.78, 104.16, 161.39, 162.53), p(1, 0.562, 190.74, 41.26, 221.37, 81.97), p(2, 0.668, 118.0, 121.01, 148.0, 151.01), p(1, 0.5, 181.44, 157.14, 210.45, 189.14)),
                List.of(b(1, 179.44, 155.14, 208.45, 187.14), b(0, 174.71, 1.05, 227.56, 52.94), b(1, 60.61, 55.69, 90.8, 93.49), b(2, 100.91, 110.7, 160.73, 162.41), b(1, 197.79, 43.06, 224.2, 87.56)));
        map.add(List.of(p(0, 0.584, 14.23, 199.71, 50.21, 241.55), p(0, 0.818, 167.42, 138.46, 199.56, 187.01), p(1, 0.595, 186.94, 173.27, 225.74, 214.08), p(2, 0.5, 32.16, 90.06, 61.74, 126.16)),
                List.of(b(2, 30.16, 88.06, 59.74, 124.16), b(0, 19.34, 193.57, 47.94, 240.44), b(0, 174.82, 132.44, 200.08, 186.25), b(1, 188.99, 180.78, 231.78, 206.6)));
        map.add(List.of(p(2, 0.31, 75.13, 108.79, 115.88, 158.89), p(1, 0.5, 176.56, 70.84, 220.17, 118.19)),
                List.of(b(1, 174.56, 68.84, 218.17, 116.19), b(2, 71.08, 103.82, 121.69, 160.19)));
        map.add(List.of(p(2, 0.473, 165.37, 95.7, 206.52, 131.97), p(2, 0.44, 118.14, 70.09, 153.07, 123.42), p(2, 0.631, 84.3, 202.73, 134.96, 230.72), p(2, 0.738, 151.1, 113.04, 193.0, 170.71), p(1, 0.5, 160.6, 104.6, 209.64, 133.66)),
                List.of(b(1, 158.6, 102.6, 207.64, 131.66), b(0, 39.7, 72.63, 66.88, 106.47), b(2, 114.67, 68.01, 145.53, 126.1), b(2, 88.9, 196.08, 129.52, 236.93), b(2, 148.55, 116.13, 185.62, 171.26)));
        DetectionMetrics.Summary summary = map.summarise();
        assertEquals(0.8346666666666667, summary.all().map50(), 1e-9);
        assertEquals(16, summary.instances());
        GateReport report = DetectorGate.verdict(summary, 4, 5, 0.835, 10);
        assertFalse(report.passed(), report.detail());
        assertTrue(report.detail().contains("mAP50 0.835 (4 images, 16 labels, 18 boxes"), report.detail());
    }
}
