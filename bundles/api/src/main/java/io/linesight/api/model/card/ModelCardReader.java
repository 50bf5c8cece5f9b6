package io.linesight.api.model.card;

import io.linesight.api.model.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates model cards ({@code model.json}): the one parser behind the runner, the deployment and its
 * gate, {@code model:eval} and the web upload page. Every problem is reported at once, naming the file and the
 * field. Filling what a card leaves out from the ONNX file is the runner's job, not this class's.
 */
public final class ModelCardReader {

    /**
     * The fields of the preprocessing part of a card: it decides the pixels the model sees, so a field the runner
     * does not know (a typo such as {@code interpolaton}) refuses the card instead of being ignored. Elsewhere
     * unknown fields are ignored, as models/README.md promises.
     */
    private static final Map<String, Set<String>> PREPROCESSING_FIELDS = Map.of(
            "preprocessing", Set.of("recipe", "resize", "centerCrop", "letterbox", "scale", "mean", "std", "channelOrder"),
            "preprocessing.resize", Set.of("mode", "height", "width", "size", "interpolation", "antialias", "input"),
            "preprocessing.centerCrop", Set.of("height", "width"),
            "preprocessing.letterbox", Set.of("height", "width", "padValue", "interpolation"));

    private ModelCardReader() {
    }

    /** Refuses a card with missing or out-of-range fields, listing every problem at once. */
    public static void validate(ModelCard card, Path packageDir) throws ModelLoadException {
        List<String> problems = problems(card);
        if (!problems.isEmpty()) {
            throw new ModelLoadException("Model card " + packageDir.resolve(ModelCard.CARD_FILE) + " is incomplete: "
                    + String.join("; ", problems));
        }
    }

    /**
     * Parses the card of the package in {@code packageDir} without checking its fields (the runner may complete
     * them from the ONNX file); unknown preprocessing fields refuse it.
     */
    public static ModelCard parse(Path packageDir) throws ModelLoadException {
        Path cardFile = packageDir.resolve(ModelCard.CARD_FILE);
        ModelCard card;
        try {
            card = fromJson(Files.readString(cardFile, StandardCharsets.UTF_8), true);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("Model package " + packageDir + " has no " + ModelCard.CARD_FILE
                    + ": check the line's model.package setting or redeploy the package");
        } catch (UnknownPreprocessingFields e) {
            throw new ModelLoadException("Model card " + cardFile + " has preprocessing fields the runner does not"
                    + " know: " + String.join(", ", e.fields) + " (known: see models/README.md); fix the card so"
                    + " the model gets the pixels it was trained on");
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("Model card " + cardFile + " is not valid JSON (" + e.getMessage()
                    + "): fix or redeploy the package");
        }
        if (card == null) {
            throw new ModelLoadException("Model card " + cardFile + " is empty: redeploy the package");
        }
        return card;
    }

    /**
     * The card in {@code json}; null for an empty document. {@code strict} refuses unknown preprocessing fields
     * ({@link UnknownPreprocessingFields}); the deployment reads without it, as it needs only identity and gate
     * and leaves the preprocessing to the runner's check in the gate.
     *
     * @throws IllegalArgumentException (one sentence) for malformed JSON or a field of the wrong type
     */
    public static ModelCard fromJson(String json, boolean strict) {
        Object tree = StrictJson.parse(json);
        if (tree == null) {
            return null;
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("the card must be a JSON object, was " + CardFields.kind(tree));
        }
        CardFields card = new CardFields("", (Map<?, ?>) tree);
        if (strict) {
            List<String> unknown = unknownPreprocessingFields(card);
            if (!unknown.isEmpty()) {
                throw new UnknownPreprocessingFields(unknown);
            }
        }
        return card.toCard();
    }

    /** A strict read met preprocessing fields the runner does not know. */
    public static final class UnknownPreprocessingFields extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final List<String> fields;

        UnknownPreprocessingFields(List<String> fields) {
            super("unknown preprocessing fields: " + String.join(", ", fields));
            this.fields = List.copyOf(fields);
        }

        /** The unknown fields, with their paths ({@code preprocessing.resize.interpolaton}). */
        public List<String> fields() {
            return fields;
        }
    }

    private static List<String> unknownPreprocessingFields(CardFields card) {
        List<String> unknown = new ArrayList<>();
        CardFields pre = card.objectOrNull("preprocessing");
        if (pre == null) {
            return unknown;
        }
        pre.collectUnknown(PREPROCESSING_FIELDS.get("preprocessing"), unknown);
        for (String part : List.of("resize", "centerCrop", "letterbox")) {
            CardFields child = pre.objectOrNull(part);
            if (child != null) {
                child.collectUnknown(PREPROCESSING_FIELDS.get("preprocessing." + part), unknown);
            }
        }
        return unknown;
    }

    /** Every missing or out-of-range field of a card, one sentence each; empty when the card is complete. */
    public static List<String> problems(ModelCard card) {
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
    public static Recipe recipeOf(ModelCard.Preprocessing p, Recipe fallback, List<String> problems) {
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
