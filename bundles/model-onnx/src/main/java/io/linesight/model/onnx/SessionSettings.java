package io.linesight.model.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;

/** Validated ONNX Runtime session settings; a bad value is refused with the property's name. */
record SessionSettings(int intraOpThreads, OrtSession.SessionOptions.OptLevel optimizationLevel,
                       OrtSession.SessionOptions.ExecutionMode executionMode) {

    static final String PID = "io.linesight.model.onnx";

    static SessionSettings from(OnnxRunnerConfig config) {
        if (config.intraOpThreads() < 0 || config.intraOpThreads() > 64) {
            throw invalid("intraOpThreads must be within 0..64, was " + config.intraOpThreads());
        }
        return new SessionSettings(config.intraOpThreads(),
                parse(OrtSession.SessionOptions.OptLevel.class, config.optimizationLevel(), "optimizationLevel"),
                parse(OrtSession.SessionOptions.ExecutionMode.class, config.executionMode(), "executionMode"));
    }

    /** New session options; the caller closes them. */
    OrtSession.SessionOptions toOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setOptimizationLevel(optimizationLevel);
        options.setExecutionMode(executionMode);
        return options;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String property) {
        try {
            return Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(property + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", was " + value);
        }
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("Invalid configuration " + PID + ": " + message);
    }
}
