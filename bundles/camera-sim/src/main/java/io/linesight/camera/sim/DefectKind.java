package io.linesight.camera.sim;

/** The flaws the simulated conveyor paints on a part, as an inspection dataset would label them. */
public enum DefectKind {
    /** The part is good. */
    NONE,
    /** Dark thin lines across the plate. */
    SCRATCH,
    /** A brownish blot (oil, rust). */
    STAIN,
    /** One of the four holes was never punched. */
    MISSING_HOLE,
    /** A shaded hollow with a bright rim. */
    DENT;

    /** The class label a model is trained to give: {@code ok} or {@code defect}. */
    public String label() {
        return this == NONE ? "ok" : "defect";
    }
}
