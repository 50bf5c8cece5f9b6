package io.linesight.model.onnx;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.linesight.api.model.ModelLoadException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates model cards; every problem is reported at once, naming the file and the field. */
final class ModelCards {

    static final String CARD_FILE = "model.json";
    private static final Gson GSON = new Gson();
    /**
     * The fields of the preprocessing part of a card: it decides the pixels the model sees, so a field the runner
     * does not know (a typo such as {@code interpolaton}) refuses the card instead of being ignored.
     */
    private static final Map<String, Set<String>> PREPROCESSING_FIELDS = Map.of(
            "preprocessing", Set.of("recipe", "resize", "centerCrop", "letterbox", "scale", "mean", "std", "channelOrder"),
            "preprocessing.resize", Set.of("mode", "height", "width", "size", "interpolation", "antialias", "input"),
            "preprocessing.centerCrop", Set.of("height", "width"),
            "preprocessing.letterbox", Set.of("height", "width", "padValue", "interpolation"));

    private ModelCards() {
    }

    /** Parses the card of a package, gives it its task's recipe if it names none (logged), and validates it. */
    static ModelCard read(Path packageDir) throws ModelLoadException {
        ModelCard card = CardCompletion.completeRecipe(parse(packageDir));
        validate(card, packageDir);
        return card;
    }

    /** Refuses a card with missing or out-of-range fields, listing every problem at once. */
    static void validate(ModelCard card, Path packageDir) throws ModelLoadException {
        List<String> problems = problems(card);
        if (!problems.isEmpty()) {
            throw new ModelLoadException("Model card " + packageDir.resolve(CARD_FILE) + " is incomplete: "
                    + String.join("; ", problems));
        }
    }

    /** Parses the card's JSON without checking its fields (the runner may complete them from the ONNX file). */
    static ModelCard parse(Path packageDir) throws ModelLoadException {
        Path cardFile = packageDir.resolve(CARD_FILE);
        ModelCard card;
        try (Reader reader = Files.newBufferedReader(cardFile)) {
            JsonElement tree = JsonParser.parseReader(reader);
            List<String> unknown = unknownPreprocessingFields(tree);
            if (!unknown.isEmpty()) {
                throw new ModelLoadException("Model card " + cardFile + " has preprocessing fields the runner does not"
                        + " know: " + String.join(", ", unknown) + " (known: see models/README.md); fix the card so"
                        + " the model gets the pixels it was trained on");
            }
            card = GSON.fromJson(tree, ModelCard.class);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("Model package " + packageDir + " has no " + CARD_FILE
                    + ": check the line's model.package setting or redeploy the package");
        } catch (IOException | JsonParseException e) {
            throw new ModelLoadException("Model card " + cardFile + " is not valid JSON (" + e.getMessage()
                    + "): fix or redeploy the package");
        }
        if (card == null) {
            throw new ModelLoadException("Model card " + cardFile + " is empty: redeploy the package");
        }
        return card;
    }

    private static List<String> unknownPreprocessingFields(JsonElement tree) {
        List<String> unknown = new ArrayList<>();
        if (tree == null || !tree.isJsonObject()) {
            return unknown;
        }
        JsonElement pre = tree.getAsJsonObject().get("preprocessing");
        collectUnknown("preprocessing", pre, unknown);
        if (pre != null && pre.isJsonObject()) {
            for (String part : List.of("resize", "centerCrop", "letterbox")) {
                collectUnknown("preprocessing." + part, pre.getAsJsonObject().get(part), unknown);
            }
        }
        return unknown;
    }

    private static void collectUnknown(String path, JsonElement element, List<String> unknown) {
        if (element == null || !element.isJsonObject()) {
            return;
        }
        JsonObject object = element.getAsJsonObject();
        for (String key : object.keySet()) {
            if (!PREPROCESSING_FIELDS.get(path).contains(key)) {
                unknown.add(path + "." + key);
            }
        }
    }

    static List<String> problems(ModelCard card) {
        List<String> problems = new ArrayList<>();
        requireText(problems, card.name(), "name");
        requireText(problems, card.version(), "version");
        requireText(problems, card.file(), "file");
        if (!"classify".equals(card.task()) && !"detect".equals(card.task())) {
            problems.add("task must be classify or detect, was " + card.task());
        }
        if (card.labels() == null || card.labels().isEmpty()) {
            problems.add("labels must list the class names");
        }
        inputProblems(problems, card.input());
        if ("detect".equals(card.task())) {
            detectorProblems(problems, card);
        } else {
            preprocessingProblems(problems, card.preprocessing());
            outputSizeProblems(problems, card);
        }
        return problems;
    }

    private static void inputProblems(List<String> problems, ModelCard.Input input) {
        if (input == null) {
            problems.add("input is missing");
            return;
        }
        requireText(problems, input.name(), "input.name");
        if (!"NCHW".equals(input.layout())) {
            problems.add("input.layout must be NCHW, was " + input.layout());
        }
        if (input.height() <= 0 || input.width() <= 0) {
            problems.add("input.height and input.width must be positive");
        }
    }

    private static void preprocessingProblems(List<String> problems, ModelCard.Preprocessing p) {
        if (p == null) {
            problems.add("preprocessing is missing");
            return;
        }
        if (p.resize() == null || !("fixed".equals(p.resize().mode()) || "shorter".equals(p.resize().mode()))) {
            problems.add("preprocessing.resize.mode must be fixed or shorter");
        } else {
            Recipe recipe = recipeOf(p, Recipe.CLASSIFY_DEFAULT, problems);
            if (recipe != null) {
                recipe.resizeProblems(p.resize(), problems);
            }
            sizeProblems(p.resize(), p.centerCrop(), problems);
        }
        if (p.mean() == null || p.mean().length != 3 || p.std() == null || p.std().length != 3) {
            problems.add("preprocessing.mean and preprocessing.std need three values each");
        } else {
            for (float s : p.std()) {
                if (s <= 0) {
                    problems.add("preprocessing.std values must be positive");
                    break;
                }
            }
        }
        if (!"RGB".equals(p.channelOrder()) && !"BGR".equals(p.channelOrder())) {
            problems.add("preprocessing.channelOrder must be RGB or BGR, was " + p.channelOrder());
        }
        if (p.scale() <= 0) {
            problems.add("preprocessing.scale must be positive (1/255 for ToTensor)");
        }
    }

    private static void detectorProblems(List<String> problems, ModelCard card) {
        ModelCard.Preprocessing p = card.preprocessing();
        if (p == null || p.letterbox() == null || p.letterbox().height() <= 0 || p.letterbox().width() <= 0) {
            problems.add("preprocessing.letterbox needs height and width for a detector");
        } else if (p.letterbox().padValue() < 0 || p.letterbox().padValue() > 255) {
            problems.add("preprocessing.letterbox.padValue must be within 0..255 (YOLOv5 uses 114)");
        } else {
            Recipe recipe = recipeOf(p, Recipe.DETECT_DEFAULT, problems);
            if (recipe != null) {
                recipe.letterboxProblems(p.letterbox(), problems);
            }
            if (p.resize() != null || p.centerCrop() != null) {
                problems.add("preprocessing.resize and preprocessing.centerCrop are for classifiers; a detector's"
                        + " frame is letterboxed (preprocessing.letterbox)");
            }
        }
        ModelCard.Postprocessing post = card.postprocessing();
        if (post == null) {
            problems.add("postprocessing needs confidenceThreshold, iouThreshold and maxDetections for a detector");
            return;
        }
        if (!(post.confidenceThreshold() > 0 && post.confidenceThreshold() < 1)) {
            problems.add("postprocessing.confidenceThreshold must be within (0, 1)");
        }
        if (!(post.iouThreshold() > 0 && post.iouThreshold() <= 1)) {
            problems.add("postprocessing.iouThreshold must be within (0, 1]");
        }
        if (post.maxDetections() <= 0) {
            problems.add("postprocessing.maxDetections must be positive");
        }
    }

    /** A classifier's preprocessing must end at the input size: the crop's, or the fixed resize's. */
    private static void outputSizeProblems(List<String> problems, ModelCard card) {
        ModelCard.Preprocessing p = card.preprocessing();
        if (p == null || p.resize() == null || card.input() == null || card.input().height() <= 0) {
            return;
        }
        ModelCard.Size crop = p.centerCrop();
        int height = crop != null ? crop.height() : "fixed".equals(p.resize().mode()) ? p.resize().height() : -1;
        int width = crop != null ? crop.width() : "fixed".equals(p.resize().mode()) ? p.resize().width() : -1;
        if (height < 0) {
            problems.add("preprocessing.resize.mode shorter gives images of varying size: add a centerCrop of the"
                    + " input size " + card.input().height() + "x" + card.input().width());
        } else if (height != card.input().height() || width != card.input().width()) {
            problems.add("preprocessing ends at " + height + "x" + width + " but input is " + card.input().height()
                    + "x" + card.input().width() + "; the crop (or the fixed resize) must give the input size");
        }
    }

    /** The card's recipe, its task's default if it names none, or null (with a problem) if the name is unknown. */
    static Recipe recipeOf(ModelCard.Preprocessing p, Recipe fallback, List<String> problems) {
        if (p.recipe() == null) {
            return fallback;
        }
        Recipe recipe = Recipe.named(p.recipe());
        if (recipe == null) {
            problems.add("preprocessing.recipe '" + p.recipe() + "' is not known; allowed: " + Recipe.names());
        }
        return recipe;
    }

    /** Positive sizes, and a centre crop that fits inside the resized image. */
    private static void sizeProblems(ModelCard.Resize resize, ModelCard.Size crop, List<String> problems) {
        boolean fixed = "fixed".equals(resize.mode());
        if (fixed && (resize.height() <= 0 || resize.width() <= 0)) {
            problems.add("preprocessing.resize.height and .width must be positive for mode fixed");
            return;
        }
        if (!fixed && resize.size() <= 0) {
            problems.add("preprocessing.resize.size must be positive for mode shorter");
            return;
        }
        if (crop == null) {
            return;
        }
        if (crop.height() <= 0 || crop.width() <= 0) {
            problems.add("preprocessing.centerCrop.height and .width must be positive");
        } else if (fixed ? crop.height() > resize.height() || crop.width() > resize.width()
                : Math.max(crop.height(), crop.width()) > resize.size()) {
            problems.add("preprocessing.centerCrop " + crop.height() + "x" + crop.width() + " is larger than the"
                    + " resized image (" + (fixed ? resize.height() + "x" + resize.width() : "shorter side "
                    + resize.size()) + "); the crop must fit inside the resize");
        }
    }

    private static void requireText(List<String> problems, String value, String field) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        }
    }
}
