package io.linesight.model.deploy;

import io.linesight.api.model.ModelRuntime;
import io.linesight.model.onnx.OnnxModelRuntime;
import io.linesight.model.onnx.OnnxRunnerConfig;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One test's world: a repository, a trusted key 'acme', services over them (stopped at the end), and
 * signed copies of the shipped package. Gates run in the real ONNX Runtime.
 */
final class Fixture implements AutoCloseable {

    static final String NAME = "defect-mobilenetv2";
    private static ModelRuntime onnx;

    final Path tmp;
    final Path repository;
    final Path keys;
    final KeyPair acme;
    private final List<ModelDeploymentService> services = new ArrayList<>();
    private final List<TestLine> lines = new ArrayList<>();

    Fixture(Path tmp) throws Exception {
        this.tmp = tmp;
        this.repository = tmp.resolve("repository");
        this.keys = tmp.resolve("trusted-keys");
        this.acme = TestPackages.keyPair();
        TestPackages.trust(keys, "acme", acme);
    }

    /** One ONNX Runtime runner for every test (1 intra-op thread: the machine is shared). */
    static synchronized ModelRuntime onnx() {
        if (onnx == null) {
            onnx = new OnnxModelRuntime(new OnnxRunnerConfig() {
                @Override public Class<? extends Annotation> annotationType() { return OnnxRunnerConfig.class; }
                @Override public int intraOpThreads() { return 1; }
                @Override public String optimizationLevel() { return "ALL_OPT"; }
                @Override public String executionMode() { return "SEQUENTIAL"; }
                @Override public int preprocessThreads() { return 1; }
                @Override public boolean intraOpSpinning() { return true; }
                @Override public boolean stopSpinningAfterRun() { return false; }
            });
        }
        return onnx;
    }

    /** Settings without retention (keep every version), so the sweep at start never touches a test's packages. */
    DeploySettings settings(boolean acceptUnsigned, Path drop) {
        return retention(acceptUnsigned, drop, 0, Duration.ZERO);
    }

    DeploySettings retention(boolean acceptUnsigned, Path drop, int keepVersionsPerModel, Duration refusedRetention) {
        return new DeploySettings(repository, keys, acceptUnsigned, 200L << 20, drop, 200, Duration.ofSeconds(20),
                tmp, keepVersionsPerModel, refusedRetention);
    }

    ModelDeploymentService service() {
        return service(settings(false, null));
    }

    ModelDeploymentService service(DeploySettings settings) {
        return service(settings, Clock.systemUTC());
    }

    ModelDeploymentService service(DeploySettings settings, Clock clock) {
        ModelDeploymentService service = new ModelDeploymentService(settings, onnx(), clock);
        services.add(service);
        return service;
    }

    /** Stops a service early (a restart in the middle of a test). */
    void stop(ModelDeploymentService service) {
        services.remove(service);
        service.deactivate();
    }

    TestLine line(TestLine line) {
        lines.add(line);
        return line;
    }

    /** A signed copy of the shipped package with {@code version} and its first {@code images} golden images. */
    Path signed(String version, int images) throws Exception {
        return TestPackages.sign(unsigned(version, images), "acme", acme.getPrivate());
    }

    Path unsigned(String version, int images) throws Exception {
        return TestPackages.copy(Files.createDirectories(tmp.resolve("src-" + version + "-" + System.nanoTime())),
                version, images);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        services.forEach(ModelDeploymentService::deactivate);
        lines.forEach(TestLine::stop);
    }
}
