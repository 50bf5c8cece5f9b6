package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.GateReport;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector gate on a small YOLO-format golden set, with stand-in detectors of known quality. */
class DetectorGateTest {

    @TempDir
    Path dir;

    /** A detector that answers from the frame's size only. */
    private static LoadedModel detector(Function<Frame, List<Detection>> answer) {
        return new LoadedModel() {
            @Override
            public ModelInfo info() {
                return new ModelInfo("sku", "1.0.0", "00", Task.DETECT, List.of("product", "tag"));
            }

            @Override
            public InferenceResult infer(Frame frame) {
                return new Detections(answer.apply(frame), 0, 2_000_000, 0);
            }

            @Override
            public void close() {
            }
        };
    }

    private PackageCard golden(Double minMap50) throws Exception {
        Files.createDirectories(dir.resolve("golden/images"));
        Files.createDirectories(dir.resolve("golden/labels"));
        ImageIO.write(new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("golden/images/a.png").toFile());
        // a product at (20,10)-(60,50) and a tag at (100,60)-(140,80)
        Files.writeString(dir.resolve("golden/labels/a.txt"), "0 0.2 0.3 0.2 0.4\n1 0.6 0.7 0.2 0.2\n");
        return new PackageCard("sku", "1.0.0", "detect", "model.onnx", null, null, minMap50, 100.0);
    }

    @Test
    void aDetectorThatFindsEveryLabelPasses() throws Exception {
        PackageCard card = golden(0.5);
        LoadedModel perfect = detector(f -> List.of(new Detection(0, "product", 0.9f, 20, 10, 60, 50),
                new Detection(1, "tag", 0.8f, 101, 60, 140, 81)));
        GateReport report = new DetectorGate().run(perfect, dir, card);
        assertTrue(report.passed(), report.detail());
        assertEquals("mAP50", report.metric());
        assertEquals(0.995, report.value(), 1e-9); // YOLOv5's ceiling, as models/sku-yolov5n/metrics.py
        assertEquals(2.0, report.latencyMs(), 1e-9);
        assertTrue(report.detail().startsWith("mAP50 0.995 (1 images, 2 labels, 2 boxes"), report.detail());
    }

    @Test
    void aDetectorThatMissesHalfIsRefusedByItsGate() throws Exception {
        PackageCard card = golden(0.9);
        LoadedModel half = detector(f -> List.of(new Detection(0, "product", 0.9f, 20, 10, 60, 50)));
        GateReport report = new DetectorGate().run(half, dir, card);
        assertFalse(report.passed());
        assertEquals(0.4975, report.value(), 1e-9); // metrics.py gives the same
        assertTrue(report.detail().contains("BELOW minimum 0.900"), report.detail());
    }

    @Test
    void aDetectorCardWithoutItsGateIsRefused() throws Exception {
        GateReport report = new GoldenGate().run(detector(f -> List.of()), dir, golden(null));
        assertFalse(report.passed());
        assertTrue(report.detail().contains("no gate.minMap50"), report.detail());
    }
}
