package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.frame.Frame;
import io.linesight.api.model.card.ModelCard;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Cost of turning a 1280x720 BGR frame into a model input, per recipe (a harness, not a timed test:
 * surefire skips *Benchmark classes). Run:
 * {@code mvn -B -q test -pl bundles/model-onnx -Dtest=PreprocessBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class PreprocessBenchmark {

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    @Test
    void printCosts() {
        Frame frame = ModelCommands.testFrame(1280, 720);
        var fixed160 = new ModelCard.Preprocessing("torch-tensor", new ModelCard.Resize("fixed", 120, 160, 0, "bilinear", false, "float32"),
                null, null, 1 / 255.0, IMAGENET_MEAN, IMAGENET_STD, "RGB");
        var resizeCrop224 = new ModelCard.Preprocessing("torch-tensor", new ModelCard.Resize("shorter", 0, 0, 256, "bilinear", false, "float32"),
                new ModelCard.Size(224, 224), null, 1 / 255.0, IMAGENET_MEAN, IMAGENET_STD, "RGB");
        ClassifierPreprocessor small = new ClassifierPreprocessor(fixed160, 120, 160);
        ClassifierPreprocessor imagenet = new ClassifierPreprocessor(resizeCrop224, 224, 224);
        LetterboxPreprocessor yolo320 = new LetterboxPreprocessor(new ModelCard.LetterboxSpec(320, 320, 114));
        LetterboxPreprocessor yolo640 = new LetterboxPreprocessor(new ModelCard.LetterboxSpec(640, 640, 114));
        System.out.printf(Locale.ROOT, "preprocessing a 1280x720 BGR frame (%d cores, %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        report("fixed resize to 160x120", 3 * 120 * 160, () -> small.apply(frame));
        report("resize 256 + centre crop 224", 3 * 224 * 224, () -> imagenet.apply(frame));
        report("letterbox 320", 3 * 320 * 320, () -> yolo320.apply(frame));
        report("letterbox 640", 3 * 640 * 640, () -> yolo640.apply(frame));
    }

    private static void report(String name, int expectedLength, Supplier<float[]> step) {
        for (int i = 0; i < 1000; i++) {
            assertEquals(expectedLength, step.get().length, name + ": one full CHW input per frame");
        }
        long[] nanos = new long[500];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            step.get();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "  %-30s median %.3f ms, p95 %.3f ms%n", name, nanos[250] / 1e6, nanos[475] / 1e6);
    }
}
