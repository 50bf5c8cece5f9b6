package io.linesight.model.onnx;

import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.ModelCardReader;
import java.nio.file.Path;

/**
 * The runner's reading of a card: the API's one parser and validation ({@link ModelCardReader}), with the
 * runner's logged completion of a missing recipe in between.
 */
final class ModelCards {

    static final String CARD_FILE = ModelCard.CARD_FILE;

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
        ModelCardReader.validate(card, packageDir);
    }

    /** Parses the card's JSON without checking its fields (the runner may complete them from the ONNX file). */
    static ModelCard parse(Path packageDir) throws ModelLoadException {
        return ModelCardReader.parse(packageDir);
    }
}
