package io.linesight.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills what a model card leaves out from the ONNX file itself, and says so in the log: the input name
 * and size (from a static input shape), the labels (from ultralytics-style {@code names} metadata), and
 * a detector's letterbox size. The card wins wherever it says something.
 */
final class CardCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(CardCompletion.class);
    private static final Pattern NAME_ENTRY = Pattern.compile("(\\d+)\\s*:\\s*['\"]([^'\"]*)['\"]");

    private CardCompletion() {
    }

    static ModelCard complete(ModelCard card, OrtSession session) throws OrtException {
        ModelCard.Input input = completeInput(card, session);
        List<String> labels = card.labels();
        if (labels == null || labels.isEmpty()) {
            labels = labelsFromMetadata(session.getMetadata().getCustomMetadata());
            if (!labels.isEmpty()) {
                LOG.info("Model {}: card has no labels; took {} from the ONNX metadata 'names'", card.name(), labels.size());
            }
        }
        ModelCard.Preprocessing pre = completeLetterbox(card, input);
        return completeRecipe(card.with(input, pre, labels));
    }

    private static ModelCard.Input completeInput(ModelCard card, OrtSession session) throws OrtException {
        ModelCard.Input given = card.input() == null ? new ModelCard.Input(null, "NCHW", 0, 0, null) : card.input();
        String name = given.name();
        if ((name == null || name.isBlank()) && session.getNumInputs() == 1) {
            name = session.getInputNames().iterator().next();
            LOG.info("Model {}: card names no input; the ONNX file's only input is '{}'", card.name(), name);
        }
        NodeInfo node = name == null ? null : session.getInputInfo().get(name);
        long[] shape = node != null && node.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
        int height = given.height();
        int width = given.width();
        if ((height <= 0 || width <= 0) && shape.length == 4 && shape[2] > 0 && shape[3] > 0) {
            height = (int) shape[2];
            width = (int) shape[3];
            LOG.info("Model {}: card gives no input size; the ONNX file says {}x{}", card.name(), width, height);
        }
        String layout = given.layout() == null ? "NCHW" : given.layout();
        return new ModelCard.Input(name, layout, height, width, given.dtype());
    }

    private static ModelCard.Preprocessing completeLetterbox(ModelCard card, ModelCard.Input input) {
        ModelCard.Preprocessing pre = card.preprocessing();
        if (!"detect".equals(card.task()) || pre == null || input.height() <= 0) {
            return pre;
        }
        ModelCard.LetterboxSpec box = pre.letterbox();
        if (box != null && box.height() > 0 && box.width() > 0) {
            return pre;
        }
        int pad = box == null || box.padValue() == 0 ? 114 : box.padValue();
        LOG.info("Model {}: card gives no letterbox size; using the input size {}x{} with pad value {}",
                card.name(), input.width(), input.height(), pad);
        return new ModelCard.Preprocessing(pre.recipe(), pre.resize(), pre.centerCrop(),
                new ModelCard.LetterboxSpec(input.height(), input.width(), pad, box == null ? null : box.interpolation()),
                pre.scale(), pre.mean(), pre.std(), pre.channelOrder());
    }

    /**
     * A card without a recipe gets the one most training code for its task uses, and the log says which: the
     * pixels a model sees must never be a silent choice.
     */
    static ModelCard completeRecipe(ModelCard card) {
        ModelCard.Preprocessing pre = recipeOf(card, card.preprocessing());
        return pre == card.preprocessing() ? card : card.with(card.input(), pre, card.labels());
    }

    private static ModelCard.Preprocessing recipeOf(ModelCard card, ModelCard.Preprocessing pre) {
        if (pre == null || pre.recipe() != null) {
            return pre;
        }
        ModelCard.Resize resize = pre.resize();
        if (!"detect".equals(card.task()) && resize != null && Boolean.FALSE.equals(resize.antialias())
                && resize.input() == null) {
            // Version 1 cards (before recipes) said "antialias": false for what the runner then did: torchvision's
            // Resize on float tensors after ToTensor. Keep that meaning so packages already deployed still load.
            LOG.warn("Model {}: card names no preprocessing.recipe but says antialias false, as cards written before"
                    + " recipes did; using {} on float32 tensors, the preprocessing such cards meant. Declare"
                    + " \"recipe\": \"torch-tensor\" and \"input\": \"float32\" in model.json (models/README.md)",
                    card.name(), Recipe.TORCH_TENSOR.describe());
            return new ModelCard.Preprocessing(Recipe.TORCH_TENSOR.cardName(), new ModelCard.Resize(resize.mode(),
                    resize.height(), resize.width(), resize.size(), resize.interpolation(), false, "float32"),
                    pre.centerCrop(), pre.letterbox(), pre.scale(), pre.mean(), pre.std(), pre.channelOrder());
        }
        Recipe recipe = "detect".equals(card.task()) ? Recipe.DETECT_DEFAULT : Recipe.CLASSIFY_DEFAULT;
        LOG.info("Model {}: card names no preprocessing.recipe; using {}, what most {} training code uses."
                        + " Declare the recipe the model was trained with in model.json (models/README.md)",
                card.name(), recipe.describe(), "detect".equals(card.task()) ? "YOLOv5 detector" : "torchvision classifier");
        return pre.withRecipe(recipe.cardName());
    }

    /** Ultralytics writes {@code names} as a Python dict literal: {@code {0: 'person', 1: 'bicycle'}}. */
    static List<String> labelsFromMetadata(Map<String, String> metadata) {
        String names = metadata.get("names");
        List<String> labels = new ArrayList<>();
        if (names == null) {
            return labels;
        }
        Matcher m = NAME_ENTRY.matcher(names);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) != labels.size()) {
                return List.of(); // not a dense 0..n-1 mapping: do not guess
            }
            labels.add(m.group(2));
        }
        return labels;
    }
}
