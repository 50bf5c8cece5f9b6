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
        assertEquals(a.gate(), service.stored().get(0).gate(), "the gate result is kept with the package");
        assertTrue(Files.isRegularFile(fx.repository.resolve(NAME + "/1.0.0/gate.json")));
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
        StoredModel stored = fx.service(fx.settings(true, null, 0)).deploy(pkg, "tester");
        assertEquals("unsigned", stored.signedBy());
    }

    @Test
    void aTamperedOrWronglySignedPackageIsRefusedAndNothingIsStored() throws Exception {
        ModelDeploymentService service = fx.service(fx.settings(true, null, 0));
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
    void aRestartedRuntimeGivesALineItsLastActivatedModelBack() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        service.bindLine(fx.line(new TestLine("A")));
        service.activate("A", NAME, "2.0.0", "tester", null);
        fx.stop(service);

        // after the restart the line loaded its configured package, an older model
        ModelInfo configured = new ModelInfo(NAME, "0.2.0", "df216f22", Task.CLASSIFY, List.of("ok", "defect"));
        TestLine line = fx.line(new TestLine("A", configured));
        ModelDeploymentService restarted = fx.service(fx.settings(false, null, 300));
        restarted.bindLine(line);
        Fixture.await("the line runs 2.0.0 again", () -> line.model().map(ModelInfo::version).orElse("").equals("2.0.0"));
        assertEquals("repository " + NAME + "@2.0.0", line.installed.get(0).origin());
        assertEquals(1, restarted.history("A").size(), "a restore is not a new activation");

        // a line with no model at all gets it once the restore wait is over
        TestLine empty = fx.line(new TestLine("A"));
        restarted.unbindLine(line);
        restarted.bindLine(empty);
        Fixture.await("the empty line gets 2.0.0", () -> empty.model().isPresent());
    }
}
