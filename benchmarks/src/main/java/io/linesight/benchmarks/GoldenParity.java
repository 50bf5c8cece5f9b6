package io.linesight.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.LoadedModel;
import io.linesight.image.ImageDecoder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * How far each preprocessing lands from the PyTorch reference on a classifier's golden set: the runner's
 * Java pass (what the line uses) and OpenCV's 8-bit resize, both run through the same ONNX Runtime
 * session. Prints the largest probability difference and the top-1 agreement of each.
 */
final class GoldenParity {

    private GoldenParity() {
    }

    static void report(Path dir, LoadedModel model, OrtSession session, String inputName, long[] shape,
                       OpenCvPreprocessing cv) throws Exception {
        Path expected = dir.resolve("golden/expected.json");
        if (!Files.isRegularFile(expected)) {
            return;
        }
        double worstRunner = 0;
        double worstCv = 0;
        int sameTopRunner = 0;
        int sameTopCv = 0;
        int images = 0;
        for (JsonElement e : JsonParser.parseString(Files.readString(expected)).getAsJsonArray()) {
            var entry = e.getAsJsonObject();
            var ref = entry.getAsJsonArray("probabilities");
            float[] reference = new float[ref.size()];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = ref.get(i).getAsFloat();
            }
            Frame frame = bgr(dir.resolve("golden").resolve(entry.get("file").getAsString()));
            float[] runner = ((Classification) model.infer(frame)).probabilities();
            float[] viaCv = softmax(run(session, inputName, shape, cv.apply(frame)));
            worstRunner = Math.max(worstRunner, maxDiff(runner, reference));
            worstCv = Math.max(worstCv, maxDiff(viaCv, reference));
            sameTopRunner += argmax(runner) == argmax(reference) ? 1 : 0;
            sameTopCv += argmax(viaCv) == argmax(reference) ? 1 : 0;
            images++;
        }
        System.out.printf(Locale.ROOT, "  golden parity (%d images) vs PyTorch: runner max |dp| %.2e, top-1 %d/%d;"
                + " OpenCV max |dp| %.2e, top-1 %d/%d%n", images, worstRunner, sameTopRunner, images, worstCv, sameTopCv, images);
    }

    private static float[] run(OrtSession session, String inputName, long[] shape, float[] input) throws Exception {
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            return logits;
        }
    }

    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    private static double maxDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    private static Frame bgr(Path image) throws Exception {
        return ImageDecoder.decode(image, "golden", 1, null); // the runtime's decoder: the pixels a line would see
    }
}
