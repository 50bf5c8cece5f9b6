package io.linesight.sparkplug.journal;

/**
 * The journal could not do what was asked. The message says what happened and what to do about it.
 */
public class JournalException extends Exception {

    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
