package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with the reference, on every golden image of every package shipped under {@code models/}: the
 * Java runner's output must match the reference outputs the training pipeline committed
 * ({@code golden/expected.json}). Classifiers: probabilities within 1e-3 absolute and the same top-1.
 * Detectors: the same number of boxes, matched one to one (same class) with IoU at least 0.99.
 *
 * <p>INT8 (QDQ) exports are held to a different standard, because box-for-box parity is not a property such a
 * model has. Every QuantizeLinear in the graph rounds to one of 256 steps, so the output is not a continuous
 * function of the input: moving each input value of golden image shelf-3000000 by one float ulp (1.2e-7) in ONNX
 * Runtime itself moves output rows of sku-yolov5n-int8 0.2.0 by up to 23 pixels, while its FP32 export moves by
 * 4e-4 pixels. On 20 golden images that one-ulp noise alone leaves 1.67 % of the boxes without a partner at
 * IoU 0.5 and a median matched IoU of 0.966 (`models/sku-yolov5n/int8_noise.py`, 2026-12-02; 0.1.0 gave 1.45 %
 * and 0.980). The runner's letterbox equals PyTorch's to about one ulp (the FP32 and FP16 exports match box for
 * box above), so for INT8 the test checks that the runner stays within that noise: boxes matched one to one at
 * IoU 0.5 (the mAP50 criterion), at most {@value #INT8_UNMATCHED_PERCENT} % unmatched on either side (about
 * twice the floor) and a median matched IoU of at least {@value #INT8_MEDIAN_IOU} (1.5 times the floor's drop
 * from 1). The figures are printed.
 */
class ShippedPackagesParityTest {

    private static final Path MODELS = Path.of("../../models").toAbsolutePath().normalize();
    static final double INT8_UNMATCHED_PERCENT = 3.0;
    static final double INT8_MEDIAN_IOU = 0.95;

    static Stream<Path> packages() throws IOException {
        try (Stream<Path> dirs = Files.list(MODELS)) {
            List<Path> found = dirs.filter(d -> Files.isRegularFile(d.resolve("model.json"))
                    && Files.isRegularFile(d.resolve("golden/expected.json"))).sorted().toList();
            assertFalse(found.isEmpty(), "no model packages under " + MODELS);
            return found.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void everyGoldenImageMatchesTheReference(Path pkg) throws Exception {
        JsonArray expected = JsonParser.parseString(Files.readString(pkg.resolve("golden/expected.json"))).getAsJsonArray();
        JsonObject card = JsonParser.parseString(Files.readString(pkg.resolve("model.json"))).getAsJsonObject();
        boolean int8 = card.has("provenance") && card.getAsJsonObject("provenance").has("precision")
                && "int8".equals(card.getAsJsonObject("provenance").get("precision").getAsString());
        assertTrue(expected.size() >= 50, pkg + ": golden set has " + expected.size() + " images");
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(pkg)) {
            double worst = 0;
            BoxTally tally = new BoxTally(int8 ? 0.5 : 0.99);
            for (JsonElement e : expected) {
                JsonObject entry = e.getAsJsonObject();
                Path image = pkg.resolve("golden").resolve(entry.get("file").getAsString());
                var result = model.infer(GoldenSetParityTest.bgrFrame(image));
                if (result instanceof Classification c) {
                    worst = Math.max(worst, compareProbabilities(image, c, entry.getAsJsonArray("probabilities")));
                } else {
                    List<Detection> found = ((Detections) result).objects();
                    JsonArray reference = entry.getAsJsonArray("detections");
                    int unmatchedBefore = tally.unmatched;
                    tally.match(found, reference);
                    if (!int8) {
                        assertEquals(reference.size(), found.size(), image + ": number of boxes");
                        assertEquals(unmatchedBefore, tally.unmatched, image + ": a box without a partner at IoU 0.99");
                    }
                }
            }
            if (int8) {
                assertTrue(tally.unmatchedPercent() <= INT8_UNMATCHED_PERCENT, pkg + ": " + tally);
                assertTrue(tally.medianIou() >= INT8_MEDIAN_IOU, pkg + ": " + tally);
            }
            System.out.printf("parity %s: %d images, largest |dp| %.2e, %s%n", pkg.getFileName(), expected.size(), worst,
                    tally);
        }
    }

    private static double compareProbabilities(Path image, Classification c, JsonArray reference) {
        float[] p = c.probabilities();
        assertEquals(reference.size(), p.length, image + ": class count");
        double worst = 0;
        int referenceTop = 0;
        for (int i = 0; i < p.length; i++) {
            double r = reference.get(i).getAsDouble();
            worst = Math.max(worst, Math.abs(p[i] - r));
            referenceTop = r > reference.get(referenceTop).getAsDouble() ? i : referenceTop;
        }
        assertTrue(worst <= 1e-3, image + ": largest probability difference " + worst);
        assertEquals(referenceTop, c.best().index(), image + ": top-1");
        return worst;
    }

    /** Greedy one-to-one matching by IoU within each class, accumulated over a golden set. */
    private static final class BoxTally {
        private final double minIou;
        private final List<Double> matchedIous = new ArrayList<>();
        private int referenceBoxes;
        private int runnerBoxes;
        private int unmatched;

        BoxTally(double minIou) {
            this.minIou = minIou;
        }

        void match(List<Detection> found, JsonArray reference) {
            List<Detection> left = new ArrayList<>(found);
            referenceBoxes += reference.size();
            runnerBoxes += found.size();
            for (JsonElement e : reference) {
                JsonObject r = e.getAsJsonObject();
                Detection best = null;
                double bestIou = -1;
                for (Detection d : left) {
                    double iou = d.classIndex() == r.get("classIndex").getAsInt() ? iou(d, r) : -1;
                    if (iou > bestIou) {
                        bestIou = iou;
                        best = d;
                    }
                }
                if (best == null || bestIou < minIou) {
                    unmatched++;
                } else {
                    left.remove(best);
                    matchedIous.add(bestIou);
                }
            }
            unmatched += left.size();
        }

        double unmatchedPercent() {
            return 100.0 * unmatched / Math.max(1, referenceBoxes + runnerBoxes);
        }

        double medianIou() {
            List<Double> sorted = matchedIous.stream().sorted().toList();
            return sorted.isEmpty() ? 1 : sorted.get(sorted.size() / 2);
        }

        @Override
        public String toString() {
            double smallest = matchedIous.stream().mapToDouble(Double::doubleValue).min().orElse(1);
            return String.format("%d reference boxes, %d runner boxes, %d unmatched at IoU %.2f (%.2f %%), matched IoU"
                    + " median %.4f, smallest %.4f", referenceBoxes, runnerBoxes, unmatched, minIou, unmatchedPercent(),
                    medianIou(), smallest);
        }
    }

    private static double iou(Detection d, JsonObject r) {
        double x1 = Math.max(d.x1(), r.get("x1").getAsDouble());
        double y1 = Math.max(d.y1(), r.get("y1").getAsDouble());
        double x2 = Math.min(d.x2(), r.get("x2").getAsDouble());
        double y2 = Math.min(d.y2(), r.get("y2").getAsDouble());
        double inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        double a = (d.x2() - d.x1()) * (d.y2() - d.y1());
        double b = (r.get("x2").getAsDouble() - r.get("x1").getAsDouble()) * (r.get("y2").getAsDouble() - r.get("y1").getAsDouble());
        return inter / (a + b - inter);
    }
}
