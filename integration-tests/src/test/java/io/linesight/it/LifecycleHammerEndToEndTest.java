package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, "how to show it", against the real runtime: activations, rollbacks, edits of the line's model.package,
 * shadow starts and stops from four threads at once, and a restart in the middle. After every round the line runs
 * exactly the model its history says is active, and no frame is lost: every frame the camera delivered is judged or
 * counted as dropped, no frame waits for a model once the first one runs, and no model fails on a frame.
 */
class LifecycleHammerEndToEndTest {

    private static final String TOKEN = "it-hammer-5b8e2d4f7a1c9e3b6d0f2a8c4e7b1d9f";
    private static final String NAME = "defect-mobilenetv2";
    private static final int THREADS = 4;
    private static final int ROUNDS = 8;
    /** Actions that switch the line's model; refused and shadow entries do not. */
    private static final Set<String> SWITCHES = Set.of("activate", "rollback", "restore");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** NO_MODEL drops once this run's first model was in place: frames before it had nothing to judge them. */
    private long noModelBefore;

    @Test
    void theLineRunsWhatItsHistoryShowsAndLosesNoFrameUnderConcurrentLifecycleCommands() throws Exception {
        Path work = Files.createTempDirectory("hammer");
        Path keys = Files.createDirectories(work.resolve("keys"));
        ItPackages.sign("keygen", keys.toString(), "it-key");
        List<Path> signed = List.of(ItPackages.signedPackage(work, "0.3.0", keys), ItPackages.signedPackage(work, "0.4.0", keys));
        List<Path> configured = List.of(ItPackages.copyShipped(work.resolve("cfg-0.5.0"), "0.5.0"),
                ItPackages.copyShipped(work.resolve("cfg-0.6.0"), "0.6.0"));

        try (RuntimeProcess runtime = new RuntimeProcess("hammer")) {
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            int plcPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            // the health window must not roll back on its own while the test counts what it asked for
            runtime.set("io.linesight.model.health.cfg", "healthWindowFrames", "0");
            runtime.set("io.linesight.model.health.cfg", "healthWindowMs", "0");
            Files.writeString(runtime.config("io.linesight.web.cfg"), "tokens=it:" + ItPackages.sha256(TOKEN) + "\n",
                    StandardOpenOption.APPEND);
            Path trusted = Files.createDirectories(runtime.config("trusted-keys"));
            Files.copy(keys.resolve("it-key.pub"), trusted.resolve("it-key.pub"));
            runtime.start();
            runtime.await(() -> runtime.outputContains("Line 'default' is RUNNING"), 90, "the default line");
            noModelBefore = noModelDrops(runtime);
            for (Path pkg : signed) {
                URI store = URI.create("http://127.0.0.1:" + runtime.httpPort() + "/api/models");
                HttpResponse<String> stored = http.send(ItPackages.put(store, ItPackages.zip(pkg), TOKEN, "application/zip"),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, stored.statusCode(), stored.body()); // created, not activated
            }

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            Random random = new Random(11);
            int switches = 0;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    hammer(runtime, pool, configured, random.nextLong());
                    switches = assertConsistent(runtime, "after round " + round);
                    if (round == ROUNDS / 2) {
                        assertEquals(0, runtime.terminate(30));
                        runtime.start();
                        runtime.await(() -> !runningModel(runtime).isEmpty(), 90, "a model after the restart");
                        noModelBefore = noModelDrops(runtime); // counters start again with the process
                        assertConsistent(runtime, "after the restart");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("lifecycle hammer: %d rounds of %d concurrent commands, %d model switches in the history%n",
                    ROUNDS, THREADS, switches);
            assertTrue(switches > ROUNDS, "the commands really switched models: " + switches);
            assertEquals(0, runtime.terminate(30));
        }
    }

    private void hammer(RuntimeProcess runtime, ExecutorService pool, List<Path> configured, long seed) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> calls = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed + t);
            calls.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                operate(runtime, configured, random);
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get(300, TimeUnit.SECONDS);
        }
    }

    /** One command; refusals (nothing to roll back to, no trial to stop, a line being switched) are part of the game. */
    private void operate(RuntimeProcess runtime, List<Path> configured, Random random) throws Exception {
        switch (random.nextInt(6)) {
            case 0, 1 -> post(runtime, "/api/lines/default/activate",
                    "{\"name\":\"" + NAME + "\",\"version\":\"0." + (3 + random.nextInt(2)) + ".0\"}");
            case 2 -> post(runtime, "/api/lines/default/rollback", "{}");
            case 3 -> post(runtime, "/api/lines/default/shadow",
                    "{\"name\":\"" + NAME + "\",\"version\":\"0." + (3 + random.nextInt(2)) + ".0\"}");
            case 4 -> post(runtime, "/api/lines/default/unshadow", "{}");
            default -> {
                synchronized (this) { // one writer of the line's file at a time, as an editor would be
                    runtime.set("io.linesight.line-default.cfg", "model.package",
                            configured.get(random.nextInt(configured.size())).toString());
                }
            }
        }
    }

    /** Waits until the line settled, then checks model and frames; returns the switches in the history. */
    private int assertConsistent(RuntimeProcess runtime, String when) throws InterruptedException {
        runtime.await(() -> settled(runtime), 120, "the line to run its history's active model " + when);
        List<JsonObject> history = Rest.array(runtime, "/api/lines/default/history");
        assertEquals(active(history), runningModel(runtime), "the active model of the history " + when);

        JsonObject line = JsonParser.parseString(Rest.get(runtime, "/api/lines/default")).getAsJsonObject();
        JsonObject counters = line.getAsJsonObject("counters");
        JsonObject dropped = counters.getAsJsonObject("dropped");
        long accounted = counters.get("inspected").getAsLong() + counters.get("droppedTotal").getAsLong();
        long lastSequence = line.get("last").isJsonNull() ? 0 : line.getAsJsonObject("last").get("sequence").getAsLong();
        assertTrue(accounted >= lastSequence, "every delivered frame judged or counted as dropped " + when + ": "
                + accounted + " accounted for, frame " + lastSequence + " delivered; " + counters);
        assertEquals(0, dropped.get("INFERENCE_ERROR").getAsLong(), "no model failed on a frame " + when);
        assertEquals(noModelBefore, dropped.get("NO_MODEL").getAsLong(),
                "no frame waited for a model once the first one ran, across every swap " + when + ": " + dropped);
        return (int) history.stream().filter(a -> SWITCHES.contains(a.get("action").getAsString())).count();
    }

    private static long noModelDrops(RuntimeProcess runtime) {
        String body = Rest.get(runtime, "/api/lines/default");
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("counters").getAsJsonObject("dropped")
                .get("NO_MODEL").getAsLong();
    }

    private static boolean settled(RuntimeProcess runtime) {
        List<JsonObject> before = Rest.array(runtime, "/api/lines/default/history");
        try {
            Thread.sleep(1500); // a configuration edit reaches the deployment through FileInstall's poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        List<JsonObject> after = Rest.array(runtime, "/api/lines/default/history");
        return !after.isEmpty() && after.size() == before.size() && active(after).equals(runningModel(runtime));
    }

    private static String active(List<JsonObject> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (SWITCHES.contains(history.get(i).get("action").getAsString())) {
                return history.get(i).get("model").getAsString();
            }
        }
        return "";
    }

    /** {@code name@version} line default runs now, or "". */
    private static String runningModel(RuntimeProcess runtime) {
        String body = Rest.get(runtime, "/api/lines/default");
        if (body.isEmpty()) {
            return "";
        }
        JsonObject line = JsonParser.parseString(body).getAsJsonObject();
        if (line.get("model").isJsonNull()) {
            return "";
        }
        JsonObject model = line.getAsJsonObject("model");
        return model.get("name").getAsString() + "@" + model.get("version").getAsString();
    }

    private void post(RuntimeProcess runtime, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path))
                .timeout(Duration.ofSeconds(180)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 404 || response.statusCode() == 409
                || response.statusCode() == 422, path + " " + json + " -> " + response.statusCode() + " " + response.body());
    }
}
