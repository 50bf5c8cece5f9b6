package io.linesight.api.model;

/**
 * A model package could not be loaded. The message names the package and says what to do; the caller
 * keeps whatever model it had before.
 */
public class ModelLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
