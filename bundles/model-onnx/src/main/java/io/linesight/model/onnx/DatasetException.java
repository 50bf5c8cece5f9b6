package io.linesight.model.onnx;

/** A dataset folder that cannot be evaluated at all; the message names the path and the problem. */
final class DatasetException extends Exception {

    private static final long serialVersionUID = 1L;

    DatasetException(String message) {
        super(message);
    }
}
