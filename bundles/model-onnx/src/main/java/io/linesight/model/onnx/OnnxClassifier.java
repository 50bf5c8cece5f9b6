package io.linesight.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.util.Map;

/**
 * A classifier in one ONNX Runtime session: preprocess, run, softmax and top-k, as three separate
 * steps around the session. The input tensor's direct buffer is allocated once and reused for every
 * frame; the tensor wrapping it and the run's result are closed after each frame.
 */
final class OnnxClassifier implements LoadedModel {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelCard card;
    private final ModelInfo info;
    private final ClassifierPreprocessor preprocessor;
    private final InputTensor input;
    private volatile boolean closed;

    OnnxClassifier(OrtEnvironment environment, OrtSession session, InputTensor input, ModelCard card, ModelInfo info) {
        this.environment = environment;
        this.session = session;
        this.card = card;
        this.info = info;
        int height = card.input().height();
        int width = card.input().width();
        this.preprocessor = new ClassifierPreprocessor(card.preprocessing(), height, width);
        this.input = input;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InferenceResult infer(Frame frame) throws InferenceException {
        if (closed) {
            throw new IllegalStateException("model " + info.displayName() + " is closed");
        }
        long t0 = System.nanoTime();
        float[] chw = preprocessor.apply(frame);
        long t1 = System.nanoTime();
        float[] logits = run(chw);
        long t2 = System.nanoTime();
        float[] probabilities = card.postprocessing() == null || card.postprocessing().softmax()
                ? ClassifierPostprocessor.softmax(logits) : logits;
        int k = card.postprocessing() == null ? 1 : card.postprocessing().topK();
        var top = ClassifierPostprocessor.top(probabilities, info.labels(), k);
        long t3 = System.nanoTime();
        return new Classification(probabilities, top, t1 - t0, t2 - t1, t3 - t2);
    }

    private float[] run(float[] chw) throws InferenceException {
        try (OnnxTensor tensor = input.wrap(environment, chw);
             OrtSession.Result result = session.run(Map.of(card.input().name(), tensor))) {
            return InputTensor.outputValues(result.get(0)); // batch of one: the row is the whole output
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
            org.slf4j.LoggerFactory.getLogger(OnnxClassifier.class)
                    .warn("Closing the session of {} failed: {}", info.displayName(), e.getMessage());
        }
    }
}
