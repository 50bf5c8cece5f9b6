package io.linesight.model.deploy;

import io.linesight.api.deploy.GateReport;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.metrics.DetectionMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The golden-set gate of a detector ({@code task: "detect"}): every image of {@code golden/images/} is
 * judged by the loaded model, its boxes are compared with the YOLO labels of {@code golden/labels/<image
 * stem>.txt} ({@code class cx cy w h}, normalised to the image), and the mAP at IoU 0.5 must reach the
 * card's {@code gate.minMap50}; latency as for classifiers. The mAP is the API's {@link DetectionMetrics},
 * the figure {@code model:eval} prints as mAP50.
 *
 * <p>The boxes are those the line would act on: the runner's card thresholds (confidence, NMS IoU, at
 * most maxDetections), not the training pipeline's evaluation settings (confidence 0.001, IoU 0.6). Fewer
 * low-confidence boxes can only lower AP, so this gate is at least as strict as the pipeline's golden
 * mAP50 ({@code golden/metrics.json}).
 */
final class DetectorGate {

    static final String MAP50 = "mAP50";
    private static final String IMAGES = "images";
    private static final String LABELS = "labels";

    GateReport run(LoadedModel model, Path dir, PackageCard card) throws InterruptedException {
        return run(model, dir, card, new GoldenRecorder());
    }

    /** As {@link #run(LoadedModel, Path, PackageCard)}, keeping the model's answers in {@code recorder}. */
    GateReport run(LoadedModel model, Path dir, PackageCard card, GoldenRecorder recorder) throws InterruptedException {
        double min = GoldenGate.orNaN(card.minMap50());
        double budget = GoldenGate.orNaN(card.latencyBudgetMs());
        if (card.minMap50() == null || card.latencyBudgetMs() == null) {
            return failed(min, budget, "the card has no gate.minMap50 or gate.latencyBudgetMs: add both to model.json");
        }
        Path golden = dir.resolve(GoldenGate.GOLDEN);
        List<Path> images;
        try (Stream<Path> files = Files.list(golden.resolve(IMAGES))) {
            images = files.filter(DetectorGate::isImage).sorted().toList();
        } catch (IOException e) {
            return failed(min, budget, "golden/images/ is missing (" + e.getMessage() + "): a detector package needs"
                    + " its golden set in YOLO format (golden/images, golden/labels)");
        }
        if (images.isEmpty()) {
            return failed(min, budget, "golden/images/ holds no image");
        }
        return judge(model, golden, images, min, budget, recorder);
    }

    private GateReport judge(LoadedModel model, Path golden, List<Path> images, double min, double budget,
            GoldenRecorder recorder) throws InterruptedException {
        DetectionMetrics metrics = new DetectionMetrics();
        long[] nanos = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("gate interrupted");
            }
            Path image = images.get(i);
            String name = GoldenGate.GOLDEN + "/" + IMAGES + "/" + image.getFileName();
            try {
                Frame frame = GoldenImages.bgrFrame(image, i + 1L);
                InferenceResult result = model.infer(frame);
                if (!(result instanceof Detections detections)) {
                    return failed(min, budget, "the model does not detect although the card says task 'detect'");
                }
                metrics.add(predictions(detections), labels(golden, image, frame));
                nanos[i] = detections.inferenceNanos();
                recorder.record(detections);
            } catch (IOException | IllegalArgumentException e) {
                return failed(min, budget, name + " or its label file is unreadable: " + e.getMessage());
            } catch (InferenceException | RuntimeException e) {
                return failed(min, budget, "the model failed on golden image " + name + ": " + e.getMessage());
            }
        }
        return verdict(metrics.summarise(), images.size(), GoldenGate.median(nanos) / 1e6, min, budget);
    }

    static GateReport verdict(DetectionMetrics.Summary metrics, int images, double latencyMs, double min, double budget) {
        double value = metrics.all().map50();
        boolean accurate = value >= min;
        boolean fast = latencyMs <= budget;
        String detail = String.format(Locale.ROOT, "mAP50 %.3f (%d images, %d labels, %d boxes at the card's"
                        + " thresholds) %s minimum %.3f; median inference %.2f ms %s budget %s ms", value, images,
                metrics.instances(), metrics.predictions(), accurate ? ">=" : "BELOW", min, latencyMs, fast ? "within" : "OVER",
                GoldenGate.trim(budget));
        return new GateReport(accurate && fast, MAP50, value, min, images, latencyMs, budget, detail);
    }

    private static List<DetectionMetrics.Box> predictions(Detections detections) {
        List<DetectionMetrics.Box> predictions = new ArrayList<>();
        for (Detection d : detections.objects()) {
            predictions.add(new DetectionMetrics.Box(d.classIndex(), d.confidence(), d.x1(), d.y1(), d.x2(), d.y2()));
        }
        return predictions;
    }

    /** YOLO labels of {@code image}, in its pixels; an image without a label file shows nothing. */
    static List<DetectionMetrics.Box> labels(Path golden, Path image, Frame frame) throws IOException {
        String file = image.getFileName().toString();
        Path labels = golden.resolve(LABELS).resolve(file.substring(0, file.lastIndexOf('.')) + ".txt");
        List<DetectionMetrics.Box> boxes = new ArrayList<>();
        if (!Files.isRegularFile(labels)) {
            return boxes;
        }
        for (String line : Files.readAllLines(labels)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length != 5) {
                throw new IllegalArgumentException(labels.getFileName() + ": '" + line + "' is not 'class cx cy w h'");
            }
            double cx = Double.parseDouble(f[1]) * frame.width();
            double cy = Double.parseDouble(f[2]) * frame.height();
            double w = Double.parseDouble(f[3]) * frame.width();
            double h = Double.parseDouble(f[4]) * frame.height();
            boxes.add(new DetectionMetrics.Box(Integer.parseInt(f[0]), 1, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
        }
        return boxes;
    }

    static GateReport failed(double min, double budget, String detail) {
        return new GateReport(false, MAP50, 0, min, 0, Double.NaN, budget, detail);
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".bmp");
    }
}
