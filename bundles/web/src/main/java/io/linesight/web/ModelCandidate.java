package io.linesight.web;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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

    /** Reads the card's name, version and task; empty when the folder holds no readable card. */
    static Optional<ModelCandidate> read(Path folder, String origin) {
        Path card = folder.resolve("model.json");
        if (!Files.isRegularFile(card)) {
            return Optional.empty();
        }
        try (Reader in = Files.newBufferedReader(card, StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseReader(in).getAsJsonObject();
            String name = o.get("name").getAsString();
            String version = o.get("version").getAsString();
            String task = o.has("task") ? o.get("task").getAsString() : "classify";
            return Optional.of(new ModelCandidate(name + "@" + version, name, version, task, folder, origin));
        } catch (IOException | RuntimeException e) {
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
