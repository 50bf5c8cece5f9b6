package io.linesight.api.model;

/** A loaded model failed on one frame. The frame is counted as dropped with cause "inference error". */
public class InferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
