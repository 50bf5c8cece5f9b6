package io.linesight.model.deploy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The golden-set gate of a classifier: every image of {@code golden/expected.json} is judged by the loaded
 * model (on the caller's thread, never a line's); the share of right top-1 labels must reach the card's
 * {@code gate.minAccuracy} and the median of the engine's own inference time must stay within
 * {@code gate.latencyBudgetMs}. Detector packages are handed to {@link DetectorGate}.
 *
 * <p>Latency is the median of {@link InferenceResult#inferenceNanos()} over the golden run: the first,
 * cold inferences do not move a median, and pre/post-processing are the runner's cost, not the model's.
 */
final class GoldenGate {

    static final String GOLDEN = "golden";
    static final String EXPECTED = "expected.json";
    static final String ACCURACY = "accuracy";

    /**
     * Runs the gate. Never throws for a bad package: every problem becomes a failed report whose detail
     * names it.
     *
     * @throws InterruptedException when the runtime stops during the run
     */
    GateReport run(LoadedModel model, Path dir, PackageCard card) throws InterruptedException {
        return run(model, dir, card, new GoldenRecorder());
    }

    /** As {@link #run(LoadedModel, Path, PackageCard)}, keeping the model's answers in {@code recorder}. */
    GateReport run(LoadedModel model, Path dir, PackageCard card, GoldenRecorder recorder) throws InterruptedException {
        if (card.detector()) {
            return new DetectorGate().run(model, dir, card, recorder);
        }
        double min = orNaN(card.minAccuracy());
        double budget = orNaN(card.latencyBudgetMs());
        if (card.minAccuracy() == null || card.latencyBudgetMs() == null) {
            return failed(min, budget, "the card has no gate.minAccuracy or gate.latencyBudgetMs: add both to model.json");
        }
        JsonArray expected;
        try {
            expected = JsonParser.parseString(Files.readString(dir.resolve(GOLDEN).resolve(EXPECTED))).getAsJsonArray();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            return failed(min, budget, "golden/expected.json is missing or malformed (" + e.getMessage()
                    + "): a package needs its golden set");
        }
        if (expected.isEmpty()) {
            return failed(min, budget, "golden/expected.json lists no image");
        }
        return judge(model, dir.resolve(GOLDEN), expected, min, budget, recorder);
    }

    private GateReport judge(LoadedModel model, Path golden, JsonArray expected, double min, double budget,
            GoldenRecorder recorder) throws InterruptedException {
        long[] nanos = new long[expected.size()];
        int right = 0;
        for (int i = 0; i < expected.size(); i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("gate interrupted");
            }
            JsonObject entry = expected.get(i).getAsJsonObject();
            String file = text(entry, "file");
            String label = text(entry, "label");
            Path image = golden.resolve(file == null ? "" : file).normalize();
            if (file == null || label == null || !image.startsWith(golden)) {
                return failed(min, budget, "golden/expected.json entry " + (i + 1) + " needs 'file' (inside golden/) and 'label'");
            }
            Classification c;
            try {
                InferenceResult result = model.infer(GoldenImages.bgrFrame(image, i + 1L));
                if (!(result instanceof Classification classification)) {
                    return failed(min, budget, "the model does not classify although the card says task 'classify'");
                }
                c = classification;
            } catch (IOException e) {
                return failed(min, budget, "golden image " + file + " cannot be decoded: " + e.getMessage());
            } catch (InferenceException | RuntimeException e) {
                return failed(min, budget, "the model failed on golden image " + file + ": " + e.getMessage());
            }
            if (hasNaN(c.probabilities())) {
                return failed(min, budget, "the model outputs NaN on golden image " + file + ": it is broken; re-export it");
            }
            nanos[i] = c.inferenceNanos();
            recorder.record(c);
            right += c.best().label().equals(label) ? 1 : 0;
        }
        return verdict(right, expected.size(), median(nanos) / 1e6, min, budget);
    }

    static GateReport verdict(int right, int images, double latencyMs, double min, double budget) {
        double accuracy = (double) right / images;
        boolean accurate = accuracy >= min;
        boolean fast = latencyMs <= budget;
        String detail = String.format(Locale.ROOT, "accuracy %.1f %% (%d/%d) %s minimum %.1f %%; median inference"
                        + " %.2f ms %s budget %s ms", 100 * accuracy, right, images, accurate ? ">=" : "BELOW",
                100 * min, latencyMs, fast ? "within" : "OVER", trim(budget));
        return new GateReport(accurate && fast, ACCURACY, accuracy, min, images, latencyMs, budget, detail);
    }

    static GateReport failed(double min, double budget, String detail) {
        return new GateReport(false, ACCURACY, 0, min, 0, Double.NaN, budget, detail);
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static boolean hasNaN(float[] values) {
        for (float v : values) {
            if (Float.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }
}
