package io.linesight.watch;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A model deployment that keeps a history in memory and records the rollbacks asked of it (the real rollback is tested
 * in model-deploy): a rollback returns to the entry's {@code previous} model and can be held on a latch to be slow.
 */
final class RecordingDeployment implements ModelDeployment {

    record Call(String lineId, String actor, String reason) {
    }

    final List<Activation> history = new CopyOnWriteArrayList<>();
    final List<Call> rollbacks = new CopyOnWriteArrayList<>();
    final CountDownLatch rollbackEntered = new CountDownLatch(1);
    volatile CountDownLatch release;

    void activated(String model, String previous) {
        history.add(new Activation(history.size() + 1, Instant.now(), "default", model, "00", previous, "activate",
                "test", "", null));
    }

    @Override
    public io.linesight.api.deploy.StoredModel remove(String name, String version, String actor)
            throws DeploymentException {
        throw new DeploymentException(DeploymentException.Reason.NOT_FOUND, "the health window never removes models");
    }

    @Override
    public Activation rollback(String lineId, String actor, String reason) throws DeploymentException {
        rollbacks.add(new Call(lineId, actor, reason));
        rollbackEntered.countDown();
        awaitRelease();
        Activation last = history.get(history.size() - 1);
        if (last.previous() == null) {
            throw new DeploymentException(DeploymentException.Reason.INVALID_STATE, "nothing to roll back to");
        }
        Activation back = new Activation(history.size() + 1, Instant.now(), lineId, last.previous(), "00", last.model(),
                "rollback", actor, reason, null);
        history.add(back);
        return back;
    }

    private void awaitRelease() {
        CountDownLatch gate = release;
        try {
            if (gate != null && !gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the rollback");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<Activation> history(String lineId) {
        return List.copyOf(history);
    }

    @Override
    public StoredModel deploy(Path packagePath, String actor) {
        throw new UnsupportedOperationException();
    }

    /** What {@link #goldenOutputs} answers, by {@code name@version}. */
    final java.util.Map<String, io.linesight.api.deploy.GoldenOutputs> golden = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Optional<io.linesight.api.deploy.GoldenOutputs> goldenOutputs(String name, String version) {
        return java.util.Optional.ofNullable(golden.get(name + "@" + version));
    }

    @Override
    public List<StoredModel> stored() {
        return List.of();
    }

    @Override
    public Activation activate(String lineId, String name, String version, String actor, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Path> activePackage(String lineId) {
        return Optional.empty();
    }
}
