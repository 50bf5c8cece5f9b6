package io.linesight.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;

/**
 * A classifier in one ONNX Runtime session: preprocess, run, softmax and top-k, as three separate
 * steps around the session. The input tensor's memory is allocated once and reused for every frame;
 * the tensor wrapping it and the run's result are closed after each frame.
 */
final class OnnxClassifier extends OnnxModel {

    private final ClassifierPreprocessor preprocessor;

    OnnxClassifier(OrtEnvironment environment, OrtSession session, InputTensor input, ModelCard card, ModelInfo info) {
        super(environment, session, input, card, info);
        this.preprocessor = new ClassifierPreprocessor(card.preprocessing(), card.input().height(), card.input().width());
    }

    @Override
    public InferenceResult infer(Frame frame) throws InferenceException {
        checkOpen();
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
}
