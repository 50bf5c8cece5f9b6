package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static io.linesight.model.deploy.ModelStatesTest.assertState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.ModelState;
import io.linesight.api.deploy.StoredModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** model:remove's rules and the retention sweep, on a real repository with real gates and a clock the test moves. */
class RemovalAndRetentionTest {

    private static final int FEW = 4;

    @TempDir
    Path tmp;
    Fixture fx;
    final MutableClock clock = new MutableClock();

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static String refused(Reason reason, Executable call) {
        DeploymentException e = assertThrows(DeploymentException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e.getMessage();
    }

    private static List<String> versions(ModelDeploymentService service) {
        return service.stored().stream().map(StoredModel::version).toList();
    }

    private Path folder(String version) {
        return fx.repository.resolve(NAME).resolve(version);
    }

    @Test
    void removeRefusesActiveAndRollbackTargetAndDeletesStoredAndRetiredKeepingTheHistory() throws Exception {
        ModelDeploymentService service = fx.service();
        for (String v : List.of("1.0.0", "2.0.0", "3.0.0", "4.0.0")) {
            service.deploy(fx.signed(v, FEW), "tester");
        }
        service.bindLine(fx.line(new TestLine("A")));
        for (String v : List.of("1.0.0", "2.0.0", "3.0.0")) {
            service.activate("A", NAME, v, "tester", null);
        }
        List<Activation> history = service.history("A");

        assertTrue(refused(Reason.INVALID_STATE, () -> service.remove(NAME, "3.0.0", "tester"))
                .contains("active on line 'A'"));
        String target = refused(Reason.INVALID_STATE, () -> service.remove(NAME, "2.0.0", "tester"));
        assertEquals("Cannot remove " + NAME + "@2.0.0: it is the rollback target of line 'A'; activate another"
                + " version there first, so that a rollback no longer needs it", target);

        assertState(service, "1.0.0", ModelState.RETIRED, null);
        StoredModel retired = service.remove(NAME, "1.0.0", "tester");
        assertEquals(ModelState.RETIRED, retired.state(), "the answer is the package as it was");
        assertState(service, "4.0.0", ModelState.STORED, null);
        service.remove(NAME, "4.0.0", "tester");
        assertFalse(Files.exists(folder("1.0.0")));
        assertFalse(Files.exists(folder("4.0.0")));
        assertEquals(List.of("2.0.0", "3.0.0"), versions(service));
        assertEquals(history, service.history("A"), "the history keeps every entry");
        try (var staging = Files.list(fx.repository.resolve(ModelRepository.STAGING))) {
            assertEquals(0, staging.count(), "nothing is left behind in staging");
        }
        assertTrue(refused(Reason.NOT_FOUND, () -> service.remove(NAME, "1.0.0", "tester"))
                .startsWith("No package " + NAME + "@1.0.0 in the repository (stored: ["));
        assertTrue(refused(Reason.NOT_FOUND, () -> service.remove("..", "1.0.0", "tester")).startsWith("No package"));
        // rolling back still works: its target was kept
        assertEquals(NAME + "@2.0.0", service.rollback("A", "tester", null).model());
    }

    @Test
    void aVersionBeingActivatedCannotBeRemovedUntilTheActivationIsDone() throws Exception {
        ModelDeploymentService service = fx.service();
        service.deploy(fx.signed("1.0.0", FEW), "tester");
        TestLine line = fx.line(new TestLine("A"));
        CountDownLatch installing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        line.beforeInstall = () -> {
            installing.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        service.bindLine(line);
        CompletableFuture<Activation> activation = CompletableFuture.supplyAsync(() -> {
            try {
                return service.activate("A", NAME, "1.0.0", "tester", null);
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(installing.await(60, TimeUnit.SECONDS), "the activation reached the line");
        String message = refused(Reason.INVALID_STATE, () -> service.remove(NAME, "1.0.0", "tester"));
        assertTrue(message.contains("it is being activated on line 'A'") && message.contains("try again"), message);
        release.countDown();
        assertEquals(NAME + "@1.0.0", activation.get(60, TimeUnit.SECONDS).model());
        assertTrue(Files.exists(folder("1.0.0")));
        assertState(service, "1.0.0", ModelState.ACTIVE, "A");
    }

    @Test
    void retentionKeepsTheNewestVersionsAndWhatLinesNeedAndPurgesRefusalsAfterTheirHours() throws Exception {
        ModelDeploymentService service = fx.service(fx.retention(false, null, 2, Duration.ofHours(24)), clock);
        for (String v : List.of("1.0.0", "2.0.0", "3.0.0", "4.0.0", "5.0.0")) {
            service.deploy(fx.signed(v, FEW), "tester");
        }
        Path failing = fx.unsigned("6.0.0", FEW);
        TestPackages.gate(failing, "minAccuracy", 1.01);
        service.deploy(TestPackages.sign(failing, "acme", fx.acme.getPrivate()), "tester");
        service.bindLine(fx.line(new TestLine("A")));
        service.activate("A", NAME, "1.0.0", "tester", null);
        service.activate("A", NAME, "2.0.0", "tester", null);
        assertThrows(DeploymentException.class, () -> service.activate("A", NAME, "6.0.0", "tester", null));

        service.sweep();
        // newest two (refused 6.0.0 does not count): 5.0.0, 4.0.0; 3.0.0 goes; 2.0.0 active, 1.0.0 rollback target
        assertEquals(List.of("1.0.0", "2.0.0", "4.0.0", "5.0.0", "6.0.0"), versions(service));
        assertFalse(Files.exists(folder("3.0.0")));

        clock.advance(Duration.ofHours(23));
        service.sweep();
        assertEquals(List.of("1.0.0", "2.0.0", "4.0.0", "5.0.0", "6.0.0"), versions(service), "refused 23 h ago");
        clock.advance(Duration.ofHours(2));
        service.sweep();
        assertEquals(List.of("1.0.0", "2.0.0", "4.0.0", "5.0.0"), versions(service), "refused 25 h ago");

        // 4.0.0 takes over: 1.0.0 is no longer the rollback target, only retired and old
        service.activate("A", NAME, "4.0.0", "tester", null);
        service.sweep();
        assertEquals(List.of("2.0.0", "4.0.0", "5.0.0"), versions(service));
        assertState(service, "2.0.0", ModelState.RETIRED, "rollback target of A");
        assertEquals(4, service.history("A").size(), "history keeps the removed versions' entries");
    }

    @Test
    void zeroRetentionKeepsEverything() throws Exception {
        ModelDeploymentService service = fx.service(fx.retention(false, null, 0, Duration.ZERO), clock);
        for (String v : List.of("1.0.0", "2.0.0", "3.0.0")) {
            service.deploy(fx.signed(v, FEW), "tester");
        }
        clock.advance(Duration.ofDays(3650));
        service.sweep();
        assertEquals(List.of("1.0.0", "2.0.0", "3.0.0"), versions(service));
    }
}
