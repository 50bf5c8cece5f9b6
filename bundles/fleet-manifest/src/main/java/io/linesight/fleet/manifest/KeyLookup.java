package io.linesight.fleet.manifest;

import java.security.PublicKey;
import java.util.Optional;

/**
 * The public keys a runtime trusts, by key name. {@link Keys#folder} reads them from a trusted-keys folder at
 * every lookup; a test or a tool may pass a lambda.
 */
@FunctionalInterface
public interface KeyLookup {

    /**
     * The trusted Ed25519 public key called {@code keyName}, or empty when that key is not trusted.
     *
     * @throws ManifestException BAD_KEY when the key is there but unusable (a damaged key file): that is
     *         not the same as "not trusted", and the operator must hear which file to replace
     */
    Optional<PublicKey> find(String keyName) throws ManifestException;

    /** Where an operator puts a public key to trust it, as said in refusals; a folder path ends in '/'. */
    default String location() {
        return "config/trusted-keys/";
    }
}
