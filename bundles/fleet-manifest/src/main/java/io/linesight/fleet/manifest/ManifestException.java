package io.linesight.fleet.manifest;

/**
 * A manifest, an envelope or a key was refused. The message is one sentence an operator can act on; the
 * {@link #reason()} lets a caller map the refusal to a status without reading the text.
 */
public class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why it was refused. */
    public enum Reason {
        /** The manifest breaks the schema: unknown or missing field, wrong type, value out of range. */
        INVALID_MANIFEST,
        /** The bytes are not a {@code linesight.signed/1} envelope (not JSON, another format, a malformed field). */
        NOT_AN_ENVELOPE,
        /** A manifest arrived without a signature. */
        UNSIGNED,
        /** The envelope names a key this runtime does not trust. */
        UNTRUSTED_KEY,
        /** The signature does not verify: the manifest or the signature was changed, or another key signed. */
        BAD_SIGNATURE,
        /** A key file or key name is unusable: unreadable, not Ed25519 PEM, or a name that is not a file name. */
        BAD_KEY
    }

    private final Reason reason;

    public ManifestException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ManifestException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why it was refused. */
    public Reason reason() {
        return reason;
    }
}
