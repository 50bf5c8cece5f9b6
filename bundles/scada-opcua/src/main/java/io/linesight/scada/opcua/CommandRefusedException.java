package io.linesight.scada.opcua;

/**
 * An operator command was refused or failed; carries the OPC UA status code the method call returns and
 * a sentence for the log and the line's {@code LastCommandResult}.
 */
final class CommandRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long statusCode;

    CommandRefusedException(long statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    /** One of {@link org.eclipse.milo.opcua.stack.core.StatusCodes}. */
    long statusCode() {
        return statusCode;
    }
}
