package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelLoadException;
import io.linesight.image.ImageDecoder;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped default model, run by this runner in ONNX Runtime, must give what PyTorch gave for every
 * golden image (models/defect-mobilenetv2/golden/expected.json, written by the training pipeline).
 */
class GoldenSetParityTest {

    static final Path PACKAGE = Path.of("../../models/defect-mobilenetv2").toAbsolutePath().normalize();

    record Expected(String file, String label, float[] probabilities) {
    }

    static SessionSettings defaults() {
        return new SessionSettings(1, OrtSession.SessionOptions.OptLevel.ALL_OPT,
                OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    }

    static Frame bgrFrame(Path png) throws Exception {
        return ImageDecoder.decode(png, "golden", 1, null);
    }

    @Test
    void everyGoldenImageMatchesThePyTorchReference() throws Exception {
        List<Expected> expected;
        try (Reader reader = Files.newBufferedReader(PACKAGE.resolve("golden/expected.json"))) {
            expected = new Gson().fromJson(reader, new TypeToken<List<Expected>>() { }.getType());
        }
        assertTrue(expected.size() >= 50, "golden set has " + expected.size() + " images");
        double worst = 0;
        int correct = 0;
        try (LoadedModel model = new OnnxModelRuntime(defaults()).load(PACKAGE)) {
            for (Expected e : expected) {
                Classification c = (Classification) model.infer(bgrFrame(PACKAGE.resolve("golden").resolve(e.file())));
                float[] p = c.probabilities();
                for (int i = 0; i < p.length; i++) {
                    worst = Math.max(worst, Math.abs(p[i] - e.probabilities()[i]));
                }
                int referenceTop = e.probabilities()[1] > e.probabilities()[0] ? 1 : 0;
                assertEquals(referenceTop, c.best().index(), "top-1 of " + e.file());
                correct += c.best().label().equals(e.label()) ? 1 : 0;
            }
        }
        System.out.printf("golden parity: %d images, largest |p_java - p_pytorch| = %.2e, %d right%n",
                expected.size(), worst, correct);
        assertTrue(worst <= 1e-3, "largest probability difference to PyTorch: " + worst);
        assertTrue(correct >= 0.95 * expected.size(), correct + " of " + expected.size() + " golden images right");
    }

    @Test
    void aCorruptModelFileIsRefusedWithTheDigestMismatch(@TempDir Path dir) throws Exception {
        Files.copy(PACKAGE.resolve("model.json"), dir.resolve("model.json"));
        byte[] bytes = Files.readAllBytes(PACKAGE.resolve("model.onnx"));
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(dir.resolve("model.onnx"), bytes);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new OnnxModelRuntime(defaults()).load(dir));
        assertTrue(e.getMessage().contains("does not match its card"), e.getMessage());
    }

    @Test
    void aTruncatedModelWithoutDigestIsRefusedByOnnxRuntime(@TempDir Path dir) throws Exception {
        String card = Files.readString(PACKAGE.resolve("model.json")).replaceAll("\"sha256\"\\s*:\\s*\"[0-9a-f]+\",", "");
        Files.writeString(dir.resolve("model.json"), card);
        byte[] bytes = Files.readAllBytes(PACKAGE.resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new OnnxModelRuntime(defaults()).load(dir));
        assertTrue(e.getMessage().contains("ONNX Runtime cannot load"), e.getMessage());
    }

    @Test
    void aCardThatDisagreesWithTheModelIsRefused(@TempDir Path dir) throws Exception {
        Files.copy(PACKAGE.resolve("model.onnx"), dir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        String card = Files.readString(PACKAGE.resolve("model.json")).replace("\"ok\",", "\"ok\", \"unknown\",");
        Files.writeString(dir.resolve("model.json"), card);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new OnnxModelRuntime(defaults()).load(dir));
        assertTrue(e.getMessage().contains("does not fit 3 labels"), e.getMessage());
    }

    @Test
    void aCardWhoseElementTypeDisagreesWithTheModelIsRefused(@TempDir Path dir) throws Exception {
        Files.copy(PACKAGE.resolve("model.onnx"), dir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        String card = Files.readString(PACKAGE.resolve("model.json")).replace("\"dtype\": \"float32\"", "\"dtype\": \"float16\"");
        Files.writeString(dir.resolve("model.json"), card);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new OnnxModelRuntime(defaults()).load(dir));
        assertTrue(e.getMessage().contains("input 'input' is float32, the card says float16"), e.getMessage());
    }
}
