package io.linesight.api.deploy;

/**
 * A deployment, activation or rollback was refused. The message says what was wrong and what to do;
 * nothing changed on any line.
 */
public class DeploymentException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why it was refused, for callers that map refusals to protocol status codes. */
    public enum Reason {
        /** No such line, package or version. */
        NOT_FOUND,
        /** Signature missing or wrong, digest mismatch, malformed package. */
        NOT_TRUSTED,
        /** The package failed its gate (card check, golden-set accuracy, latency budget). */
        GATE_FAILED,
        /** Nothing to roll back to, or the request does not fit the line's state. */
        INVALID_STATE,
        /** Storage or engine failure. */
        FAILED
    }

    private final Reason reason;

    public DeploymentException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeploymentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
