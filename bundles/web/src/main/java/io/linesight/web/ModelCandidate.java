package io.linesight.web;

import com.google.gson.JsonObject;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.ModelCardReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model package the upload page offers: a folder with a card ({@code model.json}).
 *
 * @param id     {@code name@version} from the card, the key the page sends back
 * @param name   package name
 * @param version package version
 * @param task   {@code classify} or {@code detect}, as the card says
 * @param folder the package folder
 * @param origin where it was found: {@code line <id>} (the package active on a line) or {@code configured}
 */
record ModelCandidate(String id, String name, String version, String task, Path folder, String origin) {

    /**
     * Reads the card's name, version and task with the API's one card parser; empty when the folder holds no card
     * the runner could read (the upload page offers only packages it can check).
     */
    static Optional<ModelCandidate> read(Path folder, String origin) {
        if (!Files.isRegularFile(folder.resolve(ModelCard.CARD_FILE))) {
            return Optional.empty();
        }
        try {
            ModelCard card = ModelCardReader.parse(folder);
            if (card.name() == null || card.version() == null) {
                return Optional.empty();
            }
            String task = card.task() == null ? "classify" : card.task();
            return Optional.of(new ModelCandidate(card.id(), card.name(), card.version(), task, folder, origin));
        } catch (ModelLoadException e) {
            return Optional.empty();
        }
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("name", name);
        o.addProperty("version", version);
        o.addProperty("task", task);
        o.addProperty("origin", origin);
        return o;
    }
}
