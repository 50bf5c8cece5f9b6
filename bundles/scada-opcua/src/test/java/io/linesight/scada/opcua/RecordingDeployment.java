package io.linesight.scada.opcua;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ModelDeployment that records every call ("activate line name version actor", "rollback line actor")
 * and refuses the package names listed in {@code refusals} with the given reason.
 */
final class RecordingDeployment implements ModelDeployment {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, DeploymentException.Reason> refusals;

    RecordingDeployment(Map<String, DeploymentException.Reason> refusals) {
        this.refusals = refusals;
    }

    @Override
    public Activation activate(String lineId, String name, String version, String actor, String reason)
            throws DeploymentException {
        calls.add("activate " + lineId + " " + name + " " + version + " " + actor);
        DeploymentException.Reason refusal = refusals.get(name);
        if (refusal != null) {
            throw new DeploymentException(refusal, "refused " + name + "@" + version + " for the test");
        }
        return new Activation(1, Instant.now(), lineId, name + "@" + version, "00", "old@1", "activate", actor, reason, null);
    }

    @Override
    public Activation rollback(String lineId, String actor, String reason) throws DeploymentException {
        calls.add("rollback " + lineId + " " + actor);
        DeploymentException.Reason refusal = refusals.get("rollback:" + lineId);
        if (refusal != null) {
            throw new DeploymentException(refusal, "nothing to roll back to on " + lineId);
        }
        return new Activation(2, Instant.now(), lineId, "old@1", "00", "new@2", "rollback", actor, reason, null);
    }

    @Override
    public Activation shadow(String lineId, String name, String version, String actor) throws DeploymentException {
        calls.add("shadow " + lineId + " " + name + " " + version + " " + actor);
        DeploymentException.Reason refusal = refusals.get(name);
        if (refusal != null) {
            throw new DeploymentException(refusal, "refused " + name + "@" + version + " for the test");
        }
        return new Activation(3, Instant.now(), lineId, name + "@" + version, "00", "old@1", "shadow", actor, null, null);
    }

    @Override
    public io.linesight.api.inspection.ShadowFigures stopShadow(String lineId, String actor) throws DeploymentException {
        calls.add("unshadow " + lineId + " " + actor);
        throw new DeploymentException(DeploymentException.Reason.INVALID_STATE, "line " + lineId + " runs no shadow trial");
    }

    @Override
    public Activation promote(String lineId, String actor) throws DeploymentException {
        calls.add("promote " + lineId + " " + actor);
        return new Activation(4, Instant.now(), lineId, "cand@2", "00", "old@1", "activate", actor, "promoted", null);
    }

    @Override
    public StoredModel deploy(Path packagePath, String actor) {
        throw new UnsupportedOperationException();
    }

    /** What {@link #stored()} lists. */
    volatile List<StoredModel> stored = List.of();

    @Override
    public List<StoredModel> stored() {
        return stored;
    }

    @Override
    public List<Activation> history(String lineId) {
        return List.of();
    }

    @Override
    public Optional<Path> activePackage(String lineId) {
        return Optional.empty();
    }

    @Override
    public StoredModel remove(String name, String version, String actor) throws DeploymentException {
        calls.add("remove " + name + " " + version + " " + actor);
        DeploymentException.Reason refusal = refusals.get(name);
        if (refusal != null) {
            throw new DeploymentException(refusal, "cannot remove " + name + "@" + version + " for the test");
        }
        return new StoredModel(name, version, "00", "acme", Instant.now(), null);
    }
}
