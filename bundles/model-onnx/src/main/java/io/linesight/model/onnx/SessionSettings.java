package io.linesight.model.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;

/** Validated ONNX Runtime session settings; a bad value is refused with the property's name. */
record SessionSettings(int intraOpThreads, OrtSession.SessionOptions.OptLevel optimizationLevel,
                       OrtSession.SessionOptions.ExecutionMode executionMode, boolean intraOpSpinning,
                       boolean stopSpinningAfterRun, int preprocessThreads) {

    /** Settings with ONNX Runtime's spinning and preprocessing on the inference thread (the defaults). */
    SessionSettings(int intraOpThreads, OrtSession.SessionOptions.OptLevel optimizationLevel,
                    OrtSession.SessionOptions.ExecutionMode executionMode) {
        this(intraOpThreads, optimizationLevel, executionMode, true, false, 1);
    }

    static final String PID = "io.linesight.model.onnx";

    static SessionSettings from(OnnxRunnerConfig config) {
        if (config.intraOpThreads() < 0 || config.intraOpThreads() > 64) {
            throw invalid("intraOpThreads must be within 0..64, was " + config.intraOpThreads());
        }
        if (config.preprocessThreads() < 1 || config.preprocessThreads() > 8) {
            throw invalid("preprocessThreads must be within 1..8, was " + config.preprocessThreads());
        }
        return new SessionSettings(config.intraOpThreads(),
                parse(OrtSession.SessionOptions.OptLevel.class, config.optimizationLevel(), "optimizationLevel"),
                parse(OrtSession.SessionOptions.ExecutionMode.class, config.executionMode(), "executionMode"),
                config.intraOpSpinning(), config.stopSpinningAfterRun(), config.preprocessThreads());
    }

    /** New session options; the caller closes them. */
    OrtSession.SessionOptions toOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setOptimizationLevel(optimizationLevel);
        options.setExecutionMode(executionMode);
        // Spinning pool threads pick up each parallel section at once (measured 20-30 % faster runs of
        // MobileNetV2-224 and YOLOv5n-320 on 2 cores) but keep a core busy between frames; see the README.
        options.addConfigEntry("session.intra_op.allow_spinning", intraOpSpinning ? "1" : "0");
        options.addConfigEntry("session.force_spinning_stop", stopSpinningAfterRun ? "1" : "0");
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
