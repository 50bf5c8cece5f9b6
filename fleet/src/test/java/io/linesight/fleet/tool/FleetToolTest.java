package io.linesight.fleet.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.fleet.manifest.DeploymentManifest;
import io.linesight.fleet.manifest.Keys;
import io.linesight.fleet.manifest.SignedManifest;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet tool against a real mosquitto: keys, signing, a retained desired state a box (here a Paho subscriber that
 * verifies it with the box's trust rules) finds, and the status table built from what an independent Sparkplug
 * implementation (sparkplug-payload on Node) publishes as edge nodes.
 */
class FleetToolTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FleetTool.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path manifest(String deploymentId) throws Exception {
        String text = Files.readString(Path.of("../bundles/fleet-manifest/MANIFEST-FORMAT.md"));
        int start = text.indexOf("```json\n{") + 8;
        String json = text.substring(start, text.indexOf("\n```", start)).replace("dm-2026-12-08-defect-0.3.0",
                deploymentId);
        return Files.writeString(dir.resolve(deploymentId + ".json"), json);
    }

    @Test
    void signsAndPublishesARetainedDesiredStateThatABoxVerifies() throws Exception {
        Run keygen = run("keygen", dir.resolve("keys").toString(), "plant-7");
        assertEquals(0, keygen.status, keygen.err);
        Path manifest = manifest("dm-1");
        Run signed = run("sign-manifest", "--manifest", manifest.toString(), "--key",
                dir.resolve("keys/plant-7.key").toString());
        assertEquals(0, signed.status, signed.err);
        Path envelope = dir.resolve("dm-1.signed.json");
        assertTrue(signed.out.contains("Signed deployment dm-1 (defect-mobilenetv2@0.3.0) with key 'plant-7'"),
                signed.out);

        try (MosquittoBroker broker = MosquittoBroker.launch()) {
            Run published = run("publish", "--broker", broker.tcpUrl(), "--signed", envelope.toString());
            assertEquals(0, published.status, published.err);
            assertTrue(published.out.contains("on linesight/v1/plant/desired (retained)"), published.out);
            // a box connecting later finds it, and it verifies with the public key in its trust list
            MqttClient box = new MqttClient(broker.tcpUrl(), "box-late", new MemoryPersistence());
            box.connect();
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            box.subscribe("linesight/v1/plant/desired", 1, (t, m) -> got.complete(m.getPayload()));
            byte[] received = got.get(30, TimeUnit.SECONDS);
            box.disconnect();
            box.close();
            assertArrayEquals(Files.readAllBytes(envelope), received);
            Path trusted = Files.createDirectories(dir.resolve("trusted"));
            Files.copy(dir.resolve("keys/plant-7.pub"), trusted.resolve("plant-7.pub"));
            DeploymentManifest m = SignedManifest.open(received, Keys.folder(trusted));
            assertEquals("dm-1", m.deploymentId());
        }
    }

    @Test
    void refusesToSignAnInvalidManifestAndExplainsBadCommandLines() throws Exception {
        run("keygen", dir.resolve("keys").toString(), "k");
        Path bad = Files.writeString(dir.resolve("bad.json"), Files.readString(manifest("dm-2"))
                .replace("\"size\": 12345678", "\"size\": -1"));
        Run refused = run("sign-manifest", "--manifest", bad.toString(), "--key", dir.resolve("keys/k.key").toString());
        assertEquals(1, refused.status);
        assertTrue(refused.err.contains("size"), refused.err);
        assertTrue(Files.notExists(dir.resolve("bad.signed.json")), "nothing invalid is ever signed");
        Run usage = run("publish", "--signd", "x");
        assertEquals(2, usage.status);
        assertTrue(usage.err.contains("unknown option --signd"), usage.err);
        assertEquals(2, run("deploy-everything").status);
    }

    @Test
    void statusShowsDesiredAgainstActualPerLineAndAsksForMissedBirths() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost nodes = SparkplugHost.start(broker.tcpUrl())) {
            long now = System.currentTimeMillis();
            nodes.publish("spBv1.0/plant/NBIRTH/box1", Map.of("timestamp", now, "seq", 0, "metrics", List.of(
                    SparkplugHost.metric("bdSeq", 0, "Int64", 3))), 0, false);
            nodes.publish("spBv1.0/plant/DBIRTH/box1/default", Map.of("timestamp", now, "seq", 1, "metrics", List.of(
                    SparkplugHost.metric("Model/Name", 1, "String", "defect-mobilenetv2"),
                    SparkplugHost.metric("Model/Version", 2, "String", "0.2.0"),
                    SparkplugHost.metric("Fleet/Deployment", 3, "String", "dm-1"),
                    SparkplugHost.metric("Fleet/Desired Model", 4, "String", "defect-mobilenetv2@0.3.0"),
                    SparkplugHost.metric("Fleet/Phase", 5, "String", "DOWNLOADING"),
                    SparkplugHost.metric("Fleet/Progress", 6, "Double", 0.5),
                    SparkplugHost.metric("Fleet/Detail", 7, "String", ""),
                    SparkplugHost.metric("Fleet/Since", 8, "DateTime", now))), 0, false);
            CompletableFuture<Run> status = CompletableFuture.supplyAsync(() -> run("status", "--broker",
                    broker.tcpUrl(), "--group", "plant", "--seconds", "4"));
            Thread.sleep(1_500);
            // data by alias only: the status tool learned the aliases from... no birth, so it asks box1 for a rebirth
            nodes.publish("spBv1.0/plant/DDATA/box1/default", Map.of("timestamp", now, "seq", 2, "metrics", List.of(
                    Map.of("alias", 5, "type", "String", "value", "ACTIVE"))), 0, false);
            nodes.await(m -> m.topic().equals("spBv1.0/plant/NCMD/box1")
                    && m.metric("Node Control/Rebirth").map(x -> x.asBoolean()).orElse(false), Duration.ofSeconds(10));
            // box1 answers the rebirth
            nodes.publish("spBv1.0/plant/NBIRTH/box1", Map.of("timestamp", now, "seq", 0, "metrics", List.of(
                    SparkplugHost.metric("bdSeq", 0, "Int64", 3))), 0, false);
            nodes.publish("spBv1.0/plant/DBIRTH/box1/default", Map.of("timestamp", now, "seq", 1, "metrics", List.of(
                    SparkplugHost.metric("Model/Name", 1, "String", "defect-mobilenetv2"),
                    SparkplugHost.metric("Model/Version", 2, "String", "0.3.0"),
                    SparkplugHost.metric("Fleet/Deployment", 3, "String", "dm-1"),
                    SparkplugHost.metric("Fleet/Desired Model", 4, "String", "defect-mobilenetv2@0.3.0"),
                    SparkplugHost.metric("Fleet/Phase", 5, "String", "ACTIVE"),
                    SparkplugHost.metric("Fleet/Progress", 6, "Double", 0.0),
                    SparkplugHost.metric("Fleet/Detail", 7, "String", "health window open"),
                    SparkplugHost.metric("Fleet/Since", 8, "DateTime", now))), 0, false);
            Run table = status.get(30, TimeUnit.SECONDS);
            assertEquals(0, table.status, table.err);
            assertTrue(table.out.lines().anyMatch(l -> l.startsWith("box1") && l.contains("default")
                    && l.contains("dm-1 defect-mobilenetv2@0.3.0") && l.contains("defect-mobilenetv2@0.3.0")
                    && l.contains("ACTIVE") && l.contains("health window open")), table.out);
        }
    }
}
