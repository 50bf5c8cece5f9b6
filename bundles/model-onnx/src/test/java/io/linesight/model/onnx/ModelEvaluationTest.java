package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.linesight.api.model.metrics.DetectionMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model:eval end to end with real ONNX models: the shipped defect classifier on an ImageFolder built from
 * its golden set, and the tiny detector on a YOLO dataset whose boxes are known exactly.
 */
class ModelEvaluationTest {

    static final Path CLASSIFIER = GoldenSetParityTest.PACKAGE;
    static final Path DETECTOR = Path.of("src/test/resources/tiny-detector").toAbsolutePath();
    static final List<String> LABELS = List.of("ok", "defect");

    @TempDir
    static Path shared;
    static Path goldenFolder;
    static List<GoldenSetParityTest.Expected> expected;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ModelEvaluation evaluation = new ModelEvaluation(GoldenSetParityTest.defaults(),
            new PrintStream(console, true, StandardCharsets.UTF_8), System::nanoTime);

    /** The golden images sorted into ok/ and defect/ by the label expected.json gives them. */
    @BeforeAll
    static void buildImageFolder() throws Exception {
        try (Reader reader = Files.newBufferedReader(CLASSIFIER.resolve("golden/expected.json"))) {
            expected = new Gson().fromJson(reader, new TypeToken<List<GoldenSetParityTest.Expected>>() { }.getType());
        }
        goldenFolder = shared.resolve("golden");
        for (GoldenSetParityTest.Expected e : expected) {
            Path target = goldenFolder.resolve(e.label()).resolve(e.file());
            Files.createDirectories(target.getParent());
            Files.copy(CLASSIFIER.resolve("golden").resolve(e.file()), target);
        }
    }

    /** The matrix the PyTorch reference implies: true label from the folder, prediction = its argmax. */
    private static long[][] referenceMatrix() {
        int[] yTrue = new int[expected.size()];
        int[] yPred = new int[expected.size()];
        for (int i = 0; i < yTrue.length; i++) {
            float[] p = expected.get(i).probabilities();
            yTrue[i] = LABELS.indexOf(expected.get(i).label());
            yPred[i] = p[1] > p[0] ? 1 : 0;
        }
        return ClassificationReport.confusionMatrix(yTrue, yPred, 2);
    }

    /**
     * The garbage package ships an ImageFolder sample and the report scikit-learn printed for it in the
     * training pipeline (eval/report.txt): model:eval on the same images must print the same report.
     */
    @Test
    void sixClassReportEqualsTheOneScikitLearnPrintedInThePipeline() throws Exception {
        Path garbage = Path.of("../../models/garbage-mobilenet").toAbsolutePath().normalize();
        String sklearn = Files.readString(garbage.resolve("eval/report.txt"));
        String classificationReport = sklearn.substring(0, sklearn.indexOf("confusion matrix")).strip();
        String report = evaluation.evaluate(garbage, garbage.resolve("eval"));
        System.out.println(report);
        for (String line : classificationReport.split("\n")) {
            assertTrue(report.contains(line), "scikit-learn's line '" + line + "' is not in\n" + report);
        }
        assertTrue(report.contains("90 images: 90 evaluated, 0 unreadable"), report);
    }

    @Test
    void classifierReportOnTheGoldenSetIsWhatThePyTorchReferenceImplies() {
        String report = evaluation.evaluate(CLASSIFIER, goldenFolder);
        System.out.println(report);
        long[][] matrix = referenceMatrix();
        double accuracy = (double) (matrix[0][0] + matrix[1][1]) / expected.size();
        assertTrue(report.startsWith("model:eval defect-mobilenetv2:0.2.0 (classify) on " + goldenFolder), report);
        assertTrue(report.contains(expected.size() + " images: " + expected.size() + " evaluated, 0 unreadable"), report);
        assertTrue(report.contains(ClassificationReport.matrixText(matrix, LABELS)), report);
        assertTrue(report.contains(ClassificationReport.sklearnText(matrix, LABELS)), report);
        assertTrue(report.contains("    accuracy                           " + ClassificationReport.fixed(accuracy, 2)
                + "       " + expected.size() + "\n"), report);
        assertTrue(report.matches("(?s).*\\d+\\.\\d images/s.*"), report);
    }

    @Test
    void anInterruptedRunStopsAndSaysHowFarItGot() {
        int[] calls = {0};
        ModelEvaluation interrupted = new ModelEvaluation(GoldenSetParityTest.defaults(),
                new PrintStream(console, true, StandardCharsets.UTF_8), () -> {
                    if (++calls[0] == 4) { // the clock is read at the start and after each image
                        Thread.currentThread().interrupt();
                    }
                    return System.nanoTime();
                });
        String report = interrupted.evaluate(CLASSIFIER, goldenFolder);
        assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
        assertTrue(report.contains("interrupted: the metrics cover the first 3 of " + expected.size() + " images"), report);
        assertTrue(report.contains("3 images: 3 evaluated, 0 unreadable"), report);
    }

    @Test
    void badImagesAreListedWithTheReasonAndTheRestIsEvaluated(@TempDir Path dataset) throws Exception {
        GoldenSetParityTest.Expected ok = expected.stream().filter(e -> e.label().equals("ok")).findFirst().orElseThrow();
        BufferedImage image = ImageIO.read(CLASSIFIER.resolve("golden").resolve(ok.file()).toFile());
        Files.createDirectories(dataset.resolve("ok"));
        Files.createDirectories(dataset.resolve("defect"));
        ImageIO.write(image, "png", dataset.resolve("ok/original.png").toFile());
        ImageIO.write(gray(image), "png", dataset.resolve("ok/gray.png").toFile());
        ImageIO.write(scaled(image, 37, 23), "bmp", dataset.resolve("ok/tiny.bmp").toFile());
        ImageIO.write(scaled(image, 1280, 960), "jpg", dataset.resolve("ok/large.jpg").toFile());
        byte[] png = Files.readAllBytes(dataset.resolve("ok/original.png"));
        Files.write(dataset.resolve("defect/truncated.png"), Arrays.copyOf(png, png.length / 3));
        Files.writeString(dataset.resolve("defect/readme.txt"), "these are the defects");
        Files.writeString(dataset.resolve(".DS_Store"), "hidden files are skipped");

        String report = evaluation.evaluate(CLASSIFIER, dataset);
        System.out.println(report);
        assertTrue(report.contains("6 images: 4 evaluated, 2 unreadable"), report);
        assertTrue(report.contains("unreadable images (2, left out of the metrics):\n"
                + "  defect/readme.txt: not an image"), report);
        assertTrue(report.contains("  defect/truncated.png: corrupt image"), report);
        assertTrue(report.contains("          ok       1.00"), report);
    }

    @Test
    void detectorReportHasYoloV5sNumbersForKnownBoxes(@TempDir Path dataset) throws Exception {
        // tiny-detector (src/test/python/make_tiny_detector.py) on a 64x64 frame, letterbox 1:1: on black it
        // finds product (25,28)-(41,36) at 0.6 and gap (8,18)-(12,22) at 0.81; on white, product
        // (24,28)-(40,36) at 1.0 (row 0 wins NMS) and the same gap.
        yoloImage(dataset, "black", 0, "0 0.515625 0.5 0.25 0.125\n1 0.15625 0.3125 0.0625 0.0625\n");
        yoloImage(dataset, "white", 255, "0 0.5 0.5 0.25 0.125\n1 0.15625 0.3125 0.0625 0.0625\n"
                + "1 0.15625 0.3125 0.0625 0.0625\n"); // a duplicate line counts once, as in YOLOv5
        String report = evaluation.evaluate(DETECTOR, dataset);
        System.out.println(report);
        assertTrue(report.startsWith("model:eval tiny-detector:0.0.1 (detect) on " + dataset), report);
        assertTrue(report.contains("val settings: confidence 0.001, NMS IoU 0.6, at most 300 detections"), report);
        assertTrue(report.contains("2 images: 2 evaluated, 0 unreadable"), report);
        assertTrue(report.contains("                 Class     Images  Instances          P          R         F1"
                + "      mAP50   mAP50-95\n"
                + "                   all          2          4      1.000      1.000      1.000      0.995      0.995\n"
                + "               product          2          2      1.000      1.000      1.000      0.995      0.995\n"
                + "                   gap          2          2      1.000      1.000      1.000      0.995      0.995\n"
                + "4 predictions"), report);
    }

    @Test
    void detectorCountsAMissAndListsBadLabelFiles(@TempDir Path dataset) throws Exception {
        // The white image's product box (24,28)-(40,36) is labelled at the black image's position
        // (25,28)-(41,36): IoU 120/136 = 0.88, a hit at 0.50..0.85 only.
        yoloImage(dataset, "white", 255, "0 0.515625 0.5 0.25 0.125\n1 0.15625 0.3125 0.0625 0.0625\n");
        yoloImage(dataset, "bad-class", 0, "7 0.5 0.5 0.1 0.1\n");
        yoloImage(dataset, "bad-coords", 0, "0 1.5 0.5 0.1 0.1\n");
        yoloImage(dataset, "no-label-file", 0, null); // no objects: both detections are false positives
        String report = evaluation.evaluate(DETECTOR, dataset);
        System.out.println(report);
        assertTrue(report.contains("4 images: 2 evaluated, 2 unreadable"), report);
        assertTrue(report.contains("images/bad-class.png: labels/bad-class.txt line 1: class 7 is not one of the"
                + " model's 2 classes (0..1)"), report);
        assertTrue(report.contains("images/bad-coords.png: labels/bad-coords.txt line 1: coordinates must be"
                + " normalised to 0..1"), report);
        // The same boxes and the runner's float confidences, straight into the metrics, in file order: the
        // two gap boxes tie at 0.81, so the false one (no-label-file.png) ranks first and gap's AP is 0.4975.
        DetectionMetrics reference = new DetectionMetrics();
        double gap = 0.9f * 0.9f;
        reference.add(List.of(box(0, 0.6f, 25, 28, 41, 36), box(1, gap, 8, 18, 12, 22)), List.of());
        reference.add(List.of(box(0, 1.0, 24, 28, 40, 36), box(1, gap, 8, 18, 12, 22)),
                List.of(box(0, 1, 25, 28, 41, 36), box(1, 1, 8, 18, 12, 22)));
        DetectionMetrics.Summary summary = reference.summarise();
        String table = ModelEvaluation.detectionTable(summary, List.of("product", "gap"));
        assertTrue(report.contains(table), table + "\nis not in\n" + report);
        assertEquals(0.995 * 8 / 10, summary.perClass().get(0).map5095(), 1e-12);
        assertEquals(0.4975, summary.perClass().get(1).map50(), 1e-12);
    }

    private static DetectionMetrics.Box box(int cls, double conf, double x1, double y1, double x2, double y2) {
        return new DetectionMetrics.Box(cls, conf, x1, y1, x2, y2);
    }

    private static void yoloImage(Path dataset, String name, int value, String labels) throws Exception {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Arrays.fill(pixels, (byte) value);
        Files.createDirectories(dataset.resolve("images"));
        Files.createDirectories(dataset.resolve("labels"));
        ImageIO.write(image, "png", dataset.resolve("images/" + name + ".png").toFile());
        if (labels != null) {
            Files.writeString(dataset.resolve("labels/" + name + ".txt"), labels);
        }
    }

    private static BufferedImage gray(BufferedImage rgb) {
        BufferedImage gray = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(rgb, 0, 0, null);
        return gray;
    }

    private static BufferedImage scaled(BufferedImage rgb, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        out.getGraphics().drawImage(rgb, 0, 0, w, h, null);
        return out;
    }
}
