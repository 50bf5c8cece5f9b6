package io.linesight.model.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What deployment needs from a model card ({@code model.json}): identity, task and gate. The runner reads
 * the rest of the card when it loads the package; unknown fields are ignored, as the card's README asks.
 *
 * @param name            package name (also a folder name in the repository)
 * @param version         package version (also a folder name)
 * @param task            {@code classify} or {@code detect}
 * @param file            the model file, relative to the package folder
 * @param sha256          digest of the model file as the card states it (may be null)
 * @param minAccuracy     gate.minAccuracy (classifiers), or null
 * @param minMap50        gate.minMap50 (detectors), or null
 * @param latencyBudgetMs gate.latencyBudgetMs, or null
 */
record PackageCard(String name, String version, String task, String file, String sha256, Double minAccuracy, Double minMap50,
                   Double latencyBudgetMs) {

    static final String CARD_FILE = "model.json";

    /** Names and versions become folder names: no separators, no dot-only names. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}");

    /** Reads and checks the card of the package in {@code dir}. */
    static PackageCard read(Path dir) throws DeploymentException {
        Path file = dir.resolve(CARD_FILE);
        if (!Files.isRegularFile(file)) {
            throw new DeploymentException(Reason.NOT_TRUSTED,
                    "The package has no " + CARD_FILE + " at its top: it is not a model package");
        }
        JsonObject card;
        try {
            card = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "The package's " + CARD_FILE
                    + " is not a JSON object (" + e.getMessage() + "): fix the card");
        }
        String name = safe(card, "name");
        String version = safe(card, "version");
        JsonObject gate = card.has("gate") && card.get("gate").isJsonObject() ? card.getAsJsonObject("gate")
                : new JsonObject();
        return new PackageCard(name, version, text(card, "task", "classify"), text(card, "file", "model.onnx"),
                text(card, "sha256", null),
                number(gate, "minAccuracy"), number(gate, "minMap50"), number(gate, "latencyBudgetMs"));
    }

    /** {@code name@version}. */
    String id() {
        return name + "@" + version;
    }

    boolean detector() {
        return "detect".equals(task);
    }

    private static String safe(JsonObject card, String field) throws DeploymentException {
        String value = text(card, field, null);
        if (value == null || !SAFE.matcher(value).matches() || "history".equals(value)) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "The card's '" + field + "' is " + value
                    + ": it must be letters, digits, '.', '_', '+' or '-' (and not 'history'); fix the card");
        }
        return value;
    }

    private static String text(JsonObject o, String field, String fallback) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? fallback : e.getAsString();
    }

    private static Double number(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : null;
    }
}
