package io.linesight.image;

/** Why an image cannot become a frame; the message is the reason to show people. */
public final class ImageDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that answer differently (an HTTP status, say). */
    public enum Reason {
        /** The file could not be opened or read at all. */
        UNREADABLE,
        /** No decoder recognises the bytes. */
        NOT_AN_IMAGE,
        /** A decoder recognises the format but the data is truncated or damaged. */
        CORRUPT,
        /** More pixels than the caller accepts; refused before decoding. */
        TOO_LARGE,
        /** Decoded, but in a colour space or sample layout with no agreed RGB conversion. */
        UNSUPPORTED_COLOURS
    }

    private final Reason reason;

    ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    ImageDecodeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
