package io.linesight.model.onnx;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelLoadException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a detector package with YOLOv5's validation settings (confidence 0.001, NMS IoU 0.6, at most 300
 * detections) in place of the card's deploy thresholds, through the same {@link OnnxModelRuntime#load}
 * the line uses, so letterbox, session, decoding and NMS are the line's own. The runtime reads only
 * {@code model.json}, so a copy of the card with the three values changed and the model file named by its
 * absolute path is written to a temporary folder, loaded, and deleted again (ONNX Runtime has read the
 * model by then). Everything else in the card is kept as it is.
 */
final class ValidationDetector {

    /** YOLOv5's val settings: the decoder keeps nearly everything so the whole PR curve is seen. */
    static final float VAL_CONFIDENCE = 0.001f;
    static final float VAL_IOU = 0.6f;
    static final int VAL_MAX_DETECTIONS = 300;

    private ValidationDetector() {
    }

    /** The package at {@code packageDir}, whose card the caller has already loaded once unchanged. */
    static LoadedModel load(OnnxModelRuntime runtime, Path packageDir) throws ModelLoadException {
        Path original = packageDir.resolve(ModelCards.CARD_FILE);
        JsonObject card;
        try (Reader reader = Files.newBufferedReader(original)) {
            card = JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new ModelLoadException("Model card " + original + " cannot be read again: " + e.getMessage(), e);
        }
        JsonObject validation = validationCard(card, packageDir);
        Path folder = null;
        try {
            folder = Files.createTempDirectory("linesight-eval-");
            Files.writeString(folder.resolve(ModelCards.CARD_FILE), new Gson().toJson(validation));
            return runtime.load(folder);
        } catch (ModelLoadException e) {
            // Name the package, not the temporary copy (the unchanged card has loaded, so this is rare).
            throw new ModelLoadException(e.getMessage().replace(folder.toString(), packageDir.toString()), e);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot write the validation copy of " + original + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(folder);
        }
    }

    /** The card with the validation settings and the model file's absolute path; the argument is changed too. */
    static JsonObject validationCard(JsonObject card, Path packageDir) {
        JsonElement file = card.get("file");
        if (file != null && file.isJsonPrimitive()) {
            card.addProperty("file", packageDir.resolve(file.getAsString()).toAbsolutePath().toString());
        }
        JsonElement post = card.get("postprocessing");
        JsonObject settings = post != null && post.isJsonObject() ? post.getAsJsonObject() : new JsonObject();
        settings.addProperty("confidenceThreshold", VAL_CONFIDENCE);
        settings.addProperty("iouThreshold", VAL_IOU);
        settings.addProperty("maxDetections", VAL_MAX_DETECTIONS);
        card.add("postprocessing", settings);
        return card;
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try {
            Files.deleteIfExists(folder.resolve(ModelCards.CARD_FILE));
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            folder.toFile().deleteOnExit(); // a temp file is all that is left behind
        }
    }
}
