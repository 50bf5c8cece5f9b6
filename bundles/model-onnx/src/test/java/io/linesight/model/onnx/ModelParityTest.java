package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.card.ModelCard;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runner end to end against the training stacks ({@code src/test/python/model_references.py}):
 *
 * <ul>
 *   <li>Classifiers: torchvision's own MobileNetV2 and MobileNetV3-small, exported by torch.onnx, fed by the runner
 *   from the raw image with the card's recipe, must give the probabilities PyTorch computes from torchvision's
 *   transforms of the same image, within 1e-3, with the same top-1, on 42 images of many sizes.</li>
 *   <li>That comparison can fail: the same MobileNetV2 fed with the runner's previous recipe (torch interpolate on
 *   float tensors, no antialias) misses PyTorch's probabilities by far more than 1e-3.</li>
 *   <li>Detector: YOLOv5n (models/sku-yolov5n) with the cv2 recipe on dense shelves (200+ boxes at confidence
 *   0.05) of six sizes gives the boxes the same network gives on YOLOv5's own letterbox of the scene (cv2.resize
 *   and 114 padding, made in Python), one to one at IoU 0.99. Both sides decode with the runner's YOLOv5 decoder
 *   (exact against YOLOv5's, ShippedPackagesParityTest), so only the preprocessing is compared.</li>
 * </ul>
 */
class ModelParityTest {

    static final double PROBABILITY_TOLERANCE = 1e-3;
    static final double MIN_IOU = 0.99;

    static TrainingStackReferences references() throws Exception {
        return TrainingStackReferences.of("model_references.py", "model-references");
    }

    static Stream<String> classifiers() throws Exception {
        List<String> names = new ArrayList<>();
        references().index.getAsJsonArray("classifiers").forEach(e -> names.add(e.getAsString()));
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifiers")
    void classifierGivesPyTorchsProbabilities(String name) throws Exception {
        TrainingStackReferences refs = references();
        Path pkg = refs.dir.resolve("classifiers").resolve(name);
        double worst = worstProbabilityDifference(refs, pkg, true);
        System.out.printf("model parity %-30s %d images, largest |dp| %.2e%n", name, refs.images.size(), worst);
        assertTrue(worst <= PROBABILITY_TOLERANCE, name + ": largest probability difference " + worst);
    }

    @Test
    void theComparisonFailsWithAnotherRecipe(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        TrainingStackReferences refs = references();
        Path original = refs.dir.resolve("classifiers").resolve("mobilenetv2-pil-bilinear");
        Path pkg = temp.resolve("mobilenetv2-old-recipe");
        Files.createDirectories(pkg);
        Files.copy(original.resolve("model.onnx"), pkg.resolve("model.onnx"));
        Files.copy(original.resolve("expected.json"), pkg.resolve("expected.json"));
        JsonObject card = JsonParser.parseString(Files.readString(original.resolve("model.json"))).getAsJsonObject();
        JsonObject pre = card.getAsJsonObject("preprocessing");
        pre.addProperty("recipe", "torch-tensor");
        pre.getAsJsonObject("resize").addProperty("antialias", false);
        pre.getAsJsonObject("resize").addProperty("input", "float32");
        Files.writeString(pkg.resolve("model.json"), card.toString());
        double worst = worstProbabilityDifference(refs, pkg, false);
        System.out.printf("model parity mobilenetv2 fed torch-tensor float32 without antialias instead of pil: largest"
                + " |dp| %.2e%n", worst);
        assertTrue(worst > 10 * PROBABILITY_TOLERANCE, "another recipe should miss PyTorch's probabilities, missed by "
                + worst);
    }

    private static double worstProbabilityDifference(TrainingStackReferences refs, Path pkg, boolean sameTop)
            throws Exception {
        JsonArray expected = JsonParser.parseString(Files.readString(pkg.resolve("expected.json"))).getAsJsonArray();
        assertTrue(expected.size() >= 40, "at least 40 images");
        double worst = 0;
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(pkg)) {
            for (int i = 0; i < expected.size(); i++) {
                JsonObject entry = expected.get(i).getAsJsonObject();
                TrainingStackReferences.Image image = refs.images.get(i);
                assertEquals(image.stem(), entry.get("stem").getAsString());
                Classification c = (Classification) model.infer(refs.decoded(image));
                JsonArray reference = entry.getAsJsonArray("probabilities");
                int referenceTop = 0;
                for (int k = 0; k < reference.size(); k++) {
                    double r = reference.get(k).getAsDouble();
                    worst = Math.max(worst, Math.abs(c.probabilities()[k] - r));
                    referenceTop = r > reference.get(referenceTop).getAsDouble() ? k : referenceTop;
                }
                if (sameTop) {
                    assertEquals(referenceTop, c.best().index(), pkg.getFileName() + " " + image.file() + ": top-1");
                }
            }
        }
        return worst;
    }

    @Test
    void detectorOnDenseShelvesGivesTheBoxesOfYolov5sLetterbox() throws Exception {
        TrainingStackReferences refs = references();
        BoxTally tally = compareOnScenes(refs, refs.dir.resolve("detectors").resolve("sku-yolov5n-cv2"));
        System.out.printf("model parity sku-yolov5n cv2 recipe: %s%n", tally);
        assertEquals(0, tally.countDifferences, tally.toString());
        assertEquals(0, tally.unmatched, tally.toString());
        assertTrue(tally.lowestIou >= MIN_IOU, tally.toString());
    }

    @Test
    void theBoxComparisonFailsWithAnotherRecipe(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        TrainingStackReferences refs = references();
        Path original = refs.dir.resolve("detectors").resolve("sku-yolov5n-cv2");
        Path pkg = temp.resolve("sku-yolov5n-torch");
        Files.createDirectories(pkg);
        Files.copy(original.resolve("model.onnx"), pkg.resolve("model.onnx"));
        JsonObject card = JsonParser.parseString(Files.readString(original.resolve("model.json"))).getAsJsonObject();
        card.getAsJsonObject("preprocessing").addProperty("recipe", "torch-tensor");
        Files.writeString(pkg.resolve("model.json"), card.toString());
        BoxTally tally = compareOnScenes(refs, pkg);
        System.out.printf("model parity sku-yolov5n fed torch-tensor instead of cv2: %s%n", tally);
        assertTrue(tally.unmatched + tally.countDifferences > 0, "another letterbox should move boxes: " + tally);
    }

    /** How the runner's boxes compare with those on YOLOv5's letterbox, over every scene. */
    private static final class BoxTally {
        int scenes;
        int boxes;
        int unmatched;
        int countDifferences;
        double lowestIou = 1;

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d scenes, %d reference boxes, %d without a partner at IoU %.2f,"
                    + " %d scenes with another box count, lowest matched IoU %.6f", scenes, boxes, unmatched, MIN_IOU,
                    countDifferences, lowestIou);
        }
    }

    private static BoxTally compareOnScenes(TrainingStackReferences refs, Path pkg) throws Exception {
        ModelCard card = ModelCards.read(pkg);
        YoloDecoder decoder = new YoloDecoder(card.labels(), card.postprocessing().confidenceThreshold(),
                card.postprocessing().iouThreshold(), card.postprocessing().maxDetections());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        BoxTally tally = new BoxTally();
        try (LoadedModel model = new OnnxModelRuntime(GoldenSetParityTest.defaults()).load(pkg);
             OrtSession session = env.createSession(pkg.resolve("model.onnx").toString(), new OrtSession.SessionOptions())) {
            for (JsonElement e : refs.index.getAsJsonArray("scenes")) {
                JsonObject scene = e.getAsJsonObject();
                String name = scene.get("name").getAsString();
                int w = scene.get("width").getAsInt();
                int h = scene.get("height").getAsInt();
                Frame frame = new Frame("scene", 1, System.nanoTime(), Instant.now(), w, h, PixelFormat.RGB24,
                        Files.readAllBytes(refs.dir.resolve("scenes").resolve(name + ".rgb")), null);
                List<Detection> found = ((Detections) model.infer(frame)).objects();
                List<Detection> reference = referenceBoxes(env, session, decoder, refs.dir, name, w, h);
                assertTrue(reference.size() >= 200, name + ": a dense scene has 200+ boxes, got " + reference.size());
                tally.countDifferences += reference.size() == found.size() ? 0 : 1;
                matchOneToOne(found, reference, tally);
                tally.boxes += reference.size();
                tally.scenes++;
            }
        }
        return tally;
    }

    /** The boxes of the network on YOLOv5's letterbox tensor (made by cv2 in Python), decoded as the runner does. */
    private static List<Detection> referenceBoxes(OrtEnvironment env, OrtSession session, YoloDecoder decoder, Path dir,
                                                  String name, int w, int h) throws Exception {
        float[] input = TrainingStackReferences.floats(dir.resolve("scenes").resolve(name + ".f32"));
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, 320, 320});
             OrtSession.Result result = session.run(Map.of("images", tensor))) {
            float[] output = InputTensor.outputValues(result.get(0));
            return decoder.decode(output, output.length / 6, Letterbox.of(w, h, 320, 320), w, h);
        }
    }

    /** Greedy one-to-one matching by IoU: boxes without a partner at {@link #MIN_IOU} are counted. */
    private static void matchOneToOne(List<Detection> found, List<Detection> reference, BoxTally tally) {
        boolean[] taken = new boolean[found.size()];
        for (Detection r : reference) {
            int best = -1;
            double bestIou = -1;
            for (int i = 0; i < found.size(); i++) {
                double iou = taken[i] ? -1 : iou(found.get(i), r);
                if (iou > bestIou) {
                    bestIou = iou;
                    best = i;
                }
            }
            if (best < 0 || bestIou < MIN_IOU) {
                tally.unmatched++;
                continue;
            }
            taken[best] = true;
            tally.lowestIou = Math.min(tally.lowestIou, bestIou);
        }
    }

    private static double iou(Detection a, Detection b) {
        double ix = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double iy = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = ix * iy;
        double union = (a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
