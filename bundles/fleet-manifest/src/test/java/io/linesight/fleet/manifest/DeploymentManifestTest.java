package io.linesight.fleet.manifest;

import static io.linesight.fleet.manifest.Examples.at;
import static io.linesight.fleet.manifest.Examples.changed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.linesight.fleet.manifest.DeploymentManifest.Deadlines;
import io.linesight.fleet.manifest.DeploymentManifest.Health;
import io.linesight.fleet.manifest.DeploymentManifest.Model;
import io.linesight.fleet.manifest.DeploymentManifest.Target;
import io.linesight.fleet.manifest.DeploymentManifest.Trial;
import io.linesight.fleet.manifest.DeploymentManifest.TrialMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentManifestTest {

    @Test
    void readsEveryFieldOfTheExample() throws ManifestException {
        DeploymentManifest manifest = DeploymentManifest.parse(Examples.shadowBytes());

        assertEquals("dm-2026-12-08-defect-0.3.0", manifest.deploymentId());
        assertEquals(Instant.parse("2026-12-08T10:00:00Z"), manifest.issuedAt());
        assertEquals(new Model("defect-mobilenetv2", "0.3.0", Examples.SHA256, 12_345_678L), manifest.model());
        assertEquals("defect-mobilenetv2@0.3.0", manifest.model().packageId());
        assertEquals(List.of(URI.create("https://cdn.example/defect-mobilenetv2-0.3.0.zip"),
                URI.create("http://10.0.0.5/pkgs/defect-mobilenetv2-0.3.0.zip")), manifest.urls());
        assertEquals(new Target("plant", List.of("box1", "box2"), List.of("default")), manifest.target());
        assertEquals(new Trial.Shadow(500, 0.98, 1.5, 60), manifest.trial());
        assertEquals(TrialMode.SHADOW, manifest.trial().mode());
        assertEquals(new Health(500, 10, true), manifest.health());
        assertEquals(new Deadlines(120, 10, 15), manifest.deadlines());
        assertEquals(Optional.of("dm-2026-11-30-defect-0.2.0"), manifest.previousDeploymentId());
    }

    @Test
    void writesWhatItReadsAndTheSameBytesEveryTime() throws ManifestException {
        DeploymentManifest manifest = DeploymentManifest.parse(Examples.shadowBytes());

        byte[] written = manifest.toJson();
        DeploymentManifest again = DeploymentManifest.parse(written);

        assertEquals(manifest, again);
        assertArrayEquals(written, again.toJson());
        String text = new String(written, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\n  \"schema\": \"linesight.deployment/1\",\n  \"deploymentId\""), text);
        assertTrue(text.indexOf("\"model\"") < text.indexOf("\"urls\"")
                && text.indexOf("\"deadlines\"") < text.indexOf("\"previousDeploymentId\""), text);
    }

    @Test
    void aDirectTrialCarriesOnlyItsModeAndAManifestMayHaveNoPrevious() throws ManifestException {
        byte[] json = changed(tree -> {
            tree.add("trial", object("mode", "direct"));
            tree.remove("previousDeploymentId");
        });

        DeploymentManifest manifest = DeploymentManifest.parse(json);

        assertInstanceOf(Trial.Direct.class, manifest.trial());
        assertEquals(TrialMode.DIRECT, manifest.trial().mode());
        assertEquals(Optional.empty(), manifest.previousDeploymentId());
        String written = new String(manifest.toJson(), StandardCharsets.UTF_8);
        assertFalse(written.contains("minFrames") || written.contains("previousDeploymentId"), written);
        assertEquals(manifest, DeploymentManifest.parse(manifest.toJson()));
    }

    @Test
    void aManifestBuiltInCodeWritesJsonThatParsesBackEqual() throws ManifestException {
        DeploymentManifest built = new DeploymentManifest("dm-1", Instant.parse("2026-12-08T10:00:00.5Z"),
                new Model("m", "1", Examples.SHA256.toUpperCase(), 1), List.of(URI.create("https://h/p.zip")),
                new Target("g", List.of(Target.ALL), List.of("line-1", "line-2")), new Trial.Direct(),
                new Health(1, 1, false), new Deadlines(1, 1, 1), Optional.empty());

        assertEquals(Examples.SHA256, built.model().sha256(), "hex is kept lower case");
        assertEquals(built, DeploymentManifest.parse(built.toJson()));
    }

    @Test
    void upperCaseHexIsAcceptedAndLowered() throws ManifestException {
        byte[] json = changed(tree -> at(tree, "model").addProperty("sha256", Examples.SHA256.toUpperCase()));

        assertEquals(Examples.SHA256, DeploymentManifest.parse(json).model().sha256());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("an unknown top-level field", t -> t.addProperty("deploymentID", "x"),
                        "Unknown field 'deploymentID': the nearest known field is 'deploymentId' (known here: schema,"
                                + " deploymentId, issuedAt, model, urls, target, trial, health, deadlines,"
                                + " previousDeploymentId)."),
                refusal("an unknown nested field", t -> at(t, "model").addProperty("sha265", Examples.SHA256),
                        "Unknown field 'model.sha265': the nearest known field is 'sha256' (known here: name,"
                                + " version, sha256, size)."),
                refusal("a missing field", t -> at(t, "model").remove("sha256"),
                        "Required field 'model.sha256' is missing."),
                refusal("a missing object", t -> t.remove("deadlines"), "Required field 'deadlines' is missing."),
                refusal("a number as a string", t -> at(t, "model").addProperty("size", "12345678"),
                        "Field 'model.size' must be a number, not a string."),
                refusal("a string as a number", t -> t.addProperty("deploymentId", 7),
                        "Field 'deploymentId' must be a string, not a number."),
                refusal("null for an optional field", t -> t.add("previousDeploymentId", null),
                        "Field 'previousDeploymentId' must be a string, not null."),
                refusal("an object as a list", t -> t.add("urls", new JsonObject()),
                        "Field 'urls' must be a list, not an object."),
                refusal("a string as a boolean", t -> at(t, "health").addProperty("rollback", "yes"),
                        "Field 'health.rollback' must be true or false, not a string."),
                refusal("a fraction as a whole number", t -> at(t, "trial").addProperty("minFrames", 500.5),
                        "Field 'trial.minFrames' must be a whole number, not 500.5."),
                refusal("bad hex", t -> at(t, "model").addProperty("sha256", "zz" + Examples.SHA256.substring(2)),
                        "Field 'model.sha256' must be 64 hexadecimal digits (the SHA-256 of the package zip), not"
                                + " 'zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'."),
                refusal("short hex", t -> at(t, "model").addProperty("sha256", "abc"),
                        "Field 'model.sha256' must be 64 hexadecimal digits (the SHA-256 of the package zip), not"
                                + " 'abc'."),
                refusal("size 0", t -> at(t, "model").addProperty("size", 0),
                        "Field 'model.size' must be the package zip's size in bytes, more than 0, not 0."),
                refusal("a negative size", t -> at(t, "model").addProperty("size", -5),
                        "Field 'model.size' must be the package zip's size in bytes, more than 0, not -5."),
                refusal("no URL", t -> t.add("urls", new JsonArray()),
                        "Field 'urls' must list at least one download URL."),
                refusal("an ftp URL", t -> t.add("urls", strings("https://a/x.zip", "ftp://host/x.zip")),
                        "Field 'urls[1]' must be an http:// or https:// URL with a host, not 'ftp://host/x.zip'."),
                refusal("a relative URL", t -> t.add("urls", strings("pkgs/x.zip")),
                        "Field 'urls[0]' must be an http:// or https:// URL with a host, not 'pkgs/x.zip'."),
                refusal("a URL with a password", t -> t.add("urls", strings("https://u:secret@h/x.zip")),
                        "Field 'urls[0]' carries a user name or password; the manifest is readable by every box, so"
                                + " give download credentials another way."),
                refusal("a malformed URL", t -> t.add("urls", strings("https://h/a b.zip")),
                        "Field 'urls[0]' is not a URL ('https://h/a b.zip': Illegal character in path)."),
                refusal("an unknown schema version", t -> t.addProperty("schema", "linesight.deployment/2"),
                        "Field 'schema' is 'linesight.deployment/2', which this version does not understand; it"
                                + " reads linesight.deployment/1."),
                refusal("no schema", t -> t.remove("schema"), "Required field 'schema' is missing."),
                refusal("a negative deadline", t -> at(t, "deadlines").addProperty("verifyMinutes", -1),
                        "Field 'deadlines.verifyMinutes' must be a whole number of minutes, at least 1, not -1."),
                refusal("a zero deadline", t -> at(t, "deadlines").addProperty("downloadMinutes", 0),
                        "Field 'deadlines.downloadMinutes' must be a whole number of minutes, at least 1, not 0."),
                refusal("a bad time", t -> t.addProperty("issuedAt", "2026-12-08 10:00"),
                        "Field 'issuedAt' must be a UTC time like 2026-12-08T10:00:00Z, not '2026-12-08 10:00'."),
                refusal("an unknown trial mode", t -> at(t, "trial").addProperty("mode", "canary"),
                        "Field 'trial.mode' must be 'direct' or 'shadow', not 'canary'."),
                refusal("shadow fields in a direct trial", t -> at(t, "trial").addProperty("mode", "direct"),
                        "Field 'trial.minFrames' applies to trial mode 'shadow' only; remove it, or set trial.mode"
                                + " to 'shadow'."),
                refusal("a shadow trial without its criteria", t -> t.add("trial", object("mode", "shadow")),
                        "Required field 'trial.minFrames' is missing."),
                refusal("an agreement over 1", t -> at(t, "trial").addProperty("minVerdictAgreement", 98),
                        "Field 'trial.minVerdictAgreement' must be a share from 0 to 1 (0.98 is 98 %), not 98.0."),
                refusal("a zero latency ratio", t -> at(t, "trial").addProperty("maxLatencyRatio", 0),
                        "Field 'trial.maxLatencyRatio' must be more than 0 (1.5 allows 50 % slower), not 0.0."),
                refusal("a huge whole number", t -> at(t, "health").addProperty("windowFrames", 1L << 40),
                        "Field 'health.windowFrames' is 1099511627776, far out of range."),
                refusal("no nodes", t -> at(t, "target").add("nodes", new JsonArray()),
                        "Field 'target.nodes' must name at least one, or be [\"*\"] for all."),
                refusal("'*' with names", t -> at(t, "target").add("lines", strings("*", "default")),
                        "Field 'target.lines' holds \"*\" with other names; \"*\" means all and must stand alone."),
                refusal("'*' as the group", t -> at(t, "target").addProperty("group", "*"),
                        "Field 'target.group' must be one group name, 1 to 100 characters without '/', '+', '#',"
                                + " '*' or white space, not '*'."),
                refusal("a node name with a slash", t -> at(t, "target").add("nodes", strings("box1", "a/b")),
                        "Field 'target.nodes[1]' must be 1 to 100 characters without '/', '+', '#', '*' or white"
                                + " space, not 'a/b'."),
                refusal("a deployment id that is a path", t -> t.addProperty("deploymentId", "../etc"),
                        "Field 'deploymentId' must be 1 to 100 letters, digits, '.', '_', '+' or '-', starting with a"
                                + " letter or digit, not '../etc'."),
                refusal("a rollback to itself",
                        t -> t.addProperty("previousDeploymentId", "dm-2026-12-08-defect-0.3.0"),
                        "Field 'previousDeploymentId' names this deployment itself; a rollback must return"
                                + " elsewhere."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithOneSentenceNamingTheField(String what, byte[] json, String sentence) {
        ManifestException refused = assertThrows(ManifestException.class, () -> DeploymentManifest.parse(json));

        assertEquals(sentence, refused.getMessage());
        assertEquals(ManifestException.Reason.INVALID_MANIFEST, refused.reason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON            | hello                 | The manifest is not valid JSON: ",
        "a list              | []                    | The document must be a JSON object, not a list.",
        "trailing content    | {}{}                  | The manifest is not valid JSON: ",
        "a key twice         | {\"schema\":\"a\",\"schema\":\"b\"} | The manifest has field 'schema' twice; each field"
                + " may appear once.",
        "single quotes       | {'schema':'linesight.deployment/1'} | The manifest is not valid JSON: "})
    void refusesWhatIsNotOneStrictJsonObject(String what, String text, String sentenceStart) {
        ManifestException refused = assertThrows(ManifestException.class,
                () -> DeploymentManifest.parse(text.getBytes(StandardCharsets.UTF_8)));

        assertTrue(refused.getMessage().startsWith(sentenceStart), refused.getMessage());
        assertFalse(refused.getMessage().contains("Troubleshooting"), refused.getMessage());
    }

    @Test
    void refusesBytesThatAreNotUtf8AndManifestsTooLongTooDeepOrWithEndlessNumbers() {
        byte[] latin1 = "{\"schema\":\"d\u00e9j\u00e0\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] huge = new byte[DeploymentManifest.MAX_BYTES + 1];
        byte[] deep = ("{\"schema\":" + "[".repeat(50) + "]".repeat(50) + "}").getBytes(StandardCharsets.UTF_8);

        assertEquals("The manifest is not UTF-8 text.", message(latin1));
        assertEquals("The manifest is 262145 bytes, more than the 262144 bytes allowed.", message(huge));
        assertEquals("The manifest nests deeper than 8 levels at 'schema[0][0][0][0][0][0][0][0]'.", message(deep));
        byte[] longNumber = ("{\"schema\": \"linesight.deployment/1\", \"x\": 1" + "0".repeat(100_000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(message(longNumber).startsWith("The manifest is not valid JSON: a syntax error"));
    }

    @Test
    void aHugeUnknownFieldNameIsQuotedShortened() {
        String name = "x".repeat(10_000);
        String message = message(changed(tree -> tree.addProperty(name, 1)));

        assertTrue(message.startsWith("Unknown field '" + "x".repeat(80) + "...': the nearest"), message);
        assertTrue(message.length() < 400, message);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        // group, node, line, targeted by {plant, [box1, box2], [default]}
        "plant, box1, default, true",
        "plant, box2, default, true",
        "plant, box3, default, false",
        "plant, box1, line-2,  false",
        "other, box1, default, false",
        "Plant, box1, default, false",
        "*,     box1, default, false"})
    void targetsNamedNodesAndLinesOfItsGroupOnly(String group, String node, String line, boolean expected)
            throws ManifestException {
        assertEquals(expected, DeploymentManifest.parse(Examples.shadowBytes()).targets(group, node, line));
    }

    @ParameterizedTest(name = "nodes={0} lines={1}: {2} {3} -> {4}")
    @CsvSource({
        "*,    *,       box9, line-9,  true",
        "*,    default, box9, default, true",
        "*,    default, box9, line-9,  false",
        "box1, *,       box1, line-9,  true",
        "box1, *,       box9, default, false"})
    void aStarStandsForAllNodesOrAllLines(String nodes, String lines, String node, String line, boolean expected)
            throws ManifestException {
        byte[] json = changed(tree -> {
            at(tree, "target").add("nodes", strings(nodes));
            at(tree, "target").add("lines", strings(lines));
        });

        DeploymentManifest manifest = DeploymentManifest.parse(json);

        assertEquals(expected, manifest.targets("plant", node, line));
        assertFalse(manifest.targets("elsewhere", node, line), "a star never widens the group");
    }

    @Test
    void recordsRefuseInCodeWhatTheParserRefuses() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new Deadlines(120, -1, 15));

        assertEquals("Field 'deadlines.verifyMinutes' must be a whole number of minutes, at least 1, not -1.",
                refused.getMessage());
    }

    private static String message(byte[] json) {
        return assertThrows(ManifestException.class, () -> DeploymentManifest.parse(json)).getMessage();
    }

    private static Arguments refusal(String what, Consumer<JsonObject> change, String sentence) {
        return arguments(what, changed(change), sentence);
    }

    private static JsonObject object(String key, String value) {
        JsonObject object = new JsonObject();
        object.addProperty(key, value);
        return object;
    }

    private static JsonArray strings(String... values) {
        JsonArray array = new JsonArray();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
