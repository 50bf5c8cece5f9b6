package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web dashboard in a real browser: Debian's chromium, headless, driven by playwright-core
 * ({@code src/test/node/dashboard-e2e.js}) against the built runtime. Screenshots land in
 * {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebDashboardEndToEndTest {

    private static final String TOKEN = "e2e-web-token-" + Long.toHexString(System.nanoTime());
    private static final Path NODE_DIR = RuntimeProcess.REPO.resolve("integration-tests/src/test/node");
    private static final Path GOLDEN = RuntimeProcess.REPO.resolve("models/defect-mobilenetv2/golden");

    private RuntimeProcess runtime;
    private Path screenshots;

    @BeforeAll
    void startRuntime() throws Exception {
        // The script's output is read here, never inherited: surefire talks to this JVM over its standard output,
        // and a child writing there (apt-get on a fresh machine) corrupts that channel.
        Process tools = new ProcessBuilder("bash", RuntimeProcess.REPO.resolve("scripts/ensure-test-tools.sh").toString(),
                "chromium", "playwright").redirectErrorStream(true).start();
        String toolsOutput = new String(tools.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        System.out.print(toolsOutput);
        assertTrue(tools.waitFor(15, TimeUnit.MINUTES) && tools.exitValue() == 0,
                "scripts/ensure-test-tools.sh chromium playwright failed: " + toolsOutput);
        screenshots = Files.createDirectories(Path.of("target", "screenshots")).toAbsolutePath();
        runtime = new RuntimeProcess("web");
        runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
        runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
        String plcPort = String.valueOf(RuntimeProcess.freePort());
        runtime.set("io.linesight.plc.simulator.cfg", "port", plcPort);
        runtime.set("io.linesight.plc.modbus-default.cfg", "port", plcPort);
        Files.writeString(runtime.config("io.linesight.web.cfg"), "tokens=[\"e2e:" + sha256(TOKEN) + "\"]\n");
        runtime.start();
        runtime.await(() -> get("/health/ready").statusCode() == 200, 90, "the line to be RUNNING (/health/ready)");
    }

    @AfterAll
    void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void countersMoveUploadedGoldenImageGetsItsLabelAndRollbackWithoutCredentialIsRefused() throws Exception {
        String file = "part-1-scratch.png";
        String seen = browser("dashboard", GOLDEN.resolve(file), expectedLabel(file));
        assertTrue(seen.contains("\"ok\":true"), seen);
        assertTrue(seen.contains("\"rollbackWithoutCredential\":401"), seen);
        assertTrue(seen.contains("\"nonImageMessage\":\"refused (415)"), seen);
        assertTrue(Files.size(screenshots.resolve("web-dashboard.png")) > 10_000, "dashboard screenshot");
        assertTrue(Files.size(screenshots.resolve("web-upload.png")) > 10_000, "upload screenshot");
    }

    @Test
    @Order(2)
    void metricsAndHealthAnswerInTheirFormats() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("# TYPE linesight_inspection_latency_seconds histogram"), metrics.body());
        assertTrue(Pattern.compile("(?m)^linesight_frames_inspected_total\\{line=\"default\"} [1-9]").matcher(metrics.body()).find());
        assertEquals(200, get("/health/live").statusCode());
    }

    @Test
    @Order(3)
    void theLastFrameWithItsVerdictChangesOnTheDashboard() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean frames = false;
        while (!frames && System.nanoTime() < deadline) {
            frames = get("/api/lines/default").body().contains("\"frame\":{");
            Thread.sleep(250);
        }
        assertTrue(frames, "the line hands each judged frame to the dashboard (InspectedFrameSink)");
        String seen = browser("frame", GOLDEN.resolve("part-1-scratch.png"), "defect");
        assertTrue(seen.contains("\"ok\":true"), seen);
        assertTrue(seen.contains("\"frameWidth\":320"), seen);
    }

    private String browser(String mode, Path golden, String label) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "dashboard-e2e.js", mode, "http://127.0.0.1:" + runtime.httpPort(),
                golden.toString(), label, screenshots.toString()).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(4, TimeUnit.MINUTES);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        System.out.println("[browser] " + out);
        assertTrue(done, "the browser run did not finish within 4 minutes: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The label the golden set's references give for {@code file}. */
    private static String expectedLabel(String file) throws IOException {
        List<String> lines = Files.readAllLines(GOLDEN.resolve("expected.json"));
        Pattern p = Pattern.compile("\"file\": \"" + Pattern.quote(file) + "\", \"label\": \"([^\"]+)\"");
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError(file + " not in expected.json");
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
