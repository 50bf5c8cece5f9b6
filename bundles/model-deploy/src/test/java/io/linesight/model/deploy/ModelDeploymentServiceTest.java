package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Deploy, gate, activate, record, roll back and restore with the real package in ONNX Runtime. */
class ModelDeploymentServiceTest {

    /** Golden images in most copies: enough to measure, few enough to keep the module's tests short. */
    private static final int FEW = 12;

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static DeploymentException refused(Reason reason, Executable call) {
        DeploymentException e = assertThrows(DeploymentException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void aSignedPackageIsStoredGatedOnItsWholeGoldenSetAndActivated() throws Exception {
        ModelDeploymentService service = fx.service();
        Path zip = TestPackages.zip(fx.signed("1.0.0", 0), tmp.resolve("m.zip"));
        StoredModel stored = service.deploy(zip, "tester");
        assertEquals("acme", stored.signedBy());
        assertEquals(PackageCard.read(TestPackages.SHIPPED).sha256(), stored.sha256());
        TestLine line = fx.line(new TestLine("A"));
        service.bindLine(line);
        RecordingBoard board = new RecordingBoard();
        service.bindEventBoard(board);

        Activation a = service.activate("A", NAME, "1.0.0", "tester", "first model");
        RuntimeEvent event = board.of(EventKind.MODEL_ACTIVATED).get(0);
        assertEquals("line/A", event.source());
        assertTrue(event.message().startsWith("Line 'A' now runs " + NAME + "@1.0.0 (activate by tester: first model)"),
                event.message());
        assertEquals(List.of("1.0.0"), line.installed.stream().map(i -> i.info().version()).toList());
        assertEquals("repository " + NAME + "@1.0.0", line.installed.get(0).origin());
        assertEquals(1, a.sequence());
        assertEquals("activate", a.action());
        assertNull(a.previous());
        assertTrue(a.gate().passed(), a.gate().detail());
        assertEquals(100, a.gate().images());
        assertTrue(a.gate().value() >= 0.95 && a.gate().latencyMs() > 0, a.gate().toString());
        assertEquals("signature: key 'acme' trusted now; " + service.stored().get(0).gate().detail(), a.gate().detail(),
                "the gate result is kept with the package; the record adds what was verified");
        assertTrue(Files.isRegularFile(fx.repository.resolve(NAME + "/1.0.0/gate.json")));
        io.linesight.api.deploy.GoldenOutputs golden = service.goldenOutputs(NAME, "1.0.0").orElseThrow();
        assertEquals(100, golden.topConfidence().size(), "the model's answer on every golden image is kept");
        assertTrue(golden.topConfidence().stream().allMatch(c -> c >= 0.5 && c <= 1.0), golden.toString());
        assertEquals(java.util.Set.of(0, 1), java.util.Set.copyOf(golden.topClass()), "both classes among the answers");
        assertEquals(Optional.of(fx.repository.resolve(NAME + "/1.0.0")), service.activePackage("A"));
        assertEquals(List.of(a), service.history("A"));
    }

    @Test
    void theSameVersionAgainIsANoOpButDifferentContentIsRefused() throws Exception {
        ModelDeploymentService service = fx.service();
        Path pkg = fx.signed("1.0.0", FEW);
        StoredModel first = service.deploy(pkg, "tester");
        assertEquals(first, service.deploy(pkg, "tester"));
        Path other = fx.unsigned("1.0.0", FEW);
        TestPackages.gate(other, "minAccuracy", 0.5);
        TestPackages.sign(other, "acme", fx.acme.getPrivate());
        String message = refused(Reason.INVALID_STATE, () -> service.deploy(other, "tester")).getMessage();
        assertTrue(message.contains("a version is immutable"), message);
        assertEquals(1, service.stored().size());
    }

    @Test
    void unsignedPackagesAreRefusedUnlessAcceptUnsignedIsOn() throws Exception {
        Path pkg = fx.unsigned("1.0.0", FEW);
        String message = refused(Reason.NOT_TRUSTED, () -> fx.service().deploy(pkg, "tester")).getMessage();
        assertTrue(message.contains("is not signed"), message);
        StoredModel stored = fx.service(fx.settings(true, null)).deploy(pkg, "tester");
        assertEquals("unsigned", stored.signedBy());
    }

    @Test
    void aTamperedOrWronglySignedPackageIsRefusedAndNothingIsStored() throws Exception {
        ModelDeploymentService service = fx.service(fx.settings(true, null));
        Path tampered = fx.signed("1.0.0", FEW);
        Files.write(tampered.resolve("golden/part-1-scratch.png"), new byte[] {1, 2, 3});
        String message = refused(Reason.NOT_TRUSTED, () -> service.deploy(tampered, "tester")).getMessage();
        assertTrue(message.contains("file golden/part-1-scratch.png was changed after signing"), message);

        Path forged = TestPackages.sign(fx.unsigned("1.0.1", FEW), "acme", TestPackages.keyPair().getPrivate());
        assertTrue(refused(Reason.NOT_TRUSTED, () -> service.deploy(forged, "tester")).getMessage()
                .contains("does not verify with trusted key 'acme'"));
        Path stranger = TestPackages.sign(fx.unsigned("1.0.2", FEW), "stranger", TestPackages.keyPair().getPrivate());
        assertTrue(refused(Reason.NOT_TRUSTED, () -> service.deploy(stranger, "tester")).getMessage()
                .contains("key 'stranger', which this runtime does not trust"));

        Path slip = TestPackages.zipWith(tmp.resolve("slip.zip"), "../escaped.txt", "x");
        assertTrue(refused(Reason.NOT_TRUSTED, () -> service.deploy(slip, "tester")).getMessage().contains("zip-slip"));
        assertFalse(Files.exists(fx.repository.resolve(".staging/escaped.txt")));
        assertEquals(List.of(), service.stored());
        try (var staging = Files.list(fx.repository.resolve(".staging"))) {
            assertEquals(0, staging.count(), "staging folders are cleaned up");
        }
    }

    @Test
    void aPackageBelowItsAccuracyGateIsRefusedAndTheLineKeepsItsModel() throws Exception {
        ModelDeploymentService service = fx.service();
        Path pkg = fx.unsigned("1.0.0", FEW);
        TestPackages.gate(pkg, "minAccuracy", 1.01);
        service.deploy(TestPackages.sign(pkg, "acme", fx.acme.getPrivate()), "tester");
        TestLine line = fx.line(new TestLine("A"));
        service.bindLine(line);
        RecordingBoard board = new RecordingBoard();
        service.bindEventBoard(board);

        String message = refused(Reason.GATE_FAILED, () -> service.activate("A", NAME, "1.0.0", "tester", "try"))
                .getMessage();
        assertEquals(List.of(message), board.of(EventKind.MODEL_REFUSED).stream().map(RuntimeEvent::message).toList());
        assertEquals("model/" + NAME, board.events.get(0).source());
        assertTrue(message.contains("BELOW minimum 101.0 %") && message.contains("keeps no model"), message);
        assertEquals(List.of(), line.installed);
        Activation record = service.history("A").get(0);
        assertEquals("refused", record.action());
        assertFalse(record.gate().passed());
        assertEquals(FEW, record.gate().images());
        assertFalse(service.stored().get(0).gate().passed());
        assertEquals(Optional.empty(), service.activePackage("A"));
    }

    @Test
    void aPackageOverItsLatencyBudgetIsRefused() throws Exception {
        ModelDeploymentService service = fx.service();
        Path pkg = fx.unsigned("1.0.0", FEW);
        TestPackages.gate(pkg, "latencyBudgetMs", 0.001);
        service.deploy(TestPackages.sign(pkg, "acme", fx.acme.getPrivate()), "tester");
        service.bindLine(fx.line(new TestLine("A")));
        String message = refused(Reason.GATE_FAILED, () -> service.activate("A", NAME, "1.0.0", "tester", null))
                .getMessage();
        assertTrue(message.contains("OVER budget 0.001 ms"), message);
    }

    @Test
    void aLineThatRefusesTheModelKeepsItsOwnAndTheRefusalIsRecorded() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        TestLine line = fx.line(new TestLine("A"));
        line.refusal = "model knows none of the reject labels [scratch]";
        service.bindLine(line);
        String message = refused(Reason.INVALID_STATE, () -> service.activate("A", NAME, "1.0.0", "tester", null))
                .getMessage();
        assertTrue(message.contains("none of the reject labels"), message);
        assertEquals("refused", service.history("A").get(0).action());
        refused(Reason.NOT_FOUND, () -> service.activate("B", NAME, "1.0.0", "tester", null));
        refused(Reason.NOT_FOUND, () -> service.activate("A", NAME, "9.9.9", "tester", null));
    }

    @Test
    void rollbackReturnsToThePreviousModelAndHistorySurvivesARestart() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        TestLine line = fx.line(new TestLine("A"));
        service.bindLine(line);

        service.activate("A", NAME, "1.0.0", "tester", "first");
        String nothing = refused(Reason.INVALID_STATE, () -> service.rollback("A", "tester", "oops")).getMessage();
        assertTrue(nothing.contains("nothing to roll back to"), nothing);
        service.activate("A", NAME, "2.0.0", "tester", "second");
        Activation back = service.rollback("A", "tester", "scratches missed");
        assertEquals("rollback", back.action());
        assertEquals(NAME + "@1.0.0", back.model());
        assertEquals(NAME + "@2.0.0", back.previous());
        assertEquals(List.of("1.0.0", "2.0.0", "1.0.0"), line.installed.stream().map(i -> i.info().version()).toList());
        fx.stop(service);

        ModelDeploymentService restarted = fx.service();
        List<Activation> history = restarted.history("A");
        assertEquals(List.of("activate", "activate", "rollback"), history.stream().map(Activation::action).toList());
        assertEquals(List.of(1L, 2L, 3L), history.stream().map(Activation::sequence).toList());
        assertEquals("scratches missed", history.get(2).reason());
        assertEquals(Optional.of(fx.repository.resolve(NAME + "/1.0.0")), restarted.activePackage("A"));
        assertEquals(2, restarted.stored().size());
    }

    @Test
    void aLinesConfiguredPackageIsItsFirstActivationSoRollbackWorksOnAFreshInstall() throws Exception {
        ModelDeploymentService service = fx.service();
        RecordingBoard board = new RecordingBoard();
        service.bindEventBoard(board);
        Path configured = fx.unsigned("0.2.0", FEW); // the shipped packages are unsigned: the file vouches for them
        TestLine line = fx.line(new TestLine("A", configured));
        service.bindLine(line);
        awaitHistory(service, 1); // the line takes the model a moment before the entry is appended

        Activation first = service.history("A").get(0);
        assertEquals(List.of("activate"), service.history("A").stream().map(Activation::action).toList());
        assertEquals("config", first.actor());
        assertEquals(NAME + "@0.2.0", first.model());
        assertEquals("model.package=" + configured, first.reason());
        assertTrue(first.gate().passed() && first.gate().images() == FEW, first.gate().toString());
        assertTrue(first.gate().detail().startsWith("unsigned, from the line's configuration"), first.gate().detail());
        StoredModel stored = service.stored().get(0);
        assertEquals(NAME + "@0.2.0", stored.id(), "stored in the repository, so a rollback can return to it");
        assertEquals("unsigned", stored.signedBy());

        service.deploy(fx.signed("1.0.0", FEW), "tester");
        service.activate("A", NAME, "1.0.0", "tester", "new model");
        Activation back = service.rollback("A", "tester", "back to the shipped one");
        assertEquals(NAME + "@0.2.0", back.model());
        assertEquals(List.of("0.2.0", "1.0.0", "0.2.0"), line.installed.stream().map(i -> i.info().version()).toList());
        assertTrue(line.unavailable.isEmpty(), line.unavailable.toString());
    }

    @Test
    void editingModelPackageIsAnActivationLikeAnyOtherEvenAfterADeployment() throws Exception {
        ModelDeploymentService service = fx.service();
        TestLine line = fx.line(new TestLine("A", fx.unsigned("0.2.0", FEW)));
        service.bindLine(line);
        Fixture.await("the configured model", () -> line.model().isPresent());
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        service.activate("A", NAME, "1.0.0", "tester", null);

        Path edited = fx.unsigned("0.3.0", FEW);
        line.configured = edited;
        service.updatedLine(line);
        Fixture.await("the edited file's model", () -> line.model().map(ModelInfo::version).orElse("").equals("0.3.0"));
        awaitHistory(service, 3);
        Activation last = service.history("A").get(2);
        assertEquals("config", last.actor());
        assertEquals("activate", last.action());
        assertEquals(NAME + "@1.0.0", last.previous());
        assertEquals("model.package=" + edited, last.reason());

        service.updatedLine(line); // properties changed, model.package did not: nothing to activate
        service.activate("A", NAME, "1.0.0", "tester", "a marker after the no-op");
        assertEquals(List.of("config", "tester", "config", "tester"),
                service.history("A").stream().map(Activation::actor).toList());
    }

    @Test
    void aConfiguredPackageWhoseVersionIsStoredWithOtherContentIsRefusedAndRecorded() throws Exception {
        ModelDeploymentService service = fx.service();
        RecordingBoard board = new RecordingBoard();
        service.bindEventBoard(board);
        TestLine line = fx.line(new TestLine("A", fx.unsigned("0.2.0", FEW)));
        service.bindLine(line);
        Fixture.await("the configured model", () -> line.model().isPresent());

        Path changed = fx.unsigned("0.2.0", FEW); // same version, another model file
        Files.write(changed.resolve("model.onnx"), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        line.configured = changed;
        service.updatedLine(line);
        Fixture.await("the refusal recorded", () -> service.history("A").size() == 2);
        Activation refusal = service.history("A").get(1);
        assertEquals("refused", refusal.action());
        assertEquals("config", refusal.actor());
        assertTrue(refusal.gate().detail().contains("a version is immutable"), refusal.gate().detail());
        assertEquals(List.of("0.2.0"), line.installed.stream().map(i -> i.info().version()).toList());
        Fixture.await("the refusal published", () -> !board.of(EventKind.MODEL_REFUSED).isEmpty());
        assertTrue(line.unavailable.isEmpty(), "the line keeps its model: " + line.unavailable);
    }

    @Test
    void aRestartedRuntimeVerifiesAndRestoresTheLastActivatedModelWithoutGatingItAgain() throws Exception {
        Path configured = fx.unsigned("0.2.0", FEW);
        ModelDeploymentService service = fx.service();
        service.bindLine(fx.line(new TestLine("A", configured)));
        Fixture.await("the configured model", () -> service.history("A").size() == 1);
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        service.activate("A", NAME, "2.0.0", "tester", null);
        fx.stop(service);

        TestLine line = fx.line(new TestLine("A", configured)); // a restarted line holds no model
        ModelDeploymentService restarted = fx.service();
        restarted.bindLine(line);
        Fixture.await("the line runs 2.0.0 again", () -> line.model().map(ModelInfo::version).orElse("").equals("2.0.0"));
        assertEquals(List.of("2.0.0"), line.installed.stream().map(i -> i.info().version()).toList());
        awaitHistory(restarted, 3);
        Activation restore = restarted.history("A").get(2);
        assertEquals("restore", restore.action());
        assertEquals("restore", restore.actor());
        assertTrue(restore.gate().detail().startsWith("signature: key 'acme' trusted now"), restore.gate().detail());
        assertTrue(restore.gate().detail().contains("not run again"), restore.gate().detail());
        assertEquals(NAME + "@0.2.0", restarted.rollback("A", "tester", null).model(), "the stack survives a restore");
    }

    @Test
    void aRevokedSigningKeyMakesTheLineFallBackToItsNewestTrustedModelWithAnAlarm() throws Exception {
        Path configured = fx.unsigned("0.2.0", FEW);
        ModelDeploymentService service = fx.service();
        service.bindLine(fx.line(new TestLine("A", configured)));
        Fixture.await("the configured model", () -> service.history("A").size() == 1);
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        service.activate("A", NAME, "1.0.0", "tester", null);
        fx.stop(service);
        Files.delete(fx.keys.resolve("acme.pub")); // the key is revoked while the runtime is down

        TestLine line = fx.line(new TestLine("A", configured));
        ModelDeploymentService restarted = fx.service();
        RecordingBoard board = new RecordingBoard();
        restarted.bindEventBoard(board);
        restarted.bindLine(line);
        Fixture.await("the fallback", () -> line.model().isPresent());
        awaitHistory(restarted, 4);

        assertEquals(List.of("0.2.0"), line.installed.stream().map(i -> i.info().version()).toList(),
                "1.0.0 never ran again");
        List<Activation> history = restarted.history("A");
        assertEquals(List.of("activate", "activate", "refused", "restore"),
                history.stream().map(Activation::action).toList());
        assertTrue(history.get(2).gate().detail().contains("key 'acme', which this runtime does not trust"),
                history.get(2).gate().detail());
        assertTrue(history.get(3).reason().startsWith("fallback: "), history.get(3).reason());
        RuntimeEvent alarm = board.of(EventKind.MODEL_TRUST_REVOKED).get(0);
        assertEquals("line/A", alarm.source());
        assertTrue(alarm.message().contains(NAME + "@1.0.0") && alarm.message().contains("'acme'"), alarm.message());
        refused(Reason.INVALID_STATE, () -> restarted.rollback("A", "tester", null)); // nothing below 0.2.0
        fx.stop(restarted);

        TestLine again = fx.line(new TestLine("A", configured));
        ModelDeploymentService third = fx.service();
        RecordingBoard quiet = new RecordingBoard();
        third.bindEventBoard(quiet);
        third.bindLine(again);
        Fixture.await("the restore", () -> again.model().isPresent());
        awaitHistory(third, 5);
        assertEquals("0.2.0", again.model().orElseThrow().version());
        assertTrue(quiet.of(EventKind.MODEL_TRUST_REVOKED).isEmpty(), "the fallback is history: no second alarm");
    }

    @Test
    void aLineWhoseHistoryAndConfigurationHoldNothingRunnableIsToldWhy() throws Exception {
        ModelDeploymentService service = fx.service();
        TestLine line = fx.line(new TestLine("A", tmp.resolve("no-such-package")));
        service.bindLine(line);
        Fixture.await("the line told", () -> !line.unavailable.isEmpty());
        assertTrue(line.unavailable.get(0).contains("model.package " + tmp.resolve("no-such-package") + " is not a folder"),
                line.unavailable.get(0));
        assertTrue(line.model().isEmpty());
    }

    /** The line takes a model a moment before the deployment appends its history entry: wait for the entry. */
    private static void awaitHistory(ModelDeploymentService service, int entries) throws InterruptedException {
        Fixture.await(entries + " history entries", () -> service.history("A").size() >= entries);
    }
}
