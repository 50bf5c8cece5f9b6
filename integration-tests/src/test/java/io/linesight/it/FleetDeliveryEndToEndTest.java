package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.fleet.agent.NginxServer;
import io.linesight.fleet.tool.FleetTool;
import io.linesight.sparkplug.peer.DeviceState;
import io.linesight.sparkplug.peer.HostMetric;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, first slice: one box (the real runtime, configured for Sparkplug and fleet delivery) takes a signed desired
 * state that the fleet tool published (retained) on a real mosquitto, downloads the package from a real nginx,
 * verifies, gates and activates it through the model lifecycle, and reports HEALTHY when the health window closes;
 * the broker carries desired against actual as Sparkplug metrics, read by an independent host and by the tool's
 * status table.
 */
class FleetDeliveryEndToEndTest {

    private static final long WAIT_S = 120;

    @Test
    void aSignedDesiredStateTakesTheBoxToTheNewModelAndHealthy() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("linesight.it.work", "target/it-work"))
                .toAbsolutePath(), "fleet-");
        Path keys = Files.createDirectories(work.resolve("keys"));
        ItPackages.sign("keygen", keys.toString(), "it-key");
        Path pkg = ItPackages.signedPackage(work, "0.3.0", keys);
        Path zip = ItPackages.zip(pkg);
        try (MosquittoBroker broker = MosquittoBroker.launch();
                NginxServer nginx = NginxServer.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl());
                RuntimeProcess runtime = new RuntimeProcess("fleet")) {
            Files.copy(zip, nginx.root().resolve("defect-mobilenetv2-0.3.0.zip"));
            Path manifest = Files.writeString(work.resolve("dm-1.json"), manifest(zip,
                    nginx.url("defect-mobilenetv2-0.3.0.zip").toString()));
            assertEquals(0, tool("sign-manifest", "--manifest", manifest.toString(), "--key",
                    keys.resolve("it-key.key").toString()));

            Files.createDirectories(runtime.config("trusted-keys"));
            Files.copy(keys.resolve("it-key.pub"), runtime.config("trusted-keys/it-key.pub"));
            Files.writeString(runtime.config("io.linesight.sparkplug.cfg"), "brokers=" + broker.tcpUrl()
                    + "\ngroupId=plant\nedgeNodeId=box1\ndataIntervalMs=500\n");
            Files.writeString(runtime.config("io.linesight.fleet.cfg"), "groupId=plant\nedgeNodeId=box1\n");
            runtime.set("io.linesight.model.health.cfg", "healthWindowFrames", "100");
            runtime.set("io.linesight.model.health.cfg", "baselineFrames", "100");
            runtime.start();
            host.await(m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/default"), java.time.Duration.ofSeconds(60));
            awaitLine(host, "RUNNING", m -> "RUNNING".equals(value(m, "State")), runtime);

            assertEquals(0, tool("publish", "--broker", broker.tcpUrl(), "--signed",
                    work.resolve("dm-1.signed.json").toString()));
            long published = System.nanoTime();
            Map<String, HostMetric> active = awaitLine(host, "0.3.0 active", m -> "0.3.0".equals(value(m,
                    "Model/Version")) && List.of("ACTIVE", "HEALTHY").contains(value(m, "Fleet/Phase")), runtime);
            assertEquals("dm-1", value(active, "Fleet/Deployment"));
            long activeMs = (System.nanoTime() - published) / 1_000_000;
            Map<String, HostMetric> healthy = awaitLine(host, "HEALTHY", m -> "HEALTHY".equals(value(m, "Fleet/Phase")),
                    runtime);
            long healthyMs = (System.nanoTime() - published) / 1_000_000;
            assertEquals("defect-mobilenetv2@0.3.0", value(healthy, "Fleet/Desired Model"));
            assertTrue(nginx.accessLog().stream().anyMatch(r -> r.path().endsWith("/defect-mobilenetv2-0.3.0.zip")
                    && r.status() == 200), "the box pulled the package from the package server");

            ByteArrayOutputStream table = new ByteArrayOutputStream();
            assertEquals(0, FleetTool.run(List.of("status", "--broker", broker.tcpUrl(), "--group", "plant",
                    "--seconds", "3"), new PrintStream(table, true, StandardCharsets.UTF_8), System.err));
            String status = table.toString(StandardCharsets.UTF_8);
            assertTrue(status.lines().anyMatch(l -> l.startsWith("box1") && l.contains("default")
                    && l.contains("dm-1 defect-mobilenetv2@0.3.0") && l.contains("HEALTHY")), status);
            assertEquals(1, status.lines().filter(l -> l.equals("desired on linesight/v1/plant/desired: dm-1 ->"
                    + " defect-mobilenetv2@0.3.0 (issued " + issued + ")")).count(), status);
            assertTrue(runtime.outputContains("fleet:dm-1"), "the activation is recorded with the deployment");
            System.out.println("fleet: published -> active " + activeMs + " ms, -> healthy " + healthyMs + " ms\n"
                    + status);
        }
    }

    private static int tool(String... args) {
        return FleetTool.run(List.of(args), System.out, System.err);
    }

    private final java.time.Instant issued = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private String manifest(Path zip, String url) throws Exception {
        byte[] bytes = Files.readAllBytes(zip);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return "{\n  \"schema\": \"linesight.deployment/1\",\n  \"deploymentId\": \"dm-1\",\n"
                + "  \"issuedAt\": \"" + issued + "\",\n"
                + "  \"model\": {\"name\": \"defect-mobilenetv2\", \"version\": \"0.3.0\", \"sha256\": \"" + sha
                + "\", \"size\": " + bytes.length + "},\n  \"urls\": [\"" + url + "\"],\n"
                + "  \"target\": {\"group\": \"plant\", \"nodes\": [\"box1\"], \"lines\": [\"default\"]},\n"
                + "  \"trial\": {\"mode\": \"direct\"},\n"
                + "  \"health\": {\"windowFrames\": 100, \"windowMinutes\": 5, \"rollback\": true},\n"
                + "  \"deadlines\": {\"downloadMinutes\": 10, \"verifyMinutes\": 5, \"gateMinutes\": 5}\n}\n";
    }

    private static String value(Map<String, HostMetric> metrics, String name) {
        HostMetric m = metrics.get(name);
        return m == null ? null : m.value().getAsString();
    }

    private static Map<String, HostMetric> awaitLine(SparkplugHost host, String what,
                                                     java.util.function.Predicate<Map<String, HostMetric>> condition,
                                                     RuntimeProcess runtime) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_S * 1_000_000_000L;
        Map<String, HostMetric> now = Map.of();
        while (System.nanoTime() < deadline) {
            now = DeviceState.latest(host.messages(), "box1", "default");
            if (condition.test(now)) {
                return now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("line default never " + what + " upstream; last: State=" + value(now, "State")
                + " Model/Version=" + value(now, "Model/Version") + " Fleet/Phase=" + value(now, "Fleet/Phase")
                + " Fleet/Detail=" + value(now, "Fleet/Detail"));
    }
}
