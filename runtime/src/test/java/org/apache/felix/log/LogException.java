package org.apache.felix.log;

/**
 * Test stand-in with the name of Felix Log's (package-private) copy of a logged exception: its
 * message is "original class name: original message".
 */
public final class LogException extends Exception {
    private static final long serialVersionUID = 1L;

    public LogException(String classAndMessage) {
        super(classAndMessage);
    }
}
