package io.linesight.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.util.List;
import java.util.Map;

/**
 * A YOLOv5 detector in one ONNX Runtime session: letterbox, run, decode + NMS, boxes back in frame
 * pixels. Like the classifier, the input's direct buffer is allocated once; tensors and results are
 * closed after every frame.
 */
final class OnnxDetector implements LoadedModel {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelCard card;
    private final ModelInfo info;
    private final LetterboxPreprocessor preprocessor;
    private final YoloDecoder decoder;
    private final InputTensor input;
    private volatile boolean closed;

    OnnxDetector(OrtEnvironment environment, OrtSession session, InputTensor input, ModelCard card, ModelInfo info) {
        this.environment = environment;
        this.session = session;
        this.card = card;
        this.info = info;
        ModelCard.LetterboxSpec spec = card.preprocessing().letterbox();
        this.preprocessor = new LetterboxPreprocessor(spec);
        ModelCard.Postprocessing post = card.postprocessing();
        this.decoder = new YoloDecoder(info.labels(), post.confidenceThreshold(), post.iouThreshold(), post.maxDetections());
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
        Letterbox letterbox = preprocessor.letterbox();
        long t1 = System.nanoTime();
        float[] output;
        try (OnnxTensor tensor = input.wrap(environment, chw);
             OrtSession.Result result = session.run(Map.of(card.input().name(), tensor))) {
            output = InputTensor.outputValues(result.get(0));
        } catch (OrtException | ClassCastException e) {
            throw new InferenceException("model " + info.displayName() + " failed: " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        int rows = output.length / (5 + info.labels().size());
        List<Detection> objects = decoder.decode(output, rows, letterbox, frame.width(), frame.height());
        long t3 = System.nanoTime();
        return new Detections(objects, t1 - t0, t2 - t1, t3 - t2);
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
            org.slf4j.LoggerFactory.getLogger(OnnxDetector.class)
                    .warn("Closing the session of {} failed: {}", info.displayName(), e.getMessage());
        }
    }
}
