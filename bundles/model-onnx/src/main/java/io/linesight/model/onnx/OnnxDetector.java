package io.linesight.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.card.ModelCard;
import io.linesight.api.model.card.Recipe;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * A YOLOv5 detector in one ONNX Runtime session: letterbox, run, decode + NMS, boxes back in frame
 * pixels. Like the classifier, input memory is allocated once per slot; tensors and results are closed
 * after every frame.
 */
final class OnnxDetector extends OnnxModel {

    private final LetterboxPreprocessor[] preprocessors = new LetterboxPreprocessor[SLOTS];
    private final YoloDecoder decoder;

    OnnxDetector(OrtEnvironment environment, OrtSession session, InputTensor[] inputs, ModelCard card, ModelInfo info,
                  RowSplitter rows) {
        super(environment, session, inputs, card, info, rows);
        for (int slot = 0; slot < SLOTS; slot++) {
            preprocessors[slot] = new LetterboxPreprocessor(card.preprocessing().letterbox(),
                    Recipe.named(card.preprocessing().recipe()));
        }
        ModelCard.Postprocessing post = card.postprocessing();
        this.decoder = new YoloDecoder(info.labels(), post.confidenceThreshold(), post.iouThreshold(), post.maxDetections());
    }

    /** Returns the frame's {@link Letterbox}, which maps boxes back to frame pixels. */
    @Override
    protected Object preprocess(Frame frame, int slot, InputTensor input, RowSplitter rows) {
        preprocessors[slot].apply(frame, input.target(), rows);
        input.commit();
        return preprocessors[slot].letterbox();
    }

    @Override
    protected InferenceResult postprocess(Staged staged, FloatBuffer output, long inferenceNanos, long postStartNanos) {
        int rows = output.limit() / (5 + info.labels().size());
        Frame frame = staged.frame();
        List<Detection> objects = decoder.decode(output, rows, (Letterbox) staged.context(), frame.width(), frame.height());
        return new Detections(objects, staged.preprocessNanos(), inferenceNanos, System.nanoTime() - postStartNanos);
    }
}
