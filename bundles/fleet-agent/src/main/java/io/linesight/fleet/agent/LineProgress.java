package io.linesight.fleet.agent;

import io.linesight.api.fleet.DeploymentPhase;
import io.linesight.api.fleet.DeploymentStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** One line's place in the current deployment; touched by the agent's worker thread only. */
final class LineProgress {

    static final Set<DeploymentPhase> FINAL =
            EnumSet.of(DeploymentPhase.HEALTHY, DeploymentPhase.FAILED, DeploymentPhase.ROLLED_BACK);

    final String lineId;
    DeploymentPhase phase;
    Instant since;
    double progress;
    String detail;
    /** Whether this deployment started the line's shadow trial (and so must stop it when superseded). */
    boolean shadowStarted;

    LineProgress(String lineId, DeploymentPhase phase, Instant since, String detail) {
        this.lineId = lineId;
        this.phase = phase;
        this.since = since;
        this.detail = detail;
    }

    boolean isFinal() {
        return FINAL.contains(phase);
    }

    DeploymentStatus status(String deploymentId, String desiredModel) {
        return new DeploymentStatus(lineId, deploymentId, desiredModel, phase, progress, detail, since);
    }
}
