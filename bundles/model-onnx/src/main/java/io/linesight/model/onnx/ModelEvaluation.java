package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.Task;
import io.linesight.api.model.metrics.DetectionMetrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code model:eval} command's work: runs a package's runner over a labelled dataset exactly as a line
 * runs it (a BGR24 frame per image file through {@link LoadedModel#infer}) and reports the metrics the
 * training pipeline reports -- scikit-learn's classification report for classifiers, YOLOv5's val.py
 * metrics for detectors. Images that cannot be decoded, or whose labels are malformed, are counted and
 * listed, never fatal; a dataset or package that cannot be used at all gives one message naming the path.
 */
final class ModelEvaluation {

    /** At most this many unreadable images are named in the report. */
    static final int MAX_LISTED = 100;

    private final OnnxModelRuntime runtime;
    private final PrintStream progressOut;
    private final LongSupplier clock;

    ModelEvaluation(SessionSettings settings, PrintStream progressOut, LongSupplier clock) {
        this.runtime = new OnnxModelRuntime(settings);
        this.progressOut = progressOut;
        this.clock = clock;
    }

    /** An image left out of the metrics, and why. */
    record Problem(String name, String reason) {
    }

    /** Counts and time of one pass over the dataset; {@code images} is how many were reached. */
    private record Pass(int images, int total, List<Problem> problems, double seconds) {
        int evaluated() {
            return images - problems.size();
        }
    }

    /** What is done with one image; throws to have the image listed instead. */
    private interface ImageStep {
        void run(int index) throws DatasetImage.UnreadableImageException, InferenceException;
    }

    /** The report, or one line saying why the evaluation could not start. */
    String evaluate(Path packageDir, Path dataset) {
        try {
            EvalDatasets.requireFolder(dataset);
            try (LoadedModel model = runtime.load(packageDir)) {
                if (model.info().task() == Task.CLASSIFY) {
                    return classify(model, dataset);
                }
            }
            try (LoadedModel model = ValidationDetector.load(runtime, packageDir)) {
                return detect(model, dataset);
            }
        } catch (ModelLoadException e) {
            return "Cannot evaluate " + packageDir + ": " + e.getMessage();
        } catch (DatasetException e) {
            return "Cannot evaluate: " + e.getMessage();
        }
    }

    private String classify(LoadedModel model, Path dataset) throws DatasetException {
        List<String> labels = model.info().labels();
        List<EvalDatasets.LabelledImage> images = EvalDatasets.imageFolder(dataset, labels);
        int[] yTrue = new int[images.size()];
        int[] yPred = new int[images.size()];
        int[] n = {0};
        Pass pass = pass(images.stream().map(EvalDatasets.LabelledImage::name).toList(), i -> {
            EvalDatasets.LabelledImage image = images.get(i);
            Frame frame = DatasetImage.read(image.file(), i + 1, labels.get(image.label()));
            Classification result = (Classification) model.infer(frame);
            yTrue[n[0]] = image.label();
            yPred[n[0]++] = result.best().index();
        });
        StringBuilder out = header(model, dataset, pass);
        if (n[0] > 0) {
            long[][] matrix = ClassificationReport.confusionMatrix(Arrays.copyOf(yTrue, n[0]),
                    Arrays.copyOf(yPred, n[0]), labels.size());
            out.append('\n').append(ClassificationReport.matrixText(matrix, labels));
            out.append('\n').append(ClassificationReport.sklearnText(matrix, labels));
        }
        return problems(out, pass).toString();
    }

    private String detect(LoadedModel model, Path dataset) throws DatasetException {
        List<String> labels = model.info().labels();
        List<EvalDatasets.YoloImage> images = EvalDatasets.yolo(dataset);
        DetectionMetrics metrics = new DetectionMetrics();
        Pass pass = pass(images.stream().map(EvalDatasets.YoloImage::name).toList(), i -> {
            EvalDatasets.YoloImage image = images.get(i);
            Frame frame = DatasetImage.read(image.file(), i + 1, null);
            List<DetectionMetrics.Box> truth = EvalDatasets.yoloLabels(image, labels.size(), frame.width(), frame.height());
            Detections result = (Detections) model.infer(frame);
            metrics.add(boxes(result.objects()), truth);
        });
        StringBuilder out = header(model, dataset, pass);
        out.append(String.format(Locale.ROOT, "val settings: confidence %s, NMS IoU %s, at most %d detections per image"
                        + " (not the card's deploy thresholds)%n", ValidationDetector.VAL_CONFIDENCE, ValidationDetector.VAL_IOU,
                ValidationDetector.VAL_MAX_DETECTIONS));
        if (metrics.images() > 0) {
            out.append('\n').append(detectionTable(metrics.summarise(), labels));
        }
        return problems(out, pass).toString();
    }

    /**
     * Runs {@code step} on every image with progress lines, listing the images it throws for. Stops early
     * when the thread is interrupted (Ctrl-C in the console), keeping the flag set for the caller.
     */
    private Pass pass(List<String> names, ImageStep step) {
        List<Problem> problems = new ArrayList<>();
        EvalProgress progress = new EvalProgress(progressOut, clock, names.size());
        int i = 0;
        for (; i < names.size() && !Thread.currentThread().isInterrupted(); i++) {
            try {
                step.run(i);
            } catch (DatasetImage.UnreadableImageException e) {
                problems.add(new Problem(names.get(i), e.getMessage()));
            } catch (InferenceException | RuntimeException e) {
                problems.add(new Problem(names.get(i), "the runner failed on it: " + e.getMessage()));
            }
            progress.update(i + 1, problems.size());
        }
        return new Pass(i, names.size(), problems, progress.elapsedSeconds());
    }

    private static List<DetectionMetrics.Box> boxes(List<Detection> objects) {
        List<DetectionMetrics.Box> boxes = new ArrayList<>(objects.size());
        for (Detection d : objects) {
            boxes.add(new DetectionMetrics.Box(d.classIndex(), d.confidence(), d.x1(), d.y1(), d.x2(), d.y2()));
        }
        return boxes;
    }

    /** YOLOv5's val table (P, R, mAP50, mAP50-95 per class and for all) with F1 added. */
    static String detectionTable(DetectionMetrics.Summary s, List<String> labels) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%22s%11s%11s%11s%11s%11s%11s%11s%n",
                "Class", "Images", "Instances", "P", "R", "F1", "mAP50", "mAP50-95"));
        detectionRow(out, "all", s.all());
        if (labels.size() > 1) {
            for (DetectionMetrics.ClassResult row : s.perClass()) {
                detectionRow(out, labels.get(row.cls()), row);
            }
        }
        out.append(String.format(Locale.ROOT, "%d predictions; P, R and F1 at confidence %.3f, where the smoothed"
                + " mean F1 peaks%n", s.predictions(), s.f1Confidence()));
        return out.toString();
    }

    private static void detectionRow(StringBuilder out, String name, DetectionMetrics.ClassResult r) {
        out.append(String.format(Locale.ROOT, "%22s%11d%11d%11.3f%11.3f%11.3f%11.3f%11.3f%n", name, r.images(),
                r.instances(), r.precision(), r.recall(), r.f1(), r.map50(), r.map5095()));
    }

    private static StringBuilder header(LoadedModel model, Path dataset, Pass pass) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "model:eval %s (%s) on %s%n", model.info().displayName(),
                model.info().task().name().toLowerCase(Locale.ROOT), dataset));
        out.append(String.format(Locale.ROOT, "%d %s: %d evaluated, %d unreadable; %.1f s, %.1f images/s"
                        + " (decode + runner)%n", pass.images(), pass.images() == 1 ? "image" : "images", pass.evaluated(), pass.problems().size(), pass.seconds(),
                pass.images() / Math.max(pass.seconds(), 1e-9)));
        if (pass.images() < pass.total()) {
            out.append(String.format(Locale.ROOT, "interrupted: the metrics cover the first %d of %d images%n",
                    pass.images(), pass.total()));
        }
        if (pass.evaluated() == 0) {
            out.append("no image could be used: nothing to evaluate\n");
        }
        return out;
    }

    private static StringBuilder problems(StringBuilder out, Pass pass) {
        List<Problem> problems = pass.problems();
        if (problems.isEmpty()) {
            return out;
        }
        out.append(String.format(Locale.ROOT, "%nunreadable images (%d, left out of the metrics):%n", problems.size()));
        for (Problem p : problems.subList(0, Math.min(MAX_LISTED, problems.size()))) {
            out.append("  ").append(p.name()).append(": ").append(p.reason()).append('\n');
        }
        if (problems.size() > MAX_LISTED) {
            out.append(String.format(Locale.ROOT, "  ... and %d more%n", problems.size() - MAX_LISTED));
        }
        return out;
    }
}
