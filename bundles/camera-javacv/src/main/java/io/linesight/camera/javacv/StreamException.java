package io.linesight.camera.javacv;

/**
 * A camera stream could not be opened or read. The message says what happened in words an OT engineer
 * can act on (never with credentials), the hint what to do about it.
 */
final class StreamException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String hint;

    StreamException(String problem, String hint) {
        super(problem);
        this.hint = hint == null ? "" : hint;
    }

    StreamException(String problem, String hint, Throwable cause) {
        this(problem, hint);
        initCause(cause);
    }

    /** What to do, or empty. */
    String hint() {
        return hint;
    }

    /** Problem and hint in one sentence. */
    String detail() {
        return hint.isEmpty() ? getMessage() : getMessage() + "; " + hint;
    }
}
