package io.linesight.api.deploy;

/**
 * Where a stored version stands, computed from the repository and the activation history of every line (lines
 * that are not running now included). {@link StoredModel#stateDetail()} says more for each state.
 */
public enum ModelState {
    /** Stored and verified; never active on a line, not refused. */
    STORED,
    /** Its last gate failed, or its last activation was refused and it was never active afterwards. */
    REFUSED,
    /** Runs beside a line's active model on the same frames without driving any output. */
    SHADOW,
    /** The active model of at least one line. */
    ACTIVE,
    /** Was active on a line once and is not now (it may still be a line's rollback target). */
    RETIRED
}
