package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 5 against the real runtime: a model that passes its gate but rejects good parts on the line (its
 * card names the two outputs the wrong way round, and its gate asks for no accuracy) is rolled back by the health
 * window on its own, with a history entry naming the rule and the figures and the latching alarm MODEL_ROLLED_BACK.
 */
class HealthWindowRollbackEndToEndTest {

    private static final String TOKEN = "it-health-9d3f1b7c5e2a8046d1c9b7e5a3f1d8c2";
    private static final String NAME = "defect-mobilenetv2";

    @Test
    void aModelThatRejectsGoodPartsIsRolledBackByTheHealthWindow() throws Exception {
        Path work = Files.createTempDirectory("health-window");
        Path keys = Files.createDirectories(work.resolve("keys"));
        ItPackages.sign("keygen", keys.toString(), "it-key");
        Path swapped = ItPackages.copyShipped(work.resolve("defect-mobilenetv2-0.6.6"), "0.6.6");
        Path card = swapped.resolve("model.json");
        String text = Files.readString(card);
        String labels = text.substring(text.indexOf("\"labels\""), text.indexOf("]", text.indexOf("\"labels\"")) + 1);
        assertTrue(labels.contains("\"ok\"") && labels.contains("\"defect\""), labels);
        text = text.replace(labels, "\"labels\": [\"defect\", \"ok\"]").replace("\"minAccuracy\": 0.95", "\"minAccuracy\": 0.0");
        Files.writeString(card, text);
        ItPackages.sign(swapped.toString(), keys.resolve("it-key.key").toString(), "--zip", ItPackages.zip(swapped).toString());

        try (RuntimeProcess runtime = new RuntimeProcess("health-window")) {
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            int plcPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            // the shipped model's figures must rest on enough frames before the switch, and the reject rule judges
            // 100 frames of the new one: the shipped 500 frames would take the simulated conveyor a minute
            runtime.set("io.linesight.model.health.cfg", "baselineFrames", "100");
            Files.writeString(runtime.config("io.linesight.web.cfg"), "tokens=it:" + ItPackages.sha256(TOKEN) + "\n",
                    StandardOpenOption.APPEND);
            Path trusted = Files.createDirectories(runtime.config("trusted-keys"));
            Files.copy(keys.resolve("it-key.pub"), trusted.resolve("it-key.pub"));
            runtime.start();
            runtime.await(() -> runtime.outputContains("Line 'default' is RUNNING"), 90, "the default line");
            runtime.await(() -> inspected(runtime) >= 120, 90, "120 frames judged by the shipped model");

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI push = URI.create("http://127.0.0.1:" + runtime.httpPort() + "/api/models?activate=default&reason=it");
            HttpResponse<String> pushed = http.send(ItPackages.put(push, ItPackages.zip(swapped), TOKEN, "application/zip"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, pushed.statusCode(), pushed.body());

            runtime.await(() -> last(history(runtime)).has("actor")
                    && last(history(runtime)).get("actor").getAsString().equals("health-window"), 120,
                    "the health window's rollback");
            JsonObject rollback = last(history(runtime));
            assertEquals("rollback", rollback.get("action").getAsString());
            assertEquals(NAME + "@0.2.0", rollback.get("model").getAsString());
            assertEquals(NAME + "@0.6.6", rollback.get("previous").getAsString());
            String reason = rollback.get("reason").getAsString();
            assertTrue(reason.startsWith("health window: reject rate ") && reason.contains("x previous"), reason);
            runtime.await(() -> Rest.array(runtime, "/api/alarms").stream().anyMatch(a ->
                    "MODEL_ROLLED_BACK".equals(a.get("kind").getAsString())
                            && a.get("message").getAsString().contains(NAME + "@0.6.6")), 30, "the MODEL_ROLLED_BACK alarm");
            List<JsonObject> windows = Rest.array(runtime, "/api/health-window");
            assertTrue(windows.stream().anyMatch(w -> "ROLLED_BACK".equals(w.get("state").getAsString())), windows.toString());
            System.out.println("health window: " + reason);
            assertEquals(0, runtime.terminate(20));
        }
    }

    private static long inspected(RuntimeProcess runtime) {
        String body = Rest.get(runtime, "/api/lines/default");
        return body.isEmpty() ? 0 : com.google.gson.JsonParser.parseString(body).getAsJsonObject()
                .getAsJsonObject("counters").get("inspected").getAsLong();
    }

    private static List<JsonObject> history(RuntimeProcess runtime) {
        return Rest.array(runtime, "/api/lines/default/history");
    }

    private static JsonObject last(List<JsonObject> list) {
        return list.isEmpty() ? new JsonObject() : list.get(list.size() - 1);
    }
}
