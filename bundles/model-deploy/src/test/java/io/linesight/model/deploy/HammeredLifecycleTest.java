package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.model.ModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activations, rollbacks, edits of the line's model.package and restarts of the deployment, from several threads
 * at once, with the real packages gated in ONNX Runtime. After every round the line runs exactly the model its
 * history says is active, and it never ran a model the history does not show.
 */
class HammeredLifecycleTest {

    private static final int GOLDEN = 6;
    private static final int ROUNDS = 12;
    private static final int THREADS = 4;
    private static final List<String> VERSIONS = List.of("1.0.0", "2.0.0", "3.0.0");

    @TempDir
    Path tmp;
    Fixture fx;
    private ExecutorService pool;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        fx.close();
    }

    @Test
    void theLineAlwaysRunsTheModelItsHistorySaysIsActive() throws Exception {
        List<Path> configured = List.of(fx.unsigned("0.2.0", GOLDEN), fx.unsigned("0.3.0", GOLDEN));
        ModelDeploymentService service = fx.service();
        for (String v : VERSIONS) {
            service.deploy(fx.signed(v, GOLDEN), "tester");
        }
        TestLine first = fx.line(new TestLine("A", configured.get(0)));
        service.bindLine(first);
        Fixture.await("the configured model", () -> first.model().isPresent());
        TestLine line = first;
        Set<String> ran = ConcurrentHashMap.newKeySet();
        Random random = new Random(17);
        int refusals = 0;

        for (int round = 0; round < ROUNDS; round++) {
            refusals += hammer(service, line, configured, random.nextLong());
            assertConsistent(service, line, ran, "after round " + round);
            if (round % 4 == 3) {
                fx.stop(service);
                TestLine next = random.nextBoolean() ? line : fx.line(new TestLine("A", line.configured));
                service = fx.service();
                service.bindLine(next);
                Fixture.await("the line has a model after the restart", () -> next.model().isPresent());
                assertConsistent(service, next, ran, "after the restart in round " + round);
                if (next != line) {
                    line.stop(); // the restarted runtime's line replaces it
                    ran.clear();
                    line = next;
                }
            }
        }
        List<Activation> history = service.history("A");
        long switches = history.stream().filter(a -> !"refused".equals(a.action())).count();
        assertTrue(switches > ROUNDS, "the rounds really switched models: " + switches + " switches");
        System.out.printf("hammered: %d history entries, %d switches, %d refused calls%n", history.size(), switches,
                refusals);
    }

    /** One round: every thread does one operation at the same instant; returns how many were refused. */
    private int hammer(ModelDeploymentService service, TestLine line, List<Path> configured, long seed)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Boolean>> calls = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed + t);
            calls.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return operate(service, line, configured, random);
            }));
        }
        int refused = 0;
        for (Future<Boolean> call : calls) {
            refused += call.get(120, TimeUnit.SECONDS) ? 0 : 1;
        }
        return refused;
    }

    /** Returns false when the deployment refused the operation (nothing to roll back to, a line switching). */
    private static boolean operate(ModelDeploymentService service, TestLine line, List<Path> configured, Random random) {
        try {
            switch (random.nextInt(4)) {
                case 0, 1 -> service.activate("A", NAME, VERSIONS.get(random.nextInt(VERSIONS.size())), "hammer", null);
                case 2 -> service.rollback("A", "hammer", null);
                default -> {
                    line.configured = configured.get(random.nextInt(configured.size()));
                    service.updatedLine(line);
                }
            }
            return true;
        } catch (DeploymentException e) {
            return false;
        }
    }

    private static void assertConsistent(ModelDeploymentService service, TestLine line, Set<String> ran, String when)
            throws InterruptedException {
        // configuration edits are applied on the deployment's own thread: let them finish
        Fixture.await("the line to settle " + when, () -> settled(service, line));
        String active = ActivationStack.replay(service.history("A")).active().orElseThrow();
        ModelInfo running = line.model().orElseThrow();
        assertEquals(active, running.name() + "@" + running.version(), "the line runs the active model " + when);
        StoredModel stored = service.stored().stream().filter(m -> m.id().equals(active)).findFirst().orElseThrow();
        assertEquals(stored.sha256(), running.sha256(), "the very package the history names " + when);

        Set<String> shown = service.history("A").stream().filter(a -> !"refused".equals(a.action()))
                .map(Activation::model).collect(Collectors.toSet());
        line.installed.forEach(i -> ran.add(i.info().name() + "@" + i.info().version()));
        for (String model : ran) {
            if (!shown.contains(model)) {
                fail("the line ran " + model + ", which its history never shows as switched to " + when
                        + ": " + service.history("A"));
            }
        }
    }

    /** Stable twice in a row, 150 ms apart: no activation in flight, the line on the history's model. */
    private static boolean settled(ModelDeploymentService service, TestLine line) {
        int before = service.history("A").size();
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        List<Activation> history = service.history("A");
        String active = ActivationStack.replay(history).active().orElse("");
        return history.size() == before
                && line.model().map(m -> m.name() + "@" + m.version()).orElse("").equals(active);
    }
}
