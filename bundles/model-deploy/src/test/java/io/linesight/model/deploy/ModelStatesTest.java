package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.ModelState;
import io.linesight.api.deploy.StoredModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state of each stored version through deploy, activate, activate, refusal and rollback, real gates. */
class ModelStatesTest {

    private static final int FEW = 4;

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

    static StoredModel of(ModelDeploymentService service, String version) {
        return service.stored().stream().filter(m -> m.version().equals(version)).findFirst()
                .orElseThrow(() -> new AssertionError(version + " is not listed: " + service.stored()));
    }

    static void assertState(ModelDeploymentService service, String version, ModelState state, String detail) {
        StoredModel m = of(service, version);
        assertEquals(state, m.state(), m.toString());
        assertEquals(detail, m.stateDetail(), m.toString());
    }

    /** Stores a copy with {@code version} whose gate demands an accuracy no model reaches. */
    void deployFailing(ModelDeploymentService service, String version) throws Exception {
        Path pkg = fx.unsigned(version, FEW);
        TestPackages.gate(pkg, "minAccuracy", 1.01);
        service.deploy(TestPackages.sign(pkg, "acme", fx.acme.getPrivate()), "tester");
    }

    @Test
    void statesFollowActivationsRefusalsAndRollbacksAndSurviveARestartWithoutTheLine() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        service.deploy(fx.signed("2.0.0", FEW), "tester");
        deployFailing(service, "3.0.0");
        for (String v : List.of("1.0.0", "2.0.0", "3.0.0")) {
            assertState(service, v, ModelState.STORED, null);
        }
        TestLine line = fx.line(new TestLine("A"));
        service.bindLine(line);

        service.activate("A", NAME, "1.0.0", "tester", null);
        assertState(service, "1.0.0", ModelState.ACTIVE, "A");
        service.activate("A", NAME, "2.0.0", "tester", null);
        assertState(service, "2.0.0", ModelState.ACTIVE, "A");
        assertState(service, "1.0.0", ModelState.RETIRED, "rollback target of A");
        assertThrows(DeploymentException.class, () -> service.activate("A", NAME, "3.0.0", "tester", null));
        StoredModel refused = of(service, "3.0.0");
        assertEquals(ModelState.REFUSED, refused.state());
        assertTrue(refused.stateDetail().contains("BELOW minimum 101.0 %"), refused.stateDetail());

        service.rollback("A", "tester", "back");
        assertState(service, "1.0.0", ModelState.ACTIVE, "A");
        assertState(service, "2.0.0", ModelState.RETIRED, null);
        assertState(service, "3.0.0", ModelState.REFUSED, refused.stateDetail());
        fx.stop(service);

        // after a restart line A is not bound (yet): its history still says what runs there
        ModelDeploymentService restarted = fx.service();
        assertState(restarted, "1.0.0", ModelState.ACTIVE, "A");
        DeploymentException e = assertThrows(DeploymentException.class, () -> restarted.remove(NAME, "1.0.0", "t"));
        assertEquals(Reason.INVALID_STATE, e.reason());
        assertEquals("Cannot remove " + NAME + "@1.0.0: it is active on line 'A'; activate another version there"
                + " first", e.getMessage());
    }

    @Test
    void aVersionInAShadowTrialIsShadowAndKept() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        service.shadowTrials(() -> Map.of(NAME + "@1.0.0", List.of("A", "B")));
        assertState(service, "1.0.0", ModelState.SHADOW, "A, B");
        DeploymentException e = assertThrows(DeploymentException.class, () -> service.remove(NAME, "1.0.0", "t"));
        assertEquals(Reason.INVALID_STATE, e.reason());
        assertTrue(e.getMessage().contains("shadow trial on line 'A', 'B'; end the trial first"), e.getMessage());
        service.shadowTrials(Map::of);
        assertState(service, "1.0.0", ModelState.STORED, null);
    }

    @Test
    void theLinesRefusalAfterAPassingGateMakesTheVersionRefusedWithTheLinesReason() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        TestLine line = fx.line(new TestLine("A"));
        line.refusal = "model knows none of the reject labels [scratch]";
        service.bindLine(line);
        assertThrows(DeploymentException.class, () -> service.activate("A", NAME, "1.0.0", "tester", null));
        StoredModel m = of(service, "1.0.0");
        assertEquals(ModelState.REFUSED, m.state());
        assertTrue(m.gate().passed(), "the gate itself passed");
        assertTrue(m.stateDetail().endsWith("the line refused it: model knows none of the reject labels [scratch]"),
                m.stateDetail());

        line.refusal = null;
        service.activate("A", NAME, "1.0.0", "tester", "labels fixed on the line");
        assertState(service, "1.0.0", ModelState.ACTIVE, "A");
    }
}
