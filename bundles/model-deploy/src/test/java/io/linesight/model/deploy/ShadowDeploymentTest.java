package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.inspection.ShadowFigures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Shadow, stop and promote through the deployment, with the real package gated in ONNX Runtime. */
class ShadowDeploymentTest {

    private static final int FEW = 12;

    @TempDir
    Path tmp;
    Fixture fx;
    ModelDeploymentService service;
    TestLine line;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        line = fx.line(new TestLine("A"));
        service.bindLine(line);
        service.activate("A", NAME, "1.0.0", "tester", "first");
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

    private List<String> actions() {
        return service.history("A").stream().map(Activation::action).toList();
    }

    @Test
    void aShadowIsGatedAndRecordedAPromotionIsAnActivationNamingTheFiguresAndRollbackUndoesIt() throws Exception {
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        Activation shadow = service.shadow("A", NAME, "2.0.0", "tester");
        assertEquals("shadow", shadow.action());
        assertEquals(NAME + "@2.0.0", shadow.model());
        assertEquals(NAME + "@1.0.0", shadow.previous());
        assertTrue(shadow.gate().passed() && shadow.gate().images() == FEW, shadow.gate().toString());
        assertTrue(shadow.gate().detail().startsWith("signature: key 'acme' trusted now"), shadow.gate().detail());
        assertEquals("2.0.0", line.candidate.info().version(), "the gated instance is the line's candidate");
        assertEquals(List.of("1.0.0"), line.installed.stream().map(i -> i.info().version()).toList(),
                "the active model did not change");
        assertEquals(Optional.of(fx.repository.resolve(NAME + "/1.0.0")), service.activePackage("A"),
                "a shadow entry does not move the history's active model");
        refused(Reason.INVALID_STATE, () -> service.shadow("A", NAME, "1.0.0", "tester")); // the active one

        line.shadowFrames = 120;
        Activation promoted = service.promote("A", "tester");
        assertEquals("activate", promoted.action());
        assertEquals(NAME + "@2.0.0", promoted.model());
        assertEquals(NAME + "@1.0.0", promoted.previous());
        assertTrue(promoted.reason().startsWith("promoted from shadow: 120 frames judged (0 skipped), verdict agreement"
                + " 100.00 %"), promoted.reason());
        assertTrue(promoted.reason().contains("latency p95 13.0 ms vs 12.0 ms active") && promoted.reason()
                .contains("; rule met (frames >= 100)"), promoted.reason());
        assertEquals(List.of("1.0.0", "2.0.0"), line.installed.stream().map(i -> i.info().version()).toList());
        assertEquals(ShadowFigures.State.PROMOTED, line.shadow().orElseThrow().state());
        assertEquals(List.of("activate", "shadow", "activate"), actions());

        Activation back = service.rollback("A", "tester", "worse on the line");
        assertEquals(NAME + "@1.0.0", back.model());
        assertEquals("1.0.0", line.model().orElseThrow().version());
        refused(Reason.INVALID_STATE, () -> service.promote("A", "tester")); // the trial ended with the promotion
    }

    @Test
    void aCandidateFailingItsGateIsRefusedAndNeverReachesTheLine() throws Exception {
        Path pkg = fx.unsigned("2.0.0", FEW);
        TestPackages.gate(pkg, "minAccuracy", 1.01);
        service.deploy(TestPackages.sign(pkg, "acme", fx.acme.getPrivate()), "tester");
        String message = refused(Reason.GATE_FAILED, () -> service.shadow("A", NAME, "2.0.0", "tester")).getMessage();
        assertTrue(message.contains("failed its gate") && message.contains("keeps " + NAME + "@1.0.0"), message);
        assertNull(line.candidate);
        assertEquals(List.of("activate", "refused"), actions());
        refused(Reason.INVALID_STATE, () -> service.promote("A", "tester"));
    }

    @Test
    void stopEndsTheTrialAndClosesTheCandidateAndALineThatRefusesIsRecorded() throws Exception {
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        refused(Reason.INVALID_STATE, () -> service.stopShadow("A", "tester"));
        service.shadow("A", NAME, "2.0.0", "tester");
        ShadowFigures stopped = service.stopShadow("A", "tester");
        assertEquals(ShadowFigures.State.STOPPED, stopped.state());
        assertEquals("stopped by tester", stopped.stopReason());
        String message = refused(Reason.INVALID_STATE, () -> service.promote("A", "tester")).getMessage();
        assertTrue(message.contains("its last trial (" + NAME + ":2.0.0) is STOPPED: stopped by tester"), message);
        refused(Reason.NOT_FOUND, () -> service.shadow("B", NAME, "2.0.0", "tester"));

        line.refusal = "knows none of the reject labels [scratch]";
        message = refused(Reason.INVALID_STATE, () -> service.shadow("A", NAME, "2.0.0", "tester")).getMessage();
        assertTrue(message.contains("cannot run " + NAME + "@2.0.0 in shadow"), message);
        assertEquals(List.of("activate", "shadow", "refused"), actions());
    }

    @Test
    void theRulePromotesOnItsOwnWhenTheLineAllowsIt() throws Exception {
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        service.shadow("A", NAME, "2.0.0", "tester");
        line.autoPromote = true;
        Thread.sleep(1500);
        assertEquals(1, line.installed.size(), "not before the rule holds");
        line.shadowFrames = 100;
        Fixture.await("the automatic promotion", () -> line.installed.size() == 2);
        // the line takes the model a moment before the deployment appends the history entry
        Fixture.await("the promotion recorded", () -> "activate".equals(
                service.history("A").get(service.history("A").size() - 1).action()));
        Activation last = service.history("A").get(service.history("A").size() - 1);
        assertEquals("activate", last.action());
        assertEquals("shadow-rule", last.actor());
        assertEquals(NAME + "@2.0.0", last.model());
    }
}
