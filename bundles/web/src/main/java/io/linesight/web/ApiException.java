package io.linesight.web;

/** A request that cannot be served: the status and a message that says what to do. Never logged as a stack. */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
