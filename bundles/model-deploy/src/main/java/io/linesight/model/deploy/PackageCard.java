package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.ModelCardReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What deployment needs from a model card ({@code model.json}): identity, task and gate, read by the API's one
 * card parser ({@link ModelCardReader}) without the runner's preprocessing check: the runner checks the rest of
 * the card when the gate loads the package, so a bad preprocessing field is refused with a gate report.
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

    static final String CARD_FILE = ModelCard.CARD_FILE;

    /** Names and versions become folder names: no separators, no dot-only names. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}");

    /** Reads and checks the card of the package in {@code dir}. */
    static PackageCard read(Path dir) throws DeploymentException {
        Path file = dir.resolve(CARD_FILE);
        if (!Files.isRegularFile(file)) {
            throw new DeploymentException(Reason.NOT_TRUSTED,
                    "The package has no " + CARD_FILE + " at its top: it is not a model package");
        }
        ModelCard card;
        try {
            card = ModelCardReader.fromJson(Files.readString(file, StandardCharsets.UTF_8), false);
        } catch (IOException | IllegalArgumentException e) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "The package's " + CARD_FILE
                    + " is not a JSON object (" + e.getMessage() + "): fix the card");
        }
        if (card == null) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "The package's " + CARD_FILE
                    + " is not a JSON object (it is empty): fix the card");
        }
        return of(card);
    }

    /** The deployment's view of a card whose name and version are safe folder names. */
    static PackageCard of(ModelCard card) throws DeploymentException {
        ModelCard.Gate gate = card.gate() == null ? new ModelCard.Gate(null, null, null) : card.gate();
        return new PackageCard(safe(card.name(), "name"), safe(card.version(), "version"),
                card.task() == null ? "classify" : card.task(), card.file() == null ? "model.onnx" : card.file(),
                card.sha256(), gate.minAccuracy(), gate.minMap50(), gate.latencyBudgetMs());
    }

    /** {@code name@version}. */
    String id() {
        return name + "@" + version;
    }

    boolean detector() {
        return "detect".equals(task);
    }

    private static String safe(String value, String field) throws DeploymentException {
        if (value == null || !SAFE.matcher(value).matches() || "history".equals(value)) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "The card's '" + field + "' is " + value
                    + ": it must be letters, digits, '.', '_', '+' or '-' (and not 'history'); fix the card");
        }
        return value;
    }
}
