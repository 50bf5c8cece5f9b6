package io.linesight.fleet.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.fleet.DeploymentPhase;
import io.linesight.api.fleet.DeploymentStatus;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.watch.HealthWindowStatus;
import io.linesight.fleet.manifest.DeploymentManifest;
import io.linesight.fleet.manifest.Keys;
import io.linesight.fleet.manifest.SignedManifest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FleetAgentCore} with real signed envelopes, a real nginx serving the packages, and test doubles of the model
 * deployment, the lines and the health windows ({@link FakeRuntime}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetAgentCoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant ISSUED = Instant.parse("2026-12-08T09:00:00Z");
    private static final String LINE = "line1";

    @TempDir
    Path temp;

    private NginxServer server;
    private KeyPair key;
    private FakeRuntime runtime;
    private FleetAgentCore agent;

    @BeforeEach
    void setUp() throws Exception {
        key = Keys.generate(temp.resolve("keys"), "fleet");
        runtime = new FakeRuntime(LINE);
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void directRolloutReachesActiveThenHealthyAndIgnoresTheSameDeploymentAgain() throws Exception {
        server = NginxServer.launch();
        agent = start();
        byte[] envelope = envelope(manifest("d1", ISSUED, publish("m", "1.0", 300_000), direct()));

        agent.desiredState(envelope, "test");
        DeploymentStatus active = await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE");
        assertEquals("d1", active.deploymentId());
        assertEquals("m@1.0", active.desiredModel());
        assertEquals(List.of("deploy m@1.0 fleet:d1", "activate line1 m@1.0 fleet:d1"), runtime.deployment.calls);
        assertTrue(Files.exists(temp.resolve("state/state.json")));

        agent.desiredState(envelope, "test again (a retained message at reconnect)");
        runtime.window(LINE, "m:1.0", HealthWindowStatus.State.PASSED, "");
        DeploymentStatus healthy = await(s -> s.phase() == DeploymentPhase.HEALTHY, "HEALTHY");
        assertTrue(healthy.detail().contains("Health window passed"), healthy.detail());
        assertEquals(2, runtime.deployment.calls.size(), "the same deployment again is not applied twice");
    }

    @Test
    void aGateFailureFailsTheLineWithTheGatesReason() throws Exception {
        server = NginxServer.launch();
        agent = start();
        runtime.deployment.gateFailure = "golden-set accuracy 0.81 below the minimum 0.95";

        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "1.0", 100_000), direct())), "test");
        DeploymentStatus failed = await(s -> s.phase() == DeploymentPhase.FAILED, "FAILED");
        assertEquals("golden-set accuracy 0.81 below the minimum 0.95", failed.detail());
        assertEquals("base", runtime.lines.get(LINE).model.name(), "the line keeps its model");
    }

    @Test
    void aShadowTrialIsFollowedAndPromotedWhenTheRuleHolds() throws Exception {
        server = NginxServer.launch();
        agent = start();
        DeploymentManifest.Trial shadow = new DeploymentManifest.Trial.Shadow(100, 0.95, 1.5, 10);
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "2.0", 100_000), shadow)), "test");
        await(s -> s.phase() == DeploymentPhase.SHADOW, "SHADOW");

        FakeRuntime.FakeLine line = runtime.lines.get(LINE);
        line.shadow = FakeRuntime.figures(LINE, FakeRuntime.model("m", "2.0"), ShadowFigures.State.RUNNING, 50, 0.98,
                "");
        DeploymentStatus halfway = await(s -> s.progress() == 0.5, "half of the frames");
        assertTrue(halfway.detail().contains("98.00 %"), halfway.detail());

        line.shadow = FakeRuntime.figures(LINE, FakeRuntime.model("m", "2.0"), ShadowFigures.State.RUNNING, 120, 0.97,
                "");
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE after the promotion");
        assertTrue(runtime.deployment.calls.contains("promote line1 fleet:d1"), runtime.deployment.calls.toString());
        assertEquals("2.0", line.model.version());
    }

    @Test
    void aHealthWindowRollbackIsReportedWithItsNote() throws Exception {
        server = NginxServer.launch();
        agent = start();
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "1.0", 100_000), direct())), "test");
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE");

        runtime.window(LINE, "m:1.0", HealthWindowStatus.State.ROLLED_BACK,
                "reject rate 12.0 % above 2 x the previous 1.0 %");
        DeploymentStatus rolledBack = await(s -> s.phase() == DeploymentPhase.ROLLED_BACK, "ROLLED_BACK");
        assertEquals("reject rate 12.0 % above 2 x the previous 1.0 %", rolledBack.detail());
    }

    @Test
    void aNewerDeploymentSupersedesADownloadInProgress() throws Exception {
        server = NginxServer.launch("64k");
        agent = start();
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("big", "1.0", 4 << 20), direct())), "test");
        await(s -> s.phase() == DeploymentPhase.DOWNLOADING && s.progress() > 0, "bytes arriving");

        runtime.deployment.store("m", "2.0");
        agent.desiredState(envelope(manifest("d2", ISSUED.plusSeconds(60), server.url("none.zip"), 1000,
                "0".repeat(64), "m", "2.0", direct())), "test");
        DeploymentStatus active = await(s -> s.deploymentId().equals("d2") && s.phase() == DeploymentPhase.ACTIVE,
                "d2 ACTIVE");
        assertEquals("m@2.0", active.desiredModel());
        assertEquals(List.of("activate line1 m@2.0 fleet:d2"), runtime.deployment.calls);
        awaitTrue(() -> !Files.exists(temp.resolve("downloads/big-1.0.zip.part")), "the unwanted .part deleted");
    }

    @Test
    void staleUntrustedAndTamperedDesiredStatesAreRefusedAndOnesForOtherBoxesIgnored() throws Exception {
        server = NginxServer.launch();
        agent = start();
        URI url = publish("m", "1.0", 100_000);
        agent.desiredState(envelope(manifest("d2", ISSUED, url, direct())), "test");
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE");

        agent.desiredState(envelope(manifest("d1", ISSUED.minusSeconds(3600), url, direct())), "old");
        awaitTrue(() -> agent.refusal().contains("stale"), "the stale one refused");

        KeyPair stranger = Keys.generate(temp.resolve("other-keys"), "stranger");
        byte[] untrusted = SignedManifest.sign(manifest("d3", ISSUED.plusSeconds(60), url, direct()).toJson(),
                "stranger", stranger.getPrivate());
        agent.desiredState(untrusted, "stranger");
        awaitTrue(() -> agent.refusal().contains("does not trust"), "the untrusted one refused");

        String text = new String(envelope(manifest("d4", ISSUED.plusSeconds(60), url, direct())),
                java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"manifest\"") + 20;
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        byte[] tampered = (text.substring(0, at) + flipped + text.substring(at + 1))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        agent.desiredState(tampered, "tampered");
        awaitTrue(() -> agent.refusal().contains("signature does not verify"), "the tampered one refused");

        DeploymentManifest foreign = new DeploymentManifest("d5", ISSUED.plusSeconds(60),
                manifest("x", ISSUED, url, direct()).model(), List.of(url),
                new DeploymentManifest.Target("plant", List.of("box2"), List.of("*")), direct(),
                new DeploymentManifest.Health(100, 1, true), new DeploymentManifest.Deadlines(1, 1, 1),
                Optional.empty());
        String lastRefusal = agent.refusal();
        agent.desiredState(envelope(foreign), "another box's");
        awaitTrue(() -> agent.notForThisBox() == 1, "the one for another box seen");
        assertEquals(lastRefusal, agent.refusal(), "a desired state for another box is not a refusal");

        assertEquals("d2", status().deploymentId(), "the line still follows d2");
        assertEquals(DeploymentPhase.ACTIVE, status().phase());
    }

    @Test
    void aRestartResumesTheDownloadFromItsPartFile() throws Exception {
        server = NginxServer.launch("256k");
        agent = start();
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "1.0", 3 << 20), direct())), "test");
        await(s -> s.phase() == DeploymentPhase.DOWNLOADING && s.progress() > 0.1, "a tenth downloaded");
        agent.close();
        long kept = Files.size(temp.resolve("downloads/m-1.0.zip.part"));
        assertTrue(kept > 0, "the .part is kept");

        agent = start();
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE after the restart");
        assertEquals("d1", status().deploymentId());
        assertTrue(server.accessLog().stream().anyMatch(r -> r.rangeStart().orElse(0L) > 0),
                "the second run asked for the rest with a Range request: " + server.accessLog());
        assertEquals(List.of("deploy m@1.0 fleet:d1", "activate line1 m@1.0 fleet:d1"), runtime.deployment.calls);

        agent.close();
        agent = start();
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "still ACTIVE after a second restart, waiting for its window");
        runtime.window(LINE, "m:1.0", HealthWindowStatus.State.PASSED, "");
        await(s -> s.phase() == DeploymentPhase.HEALTHY, "HEALTHY");
        assertEquals(2, runtime.deployment.calls.size(), "nothing applied twice");
    }

    @Test
    void aHealthWindowThatNeverClosesFailsAtItsDeadline() throws Exception {
        server = NginxServer.launch();
        agent = start();
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "1.0", 100_000), direct())), "test");
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE");
        runtime.window(LINE, "m:1.0", HealthWindowStatus.State.OPEN, "");

        runtime.advance(Duration.ofMinutes(1).plus(MARGIN).plusSeconds(1));
        DeploymentStatus failed = await(s -> s.phase() == DeploymentPhase.FAILED, "FAILED at the deadline");
        assertTrue(failed.detail().contains("active") && failed.detail().contains("deadline of 2 minutes"),
                failed.detail());
    }

    @Test
    void aShadowTrialThatDoesNotMeetItsRuleInTimeIsStoppedAndFailsWithItsFigures() throws Exception {
        server = NginxServer.launch();
        agent = start();
        DeploymentManifest.Trial shadow = new DeploymentManifest.Trial.Shadow(100, 0.95, 1.5, 3);
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "2.0", 100_000), shadow)), "test");
        await(s -> s.phase() == DeploymentPhase.SHADOW, "SHADOW");
        runtime.lines.get(LINE).shadow = FakeRuntime.figures(LINE, FakeRuntime.model("m", "2.0"),
                ShadowFigures.State.RUNNING, 400, 0.90, "");
        await(s -> s.progress() == 1.0, "every frame judged, agreement too low");

        runtime.advance(Duration.ofMinutes(3).plusSeconds(1));
        DeploymentStatus failed = await(s -> s.phase() == DeploymentPhase.FAILED, "FAILED after maxMinutes");
        assertTrue(failed.detail().contains("shadow") && failed.detail().contains("3 minutes")
                && failed.detail().contains("400 frames judged"), failed.detail());
        assertTrue(runtime.deployment.calls.contains("stopShadow line1 fleet:d1"), runtime.deployment.calls.toString());
        assertEquals("base", runtime.lines.get(LINE).model.name(), "the line keeps its model");
    }

    @Test
    void aNewerDeploymentStopsTheShadowTrialTheOlderOneStarted() throws Exception {
        server = NginxServer.launch();
        agent = start();
        DeploymentManifest.Trial shadow = new DeploymentManifest.Trial.Shadow(100, 0.95, 1.5, 10);
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "2.0", 100_000), shadow)), "test");
        await(s -> s.phase() == DeploymentPhase.SHADOW, "SHADOW");

        agent.desiredState(envelope(manifest("d2", ISSUED.plusSeconds(60), publish("m", "3.0", 100_000), direct())),
                "test");
        await(s -> s.deploymentId().equals("d2") && s.phase() == DeploymentPhase.ACTIVE, "d2 ACTIVE");
        assertEquals(List.of("deploy m@2.0 fleet:d1", "shadow line1 m@2.0 fleet:d1", "stopShadow line1 fleet:d1",
                "deploy m@3.0 fleet:d2", "activate line1 m@3.0 fleet:d2"), runtime.deployment.calls);
    }

    @Test
    void aPackageTheModelDeploymentRefusesFailsAndItsZipIsDeleted() throws Exception {
        server = NginxServer.launch();
        agent = start();
        DeploymentManifest manifest = manifest("d1", ISSUED, publish("m", "1.0", 100_000), direct());
        runtime.deployment.packagesByFile.clear(); // the fake now refuses it as not a package
        agent.desiredState(envelope(manifest), "test");
        DeploymentStatus failed = await(s -> s.phase() == DeploymentPhase.FAILED, "FAILED");
        assertTrue(failed.detail().startsWith("The package m@1.0 was refused: not a package"), failed.detail());
        assertTrue(!Files.exists(temp.resolve("downloads/m-1.0.zip")), "the refused zip is deleted");
    }

    @Test
    void aPackageNoMirrorHasFailsTheLineWithTheDownloadsReason() throws Exception {
        server = NginxServer.launch();
        agent = start();
        agent.desiredState(envelope(manifest("d1", ISSUED, server.url("missing.zip"), 1000, "0".repeat(64), "m",
                "1.0", direct())), "test");
        DeploymentStatus failed = await(s -> s.phase() == DeploymentPhase.FAILED, "FAILED");
        assertTrue(failed.detail().contains("was not downloaded (unavailable)") && failed.detail().contains("404"),
                failed.detail());
    }

    @Test
    void aLineThatComesUpLaterJoinsAnAllLinesDeployment() throws Exception {
        server = NginxServer.launch();
        agent = start();
        agent.desiredState(envelope(manifest("d1", ISSUED, publish("m", "1.0", 100_000), direct())), "test");
        await(s -> s.phase() == DeploymentPhase.ACTIVE, "ACTIVE");

        runtime.lines.put("line2", new FakeRuntime.FakeLine("line2", FakeRuntime.model("base", "1.0")));
        awaitTrue(() -> runtime.deployment.calls.contains("activate line2 m@1.0 fleet:d1"), "line2 activated");
        assertEquals(1, runtime.deployment.calls.stream().filter(c -> c.startsWith("deploy")).count(),
                "the stored package is not downloaded again");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static final Duration MARGIN = Duration.ofMinutes(1);

    private FleetAgentCore start() {
        DownloadSettings download = DownloadSettings.builder().freeSpaceMarginBytes(1 << 20)
                .readTimeout(Duration.ofSeconds(10)).backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
        AgentSettings settings = new AgentSettings("plant", "box1", Keys.folder(temp.resolve("keys")),
                temp.resolve("state"), temp.resolve("downloads"), download, Duration.ofMillis(50), MARGIN, 4);
        FleetAgentCore core = new FleetAgentCore(settings, runtime);
        core.start();
        return core;
    }

    private URI publish(String name, String version, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        String file = name + "-" + version + ".zip";
        Files.write(server.root().resolve(file), bytes);
        runtime.deployment.expectPackage(file, name, version);
        published.put(name + "@" + version, bytes);
        return server.url(file);
    }

    private final java.util.Map<String, byte[]> published = new java.util.HashMap<>();

    private static DeploymentManifest.Trial direct() {
        return new DeploymentManifest.Trial.Direct();
    }

    private DeploymentManifest manifest(String id, Instant issued, URI url, DeploymentManifest.Trial trial)
            throws Exception {
        String path = url.getPath();
        String file = path.substring(path.lastIndexOf('/') + 1);
        String[] nameVersion = runtime.deployment.packagesByFile.get(file);
        byte[] bytes = published.get(nameVersion[0] + "@" + nameVersion[1]);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return manifest(id, issued, url, bytes.length, sha, nameVersion[0], nameVersion[1], trial);
    }

    private static DeploymentManifest manifest(String id, Instant issued, URI url, long size, String sha, String name,
            String version, DeploymentManifest.Trial trial) {
        return new DeploymentManifest(id, issued, new DeploymentManifest.Model(name, version, sha, size), List.of(url),
                new DeploymentManifest.Target("plant", List.of("box1"), List.of("*")), trial,
                new DeploymentManifest.Health(100, 1, true), new DeploymentManifest.Deadlines(1, 1, 1),
                Optional.empty());
    }

    private byte[] envelope(DeploymentManifest manifest) throws Exception {
        return SignedManifest.sign(manifest.toJson(), "fleet", key.getPrivate());
    }

    private DeploymentStatus status() {
        return agent.status().stream().filter(s -> s.lineId().equals(LINE)).findFirst().orElseThrow();
    }

    private DeploymentStatus await(Predicate<DeploymentStatus> condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            Optional<DeploymentStatus> match = agent.status().stream()
                    .filter(s -> s.lineId().equals(LINE) && condition.test(s)).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within " + WAIT + "; status " + agent.status() + ", refusal '"
                + agent.refusal() + "', calls " + runtime.deployment.calls);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }
}
