package io.linesight.model.onnx;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.linesight.api.model.ModelLoadException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates model cards; every problem is reported at once, naming the file and the field. */
final class ModelCards {

    static final String CARD_FILE = "model.json";
    private static final Gson GSON = new Gson();

    private ModelCards() {
    }

    /** Parses and validates the card of a package. */
    static ModelCard read(Path packageDir) throws ModelLoadException {
        ModelCard card = parse(packageDir);
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
            card = GSON.fromJson(reader, ModelCard.class);
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

    private static void requireText(List<String> problems, String value, String field) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        }
    }
}
