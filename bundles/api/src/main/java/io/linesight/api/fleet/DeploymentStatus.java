package io.linesight.api.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * One line's progress with the desired deployment that names it. Immutable.
 *
 * @param lineId       the line
 * @param deploymentId the desired deployment's id; empty with {@link DeploymentPhase#NONE}
 * @param desiredModel the model it wants on the line, {@code name@version}; empty with NONE
 * @param phase        where the line is
 * @param progress     0..1 within the phase where that means something (download, shadow frames), else 0
 * @param detail       why, in words: the reason of a failure or rollback, the agreement so far of a shadow trial
 * @param since        when the phase began
 */
public record DeploymentStatus(String lineId, String deploymentId, String desiredModel, DeploymentPhase phase,
                               double progress, String detail, Instant since) {
    public DeploymentStatus {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(since, "since");
        deploymentId = deploymentId == null ? "" : deploymentId;
        desiredModel = desiredModel == null ? "" : desiredModel;
        detail = detail == null ? "" : detail;
    }
}
