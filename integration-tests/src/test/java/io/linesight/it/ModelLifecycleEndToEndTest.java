package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model lifecycle with one owner, against the real runtime (issue 17): on a fresh install the configured
 * package is the line's first activation, so a rollback can return to it; a package that fails its gate is
 * refused and shown as such; editing model.package in the line's file is an activation; a signing key removed
 * from the trust list while the runtime is down makes the line fall back to its newest trusted model, with an
 * alarm, and the untrusted model never runs again.
 */
class ModelLifecycleEndToEndTest {

    private static final String TOKEN = "it-lifecycle-4c1e7a9b2d8f6035e1a7c9b4d2f8e6a1";
    private static final String NAME = "defect-mobilenetv2";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theLineRunsOnlyWhatItsHistoryShowsFromFreshInstallToRevokedKey() throws Exception {
        Path work = Files.createTempDirectory("lifecycle");
        Path keys = Files.createDirectories(work.resolve("keys"));
        ItPackages.sign("keygen", keys.toString(), "it-key");
        Path v021 = ItPackages.signedPackage(work, "0.2.1", keys);
        Path failing = ItPackages.copyShipped(work.resolve("defect-mobilenetv2-0.9.9"), "0.9.9");
        Path card = failing.resolve("model.json");
        Files.writeString(card, Files.readString(card).replace("\"minAccuracy\": 0.95", "\"minAccuracy\": 1.01"));
        ItPackages.sign(failing.toString(), keys.resolve("it-key.key").toString(), "--zip",
                ItPackages.zip(failing).toString());

        try (RuntimeProcess runtime = new RuntimeProcess("lifecycle")) {
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            int plcPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            Files.writeString(runtime.config("io.linesight.web.cfg"), "tokens=it:" + ItPackages.sha256(TOKEN) + "\n",
                    StandardOpenOption.APPEND);
            Path trusted = Files.createDirectories(runtime.config("trusted-keys"));
            Files.copy(keys.resolve("it-key.pub"), trusted.resolve("it-key.pub"));
            runtime.start();
            runtime.await(() -> runtime.outputContains("Line 'default' is RUNNING"), 90, "the default line");

            // 1. Fresh install: the configured package is the first activation, stored, and a rollback target.
            runtime.await(() -> !Rest.array(runtime, "/api/lines/default/history").isEmpty(), 30, "the first entry");
            List<JsonObject> history = Rest.array(runtime, "/api/lines/default/history");
            assertEquals(1, history.size(), history.toString());
            assertEquals("config", history.get(0).get("actor").getAsString());
            assertEquals(NAME + "@0.2.0", history.get(0).get("model").getAsString());
            assertEquals("ACTIVE", stateOf(runtime, "0.2.0"), Rest.get(runtime, "/api/models"));
            HttpResponse<String> pushed = push(runtime, ItPackages.zip(v021));
            assertEquals(200, pushed.statusCode(), pushed.body());
            assertEquals("0.2.1", runningVersion(runtime));
            HttpResponse<String> back = post(runtime, "/api/lines/default/rollback", "{\"reason\":\"it: back to shipped\"}");
            assertEquals(200, back.statusCode(), back.body());
            assertEquals("0.2.0", runningVersion(runtime), "rollback to the configured package on a fresh install");

            // 2. A package that fails its gate is refused, and the repository says so.
            HttpResponse<String> refused = push(runtime, ItPackages.zip(failing));
            assertEquals(422, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("failed its gate"), refused.body());
            assertEquals("REFUSED", stateOf(runtime, "0.9.9"));
            assertTrue(model(runtime, "0.9.9").get("stateDetail").getAsString().contains("BELOW minimum"),
                    model(runtime, "0.9.9").toString());
            assertEquals("0.2.0", runningVersion(runtime), "the line keeps its model");

            // 3. Editing model.package is an activation like any other.
            Path edited = ItPackages.copyShipped(work.resolve("edited-0.2.5"), "0.2.5");
            runtime.set("io.linesight.line-default.cfg", "model.package", edited.toString());
            runtime.await(() -> "0.2.5".equals(runningVersion(runtime)), 90, "the edited file's model on the line");
            // the line takes the model a moment before the deployment appends (and forces to disk) the entry
            runtime.await(() -> lastModel(runtime).equals(NAME + "@0.2.5"), 30, "the edit's history entry");
            JsonObject fromFile = last(Rest.array(runtime, "/api/lines/default/history"));
            assertEquals("config", fromFile.get("actor").getAsString());
            assertEquals("model.package=" + edited, fromFile.get("reason").getAsString());

            // 4. Back to the signed 0.2.1, then its key is removed while the runtime is down.
            HttpResponse<String> activated = post(runtime, "/api/lines/default/activate",
                    "{\"name\":\"" + NAME + "\",\"version\":\"0.2.1\",\"reason\":\"it\"}");
            assertEquals(200, activated.statusCode(), activated.body());
            assertEquals("0.2.1", runningVersion(runtime));
            assertEquals(0, runtime.terminate(20));
            Files.delete(trusted.resolve("it-key.pub"));

            int before = runtime.output().size();
            runtime.start();
            runtime.await(() -> "0.2.5".equals(runningVersion(runtime)), 90, "the fallback to 0.2.5 after the restart");
            runtime.await(() -> lastModel(runtime).equals(NAME + "@0.2.5"), 30, "the fallback's history entry");
            List<JsonObject> after = Rest.array(runtime, "/api/lines/default/history");
            JsonObject refusal = after.get(after.size() - 2);
            JsonObject fallback = after.get(after.size() - 1);
            assertEquals("refused", refusal.get("action").getAsString(), after.toString());
            assertEquals(NAME + "@0.2.1", refusal.get("model").getAsString());
            assertTrue(refusal.getAsJsonObject("gate").get("detail").getAsString().contains("key 'it-key'"),
                    refusal.toString());
            assertEquals("restore", fallback.get("action").getAsString());
            assertEquals(NAME + "@0.2.5", fallback.get("model").getAsString());
            runtime.await(() -> Rest.array(runtime, "/api/alarms").stream().anyMatch(a ->
                    "MODEL_TRUST_REVOKED".equals(a.get("kind").getAsString())
                            && a.get("message").getAsString().contains(NAME + "@0.2.1")
                            && a.get("message").getAsString().contains("it-key")), 30, "the MODEL_TRUST_REVOKED alarm");
            List<String> afterRestart = runtime.output().subList(before, runtime.output().size());
            assertFalse(afterRestart.stream().anyMatch(l -> l.contains("model " + NAME + ":0.2.1 active")),
                    "the untrusted model never ran again");
            assertEquals(0, runtime.terminate(20));
        }
    }

    private HttpResponse<String> push(RuntimeProcess runtime, Path zip) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + runtime.httpPort() + "/api/models?activate=default&reason=it");
        return http.send(ItPackages.put(uri, zip, TOKEN, "application/zip"), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(RuntimeProcess runtime, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The version of the model line default runs now, or "" (no model, or the runtime not up). */
    private static String runningVersion(RuntimeProcess runtime) {
        String body = Rest.get(runtime, "/api/lines/default");
        if (body.isEmpty()) {
            return "";
        }
        JsonObject line = JsonParser.parseString(body).getAsJsonObject();
        return line.get("model").isJsonNull() ? "" : line.getAsJsonObject("model").get("version").getAsString();
    }

    private static JsonObject model(RuntimeProcess runtime, String version) {
        return Rest.array(runtime, "/api/models").stream()
                .filter(m -> m.get("id").getAsString().equals(NAME + "@" + version)).findFirst()
                .orElseThrow(() -> new AssertionError(version + " not listed: " + Rest.get(runtime, "/api/models")));
    }

    private static String stateOf(RuntimeProcess runtime, String version) {
        return model(runtime, version).get("state").getAsString();
    }

    private static String lastModel(RuntimeProcess runtime) {
        List<JsonObject> history = Rest.array(runtime, "/api/lines/default/history");
        return history.isEmpty() ? "" : last(history).get("model").getAsString();
    }

    private static JsonObject last(List<JsonObject> list) {
        return list.get(list.size() - 1);
    }
}
