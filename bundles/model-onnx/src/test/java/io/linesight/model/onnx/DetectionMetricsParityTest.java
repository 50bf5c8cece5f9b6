package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.annotations.SerializedName;
import io.linesight.api.model.metrics.DetectionMetrics;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API's DetectionMetrics (the one mAP, also the gate's) against models/sku-yolov5n/metrics.py (the Python
 * version of YOLOv5's val.py metrics) on synthetic sets written by src/test/python/make_detection_metrics_cases.py: the same true positives per
 * prediction and threshold, and the same summary to 1e-9.
 */
class DetectionMetricsParityTest {

    record Image(double[][] pred, double[][] labels, int[][] correct) {
    }

    record ClassRow(int cls, double precision, double recall, double f1, @SerializedName("mAP50") double map50,
                    @SerializedName("mAP50-95") double map5095) {
    }

    record Expected(int images, int labels, int predictions, double precision, double recall, double f1,
                    @SerializedName("mAP50") double map50, @SerializedName("mAP50-95") double map5095,
                    double f1Confidence, List<ClassRow> perClass) {
    }

    record Case(List<Image> images, Expected expected) {
    }

    @Test
    void matchesThePythonReferenceOnEverySyntheticSet() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/yolo-metrics"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(3, files.size(), files.toString());
        for (Path file : files) {
            Case c;
            try (Reader reader = Files.newBufferedReader(file)) {
                c = new Gson().fromJson(reader, Case.class);
            }
            check(file.getFileName().toString(), c);
        }
    }

    private static void check(String name, Case c) {
        DetectionMetrics metrics = new DetectionMetrics();
        for (int i = 0; i < c.images().size(); i++) {
            Image image = c.images().get(i);
            List<DetectionMetrics.Box> pred = new ArrayList<>();
            for (double[] p : image.pred()) {
                pred.add(new DetectionMetrics.Box((int) p[0], p[1], p[2], p[3], p[4], p[5]));
            }
            List<DetectionMetrics.Box> labels = new ArrayList<>();
            for (double[] t : image.labels()) {
                labels.add(new DetectionMetrics.Box((int) t[0], 1, t[1], t[2], t[3], t[4]));
            }
            boolean[][] correct = DetectionMetrics.match(pred, labels);
            for (int p = 0; p < pred.size(); p++) {
                int[] bits = new int[correct[p].length];
                for (int t = 0; t < bits.length; t++) {
                    bits[t] = correct[p][t] ? 1 : 0;
                }
                assertArrayEquals(image.correct()[p], bits, name + " image " + i + " prediction " + p);
            }
            metrics.add(pred, labels);
        }
        DetectionMetrics.Summary s = metrics.summarise();
        Expected e = c.expected();
        assertEquals(e.images(), s.images(), name);
        assertEquals(e.labels(), s.instances(), name);
        assertEquals(e.predictions(), s.predictions(), name);
        assertEquals(e.f1Confidence(), s.f1Confidence(), 1e-12, name + " F1 confidence");
        assertRow(name + " all", e.precision(), e.recall(), e.f1(), e.map50(), e.map5095(), s.all());
        assertEquals(e.perClass().size(), s.perClass().size(), name);
        for (int k = 0; k < e.perClass().size(); k++) {
            ClassRow row = e.perClass().get(k);
            DetectionMetrics.ClassResult actual = s.perClass().get(k);
            assertEquals(row.cls(), actual.cls(), name);
            assertRow(name + " class " + row.cls(), row.precision(), row.recall(), row.f1(), row.map50(), row.map5095(),
                    actual);
        }
        assertTrue(s.all().map50() > 0, name);
    }

    private static void assertRow(String what, double p, double r, double f1, double map50, double map5095,
                                  DetectionMetrics.ClassResult actual) {
        assertEquals(p, actual.precision(), 1e-9, what + " P");
        assertEquals(r, actual.recall(), 1e-9, what + " R");
        assertEquals(f1, actual.f1(), 1e-9, what + " F1");
        assertEquals(map50, actual.map50(), 1e-9, what + " mAP50");
        assertEquals(map5095, actual.map5095(), 1e-9, what + " mAP50-95");
    }
}
