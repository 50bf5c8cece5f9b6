package io.linesight.runtime;

/** A command line the launcher cannot accept; the message says what is wrong, for the operator. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
