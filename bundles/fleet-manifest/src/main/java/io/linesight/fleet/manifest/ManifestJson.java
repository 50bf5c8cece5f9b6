package io.linesight.fleet.manifest;

import static io.linesight.fleet.manifest.Checks.shown;

import com.google.gson.JsonElement;
import com.google.gson.stream.JsonWriter;
import io.linesight.fleet.manifest.DeploymentManifest.Deadlines;
import io.linesight.fleet.manifest.DeploymentManifest.Health;
import io.linesight.fleet.manifest.DeploymentManifest.Model;
import io.linesight.fleet.manifest.DeploymentManifest.Target;
import io.linesight.fleet.manifest.DeploymentManifest.Trial;
import io.linesight.fleet.manifest.DeploymentManifest.TrialMode;
import io.linesight.fleet.manifest.ManifestException.Reason;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link DeploymentManifest} from and to JSON; the field names and their order live here only. */
final class ManifestJson {

    static final String SCHEMA = "schema";
    private static final List<String> TOP = List.of(SCHEMA, "deploymentId", "issuedAt", "model", "urls", "target",
            "trial", "health", "deadlines", "previousDeploymentId");
    private static final List<String> MODEL = List.of("name", "version", "sha256", "size");
    private static final List<String> TARGET = List.of("group", "nodes", "lines");
    private static final List<String> TRIAL = List.of("mode", "minFrames", "minVerdictAgreement", "maxLatencyRatio",
            "maxMinutes");
    private static final List<String> HEALTH = List.of("windowFrames", "windowMinutes", "rollback");
    private static final List<String> DEADLINES = List.of("downloadMinutes", "verifyMinutes", "gateMinutes");

    private static final Reason INVALID = Reason.INVALID_MANIFEST;

    private ManifestJson() {
    }

    static DeploymentManifest read(byte[] json) throws ManifestException {
        JsonElement document = StrictJson.read(json, DeploymentManifest.MAX_BYTES, "The manifest", INVALID);
        checkSchema(document);
        JsonFields top = JsonFields.open(document, "", TOP, INVALID);
        try {
            return new DeploymentManifest(top.string("deploymentId"), instant(top, "issuedAt"),
                    model(top.object("model", MODEL)), urls(top), target(top.object("target", TARGET)),
                    trial(top.object("trial", TRIAL)), health(top.object("health", HEALTH)),
                    deadlines(top.object("deadlines", DEADLINES)), top.optionalString("previousDeploymentId"));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(INVALID, e.getMessage(), e);
        }
    }

    /** The schema first: a newer manifest has fields this one does not know, and its version is the real news. */
    private static void checkSchema(JsonElement document) throws ManifestException {
        JsonFields top = JsonFields.openAny(document, "", INVALID);
        String schema = top.string(SCHEMA);
        if (!DeploymentManifest.SCHEMAS_UNDERSTOOD.contains(schema)) {
            throw top.refused("Field 'schema' is '" + shown(schema) + "', which this version does not understand;"
                    + " it reads " + String.join(", ", DeploymentManifest.SCHEMAS_UNDERSTOOD) + ".");
        }
    }

    private static Instant instant(JsonFields fields, String name) throws ManifestException {
        String text = fields.string(name);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw fields.refused("Field '" + fields.path(name) + "' must be a UTC time like 2026-12-08T10:00:00Z,"
                    + " not '" + shown(text) + "'.");
        }
    }

    private static Model model(JsonFields model) throws ManifestException {
        return new Model(model.string("name"), model.string("version"), model.string("sha256"),
                model.wholeNumber("size"));
    }

    private static List<URI> urls(JsonFields top) throws ManifestException {
        List<String> texts = top.strings("urls");
        List<URI> urls = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                urls.add(new URI(texts.get(i)));
            } catch (URISyntaxException e) {
                throw top.refused("Field 'urls[" + i + "]' is not a URL ('" + shown(texts.get(i)) + "': "
                        + e.getReason() + ").");
            }
        }
        return urls;
    }

    private static Target target(JsonFields target) throws ManifestException {
        return new Target(target.string("group"), target.strings("nodes"), target.strings("lines"));
    }

    private static Trial trial(JsonFields trial) throws ManifestException {
        String mode = trial.string("mode");
        if (mode.equals(TrialMode.DIRECT.jsonName())) {
            for (String shadowOnly : TRIAL.subList(1, TRIAL.size())) {
                if (trial.has(shadowOnly)) {
                    throw trial.refused("Field '" + trial.path(shadowOnly) + "' applies to trial mode 'shadow'"
                            + " only; remove it, or set trial.mode to 'shadow'.");
                }
            }
            return new Trial.Direct();
        }
        if (mode.equals(TrialMode.SHADOW.jsonName())) {
            return new Trial.Shadow(trial.wholeInt("minFrames"), trial.decimal("minVerdictAgreement"),
                    trial.decimal("maxLatencyRatio"), trial.wholeInt("maxMinutes"));
        }
        throw trial.refused("Field 'trial.mode' must be 'direct' or 'shadow', not '" + shown(mode) + "'.");
    }

    private static Health health(JsonFields health) throws ManifestException {
        return new Health(health.wholeInt("windowFrames"), health.wholeInt("windowMinutes"), health.bool("rollback"));
    }

    private static Deadlines deadlines(JsonFields deadlines) throws ManifestException {
        return new Deadlines(deadlines.wholeInt("downloadMinutes"), deadlines.wholeInt("verifyMinutes"),
                deadlines.wholeInt("gateMinutes"));
    }

    static byte[] write(DeploymentManifest manifest) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setIndent("  ");
            json.beginObject();
            json.name(SCHEMA).value(DeploymentManifest.SCHEMA);
            json.name("deploymentId").value(manifest.deploymentId());
            json.name("issuedAt").value(manifest.issuedAt().toString());
            writeModel(json, manifest.model());
            json.name("urls").beginArray();
            for (URI url : manifest.urls()) {
                json.value(url.toString());
            }
            json.endArray();
            writeTarget(json, manifest.target());
            writeTrial(json, manifest.trial());
            writeHealth(json, manifest.health());
            writeDeadlines(json, manifest.deadlines());
            Optional<String> previous = manifest.previousDeploymentId();
            if (previous.isPresent()) {
                json.name("previousDeploymentId").value(previous.get());
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void writeModel(JsonWriter json, Model model) throws IOException {
        json.name("model").beginObject();
        json.name("name").value(model.name());
        json.name("version").value(model.version());
        json.name("sha256").value(model.sha256());
        json.name("size").value(model.size());
        json.endObject();
    }

    private static void writeTarget(JsonWriter json, Target target) throws IOException {
        json.name("target").beginObject();
        json.name("group").value(target.group());
        writeStrings(json, "nodes", target.nodes());
        writeStrings(json, "lines", target.lines());
        json.endObject();
    }

    private static void writeTrial(JsonWriter json, Trial trial) throws IOException {
        json.name("trial").beginObject();
        json.name("mode").value(trial.mode().jsonName());
        if (trial instanceof Trial.Shadow shadow) {
            json.name("minFrames").value(shadow.minFrames());
            json.name("minVerdictAgreement").value(shadow.minVerdictAgreement());
            json.name("maxLatencyRatio").value(shadow.maxLatencyRatio());
            json.name("maxMinutes").value(shadow.maxMinutes());
        }
        json.endObject();
    }

    private static void writeHealth(JsonWriter json, Health health) throws IOException {
        json.name("health").beginObject();
        json.name("windowFrames").value(health.windowFrames());
        json.name("windowMinutes").value(health.windowMinutes());
        json.name("rollback").value(health.rollback());
        json.endObject();
    }

    private static void writeDeadlines(JsonWriter json, Deadlines deadlines) throws IOException {
        json.name("deadlines").beginObject();
        json.name("downloadMinutes").value(deadlines.downloadMinutes());
        json.name("verifyMinutes").value(deadlines.verifyMinutes());
        json.name("gateMinutes").value(deadlines.gateMinutes());
        json.endObject();
    }

    private static void writeStrings(JsonWriter json, String name, List<String> values) throws IOException {
        json.name(name).beginArray();
        for (String value : values) {
            json.value(value);
        }
        json.endArray();
    }
}
