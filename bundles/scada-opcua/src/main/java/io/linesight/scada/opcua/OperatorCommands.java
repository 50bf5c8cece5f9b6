package io.linesight.scada.opcua;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.inspection.InspectionLine;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

/**
 * The line methods carried out on the runtime's services: {@link InspectionLine#resetCounters()} and the
 * {@link ModelDeployment}. Both services may come and go at any time, so they are looked up per call.
 * Refusals of the deployment map to status codes: NOT_FOUND to Bad_NotFound, NOT_TRUSTED to
 * Bad_SecurityChecksFailed, GATE_FAILED to Bad_RequestNotAllowed, INVALID_STATE to Bad_InvalidState,
 * FAILED to Bad_InternalError; no deployment service at all is Bad_ResourceUnavailable.
 */
final class OperatorCommands implements LineCommands {

    private final Function<String, Optional<InspectionLine>> lines;
    private final Supplier<Optional<ModelDeployment>> deployment;

    OperatorCommands(Function<String, Optional<InspectionLine>> lines, Supplier<Optional<ModelDeployment>> deployment) {
        this.lines = lines;
        this.deployment = deployment;
    }

    @Override
    public String resetCounters(String lineId, ScadaUser user) throws CommandRefusedException {
        InspectionLine line = lines.apply(lineId).orElseThrow(() -> new CommandRefusedException(StatusCodes.Bad_NotFound,
                "line '" + lineId + "' is not running (no InspectionLine service), so it has no counters to reset"));
        try {
            line.resetCounters();
        } catch (RuntimeException e) {
            throw new CommandRefusedException(StatusCodes.Bad_InternalError, "line '" + lineId
                    + "' could not reset its counters: " + e.getMessage());
        }
        return "counters of line '" + lineId + "' reset by " + user.name();
    }

    @Override
    public String activateModel(String lineId, String name, String version, ScadaUser user)
            throws CommandRefusedException {
        try {
            Activation done = deployment().activate(lineId, name, version, user.actor(), "OPC UA method ActivateModel");
            return "line '" + lineId + "' runs " + done.model() + (done.previous() == null ? "" : " (was " + done.previous() + ")")
                    + ", activated by " + user.name();
        } catch (DeploymentException e) {
            throw refused(e);
        }
    }

    @Override
    public String rollbackModel(String lineId, ScadaUser user) throws CommandRefusedException {
        try {
            Activation done = deployment().rollback(lineId, user.actor(), "OPC UA method RollbackModel");
            return "line '" + lineId + "' rolled back to " + done.model() + ", by " + user.name();
        } catch (DeploymentException e) {
            throw refused(e);
        }
    }

    @Override
    public String removeModel(String name, String version, ScadaUser user) throws CommandRefusedException {
        try {
            StoredModel removed = deployment().remove(name, version, user.actor());
            return "model " + removed.id() + " (" + removed.state().name().toLowerCase(java.util.Locale.ROOT)
                    + ") removed by " + user.name();
        } catch (DeploymentException e) {
            throw refused(e);
        }
    }

    @Override
    public String shadowModel(String lineId, String name, String version, ScadaUser user)
            throws CommandRefusedException {
        try {
            Activation done = deployment().shadow(lineId, name, version, user.actor());
            return "line '" + lineId + "' tries " + done.model() + " in a shadow trial beside " + done.previous()
                    + ", started by " + user.name();
        } catch (DeploymentException e) {
            throw refused(e);
        }
    }

    @Override
    public String stopShadow(String lineId, ScadaUser user) throws CommandRefusedException {
        try {
            return "line '" + lineId + "': shadow trial stopped by " + user.name() + ": "
                    + deployment().stopShadow(lineId, user.actor()).summary();
        } catch (DeploymentException e) {
            throw refused(e);
        }
    }

    @Override
    public String promoteModel(String lineId, ScadaUser user) throws CommandRefusedException {
        try {
            Activation done = deployment().promote(lineId, user.actor());
            return "line '" + lineId + "' runs " + done.model() + " (was " + done.previous() + "), promoted from its"
                    + " shadow trial by " + user.name();
        } catch (DeploymentException e) {
            throw refused(e);
        }
    }

    private ModelDeployment deployment() throws CommandRefusedException {
        return deployment.get().orElseThrow(() -> new CommandRefusedException(StatusCodes.Bad_ResourceUnavailable,
                "the model deployment service is not running, so models cannot be activated, rolled back or removed now"));
    }

    /** The status code for a refusal of the model deployment. */
    static CommandRefusedException refused(DeploymentException e) {
        long status = switch (e.reason() == null ? DeploymentException.Reason.FAILED : e.reason()) {
            case NOT_FOUND -> StatusCodes.Bad_NotFound;
            case NOT_TRUSTED -> StatusCodes.Bad_SecurityChecksFailed;
            case GATE_FAILED -> StatusCodes.Bad_RequestNotAllowed;
            case INVALID_STATE -> StatusCodes.Bad_InvalidState;
            case FAILED -> StatusCodes.Bad_InternalError;
        };
        return new CommandRefusedException(status, e.getMessage());
    }
}
