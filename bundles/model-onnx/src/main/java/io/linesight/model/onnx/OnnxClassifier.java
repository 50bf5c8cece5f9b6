package io.linesight.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.card.ModelCard;
import java.nio.FloatBuffer;

/**
 * A classifier in one ONNX Runtime session: preprocess, run, softmax and top-k, as separate steps around
 * the session. Input memory is allocated once per slot and reused for every frame; the tensor wrapping it
 * and the run's result are closed after each frame.
 */
final class OnnxClassifier extends OnnxModel {

    private final ClassifierPreprocessor[] preprocessors = new ClassifierPreprocessor[SLOTS];

    OnnxClassifier(OrtEnvironment environment, OrtSession session, InputTensor[] inputs, ModelCard card, ModelInfo info,
                  RowSplitter rows) {
        super(environment, session, inputs, card, info, rows);
        for (int slot = 0; slot < SLOTS; slot++) {
            preprocessors[slot] = new ClassifierPreprocessor(card.preprocessing(), card.input().height(), card.input().width());
        }
    }

    @Override
    protected Object preprocess(Frame frame, int slot, InputTensor input, RowSplitter rows) {
        preprocessors[slot].apply(frame, input.target(), rows);
        input.commit();
        return null;
    }

    @Override
    protected InferenceResult postprocess(Staged staged, FloatBuffer output, long inferenceNanos, long postStartNanos) {
        float[] logits = new float[output.limit()]; // the result keeps its own copy: the output memory is reused
        output.get(0, logits);
        float[] probabilities = card.postprocessing() == null || card.postprocessing().softmax()
                ? ClassifierPostprocessor.softmax(logits) : logits;
        int k = card.postprocessing() == null ? 1 : card.postprocessing().topK();
        var top = ClassifierPostprocessor.top(probabilities, info.labels(), k);
        return new Classification(probabilities, top, staged.preprocessNanos(), inferenceNanos,
                System.nanoTime() - postStartNanos);
    }
}
