package io.linesight.api.deploy;

import java.time.Instant;

/**
 * A verified package in the local model repository.
 *
 * @param name        package name from its card
 * @param version     package version from its card
 * @param sha256      digest of the package's ONNX file
 * @param signedBy    name of the trusted key that signed it, or {@code "unsigned"}
 * @param storedAt    when it arrived
 * @param gate        the gate's result on this runtime, or null if it has not been gated yet
 * @param state       where it stands now ({@link ModelState#STORED} when the list was not computed with states)
 * @param stateDetail for {@code REFUSED} the reason; for {@code ACTIVE} and {@code SHADOW} the lines; for
 *                    {@code RETIRED} the lines it is the rollback target of, if any; else null
 */
public record StoredModel(String name, String version, String sha256, String signedBy, Instant storedAt,
                          GateReport gate, ModelState state, String stateDetail) {

    /** A package whose state is not known yet: {@link ModelState#STORED}, no detail (the 1.0 form). */
    public StoredModel(String name, String version, String sha256, String signedBy, Instant storedAt,
            GateReport gate) {
        this(name, version, sha256, signedBy, storedAt, gate, ModelState.STORED, null);
    }

    /** {@code name@version}, the form commands and methods use. */
    public String id() {
        return name + "@" + version;
    }

    /** This package in {@code newState}, with {@code detail}. */
    public StoredModel withState(ModelState newState, String detail) {
        return new StoredModel(name, version, sha256, signedBy, storedAt, gate, newState, detail);
    }
}
