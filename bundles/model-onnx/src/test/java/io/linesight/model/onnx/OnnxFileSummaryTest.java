package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxFileSummaryTest {

    @Test
    void countsParametersZerosOperatorsAndOpsetOfTheTinyDetector() throws Exception {
        // make_tiny_detector.py: "rows" [1,3,7] with 4 zeros, "mask" [1,3,7] with a single one.
        OnnxFileSummary s = OnnxFileSummary.read(Path.of("src/test/resources/tiny-detector/model.onnx"));
        assertEquals(42, s.parameters());
        assertEquals(18, s.nonzeroParameters());
        assertEquals(1 - 18 / 42.0, s.sparsity(), 1e-12);
        assertEquals(Map.of("Add", 1, "Mul", 1, "ReduceMean", 1), s.operators());
        assertEquals(13L, s.opsets().get(""));
        assertEquals("fp32", s.precision());
    }

    @Test
    void matchesWhatTheOnnxPythonPackageReportsForThePrunedDefaultModel() throws Exception {
        // onnx 1.12 + numpy_helper (np.count_nonzero) on models/defect-mobilenetv2/model.onnx 0.2.0, the
        // 50 % pruned model: 680970 initializer elements, 345122 nonzero; opset 13; IR 7; 52 Conv, 35 Clip.
        OnnxFileSummary s = OnnxFileSummary.read(Path.of("../../models/defect-mobilenetv2/model.onnx"));
        assertEquals(680_970, s.parameters());
        assertEquals(345_122, s.nonzeroParameters());
        assertEquals(7, s.irVersion());
        assertEquals(52, s.operators().get("Conv"));
        assertEquals(35, s.operators().get("Clip"));
        assertEquals(Files.size(Path.of("../../models/defect-mobilenetv2/model.onnx")), s.fileBytes());
    }

    @Test
    void aFileThatIsNotOnnxIsRefused(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("model.onnx");
        Files.write(junk, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x01});
        assertThrows(RuntimeException.class, () -> OnnxFileSummary.read(junk));
    }
}
