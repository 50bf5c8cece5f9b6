package io.linesight.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What every ONNX-backed model shares: the session it owns, the reused input memory, one run per frame
 * with the tensor and result closed afterwards, and an idempotent close. Subclasses add the
 * task's pre- and post-processing around {@link #run}.
 */
abstract class OnnxModel implements LoadedModel {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final InputTensor input;
    protected final ModelCard card;
    protected final ModelInfo info;
    private volatile boolean closed;

    OnnxModel(OrtEnvironment environment, OrtSession session, InputTensor input, ModelCard card, ModelInfo info) {
        this.environment = environment;
        this.session = session;
        this.input = input;
        this.card = card;
        this.info = info;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** Refuses frames once the session is closed. */
    protected void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + info.displayName() + " is closed");
        }
    }

    /** Runs the session on one preprocessed image; returns the first output as float32. */
    protected float[] run(float[] chw) throws InferenceException {
        try (OnnxTensor tensor = input.wrap(environment, chw);
             OrtSession.Result result = session.run(Map.of(card.input().name(), tensor))) {
            return InputTensor.outputValues(result.get(0)); // batch of one: the whole output
        } catch (OrtException | ClassCastException e) {
            throw new InferenceException("model " + info.displayName() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            // Closing a session only fails if the native side is already gone; nothing to recover.
            LoggerFactory.getLogger(getClass()).warn("Closing the session of {} failed: {}", info.displayName(), e.getMessage());
        }
    }
}
