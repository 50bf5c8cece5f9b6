package io.linesight.api.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * The one way model packages enter the runtime and reach lines. Every method is safe to call from any
 * thread; activations of one line are serialised. A line never judges a frame with a half-loaded model:
 * the new model is loaded and gated off the hot path and swapped in between two frames.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ModelDeployment {

    /**
     * Verifies a package (a zip or a folder: signature, card, digest) and stores it in the repository by
     * name and version. Does not activate it.
     *
     * @throws DeploymentException NOT_TRUSTED for a bad signature or package, FAILED for storage errors
     */
    StoredModel deploy(Path packagePath, String actor) throws DeploymentException;

    /**
     * Every stored package, by name then version, each with its {@link ModelState} computed from the activation
     * history of every line (also of lines that are not running now).
     */
    List<StoredModel> stored();

    /**
     * Deletes the stored package {@code name@version} from the repository. The activation history is kept: it
     * still names the version. Refused while the version is needed: active on a line, in a shadow trial, a line's
     * rollback target, or being activated right now.
     *
     * @return the package as it was just before it was removed (with its state)
     * @throws DeploymentException NOT_FOUND (no such package), INVALID_STATE (needed; the message names the line
     *                             and what to do), FAILED (the folder could not be deleted)
     * @since 1.1
     */
    StoredModel remove(String name, String version, String actor) throws DeploymentException;

    /**
     * Gates {@code name@version} and, if it passes, makes it the model of line {@code lineId}.
     *
     * @throws DeploymentException NOT_FOUND (line or package), GATE_FAILED, FAILED
     */
    Activation activate(String lineId, String name, String version, String actor, String reason)
            throws DeploymentException;

    /**
     * Returns line {@code lineId} to the model it had before its current one, in one step.
     *
     * @throws DeploymentException NOT_FOUND (line), INVALID_STATE (nothing to roll back to), FAILED
     */
    Activation rollback(String lineId, String actor, String reason) throws DeploymentException;

    /** The line's activation history, oldest first. */
    List<Activation> history(String lineId);

    /**
     * The repository folder of the package last activated on line {@code lineId}, which the line loads
     * when it starts; empty when the line never had an activation (it then loads its configured package).
     */
    java.util.Optional<Path> activePackage(String lineId);
    /**
     * Verifies and gates {@code name@version} exactly as {@link #activate} does and, if it passes, runs it in a shadow
     * trial on line {@code lineId} (see {@link io.linesight.api.inspection.InspectionLine#startShadow}). Recorded in
     * the history with action {@code shadow}; the line's active model does not change.
     *
     * @throws DeploymentException NOT_FOUND (line or package), GATE_FAILED, INVALID_STATE (the line cannot run it,
     *                             or it is the active model already), FAILED
     */
    default Activation shadow(String lineId, String name, String version, String actor) throws DeploymentException {
        throw new DeploymentException(DeploymentException.Reason.FAILED, "this model deployment runs no shadow trials");
    }

    /**
     * Stops the shadow trial of line {@code lineId}.
     *
     * @return the trial's last figures
     * @throws DeploymentException NOT_FOUND (line), INVALID_STATE (no trial runs)
     */
    default io.linesight.api.inspection.ShadowFigures stopShadow(String lineId, String actor) throws DeploymentException {
        throw new DeploymentException(DeploymentException.Reason.FAILED, "this model deployment runs no shadow trials");
    }

    /**
     * Makes the candidate of line {@code lineId}'s running shadow trial its active model: an ordinary activation
     * (verified again, swapped in between two frames, recorded as {@code activate} with a reason naming the trial's
     * figures), after which the trial ends as PROMOTED.
     *
     * @throws DeploymentException NOT_FOUND (line), INVALID_STATE (no trial runs), FAILED
     */
    default Activation promote(String lineId, String actor) throws DeploymentException {
        throw new DeploymentException(DeploymentException.Reason.FAILED, "this model deployment runs no shadow trials");
    }

    /**
     * What stored model {@code name@version} answered on its golden set when its gate last passed on this runtime;
     * empty when it was never gated here (or by a runtime that did not keep them).
     */
    default java.util.Optional<GoldenOutputs> goldenOutputs(String name, String version) {
        return java.util.Optional.empty();
    }
}
