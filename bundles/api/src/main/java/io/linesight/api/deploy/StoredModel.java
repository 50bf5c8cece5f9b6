package io.linesight.api.deploy;

import java.time.Instant;

/**
 * A verified package in the local model repository.
 *
 * @param name     package name from its card
 * @param version  package version from its card
 * @param sha256   digest of the package's ONNX file
 * @param signedBy name of the trusted key that signed it, or {@code "unsigned"}
 * @param storedAt when it arrived
 * @param gate     the gate's result on this runtime, or null if it has not been gated yet
 */
public record StoredModel(String name, String version, String sha256, String signedBy, Instant storedAt,
                          GateReport gate) {

    /** {@code name@version}, the form commands and methods use. */
    public String id() {
        return name + "@" + version;
    }
}
