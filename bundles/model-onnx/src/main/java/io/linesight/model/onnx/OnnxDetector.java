package io.linesight.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import java.util.List;

/**
 * A YOLOv5 detector in one ONNX Runtime session: letterbox, run, decode + NMS, boxes back in frame
 * pixels. Like the classifier, the input memory is allocated once; tensors and results are closed
 * after every frame.
 */
final class OnnxDetector extends OnnxModel {

    private final LetterboxPreprocessor preprocessor;
    private final YoloDecoder decoder;

    OnnxDetector(OrtEnvironment environment, OrtSession session, InputTensor input, ModelCard card, ModelInfo info) {
        super(environment, session, input, card, info);
        this.preprocessor = new LetterboxPreprocessor(card.preprocessing().letterbox());
        ModelCard.Postprocessing post = card.postprocessing();
        this.decoder = new YoloDecoder(info.labels(), post.confidenceThreshold(), post.iouThreshold(), post.maxDetections());
    }

    @Override
    public InferenceResult infer(Frame frame) throws InferenceException {
        checkOpen();
        long t0 = System.nanoTime();
        float[] chw = preprocessor.apply(frame);
        Letterbox letterbox = preprocessor.letterbox();
        long t1 = System.nanoTime();
        float[] output = run(chw);
        long t2 = System.nanoTime();
        int rows = output.length / (5 + info.labels().size());
        List<Detection> objects = decoder.decode(output, rows, letterbox, frame.width(), frame.height());
        long t3 = System.nanoTime();
        return new Detections(objects, t1 - t0, t2 - t1, t3 - t2);
    }
}
