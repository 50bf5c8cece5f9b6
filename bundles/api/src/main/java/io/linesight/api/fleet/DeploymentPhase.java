package io.linesight.api.fleet;

/** Where a line is with a desired deployment. Every phase but the last four has a deadline. */
public enum DeploymentPhase {
    /** No desired deployment names this line. */
    NONE,
    /** Accepted, waiting for its turn (another deployment is finishing on this box). */
    PENDING,
    /** The package is being downloaded. */
    DOWNLOADING,
    /** Checking the download's digest and the package's signature. */
    VERIFYING,
    /** The acceptance gate runs on the package's golden set. */
    GATING,
    /** The candidate judges live frames beside the active model. */
    SHADOW,
    /** The candidate is the line's model; its health window is open. */
    ACTIVE,
    /** The health window closed without a broken rule. */
    HEALTHY,
    /** The deployment stopped on this line; the detail says why. The line keeps the model it had. */
    FAILED,
    /** The health window rolled the line back; the detail names the rule and the figures. */
    ROLLED_BACK
}
