package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.GateReport;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import io.linesight.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate judges golden images as the shared decoder gives them: PIL's pixels, like every other path. */
class GoldenImagesTest {

    @TempDir
    Path dir;

    /** A classifier that says "ok" to everything and keeps the frames it was shown. */
    private static final class RecordingClassifier implements LoadedModel {
        final List<Frame> frames = new ArrayList<>();

        @Override
        public ModelInfo info() {
            return new ModelInfo("cls", "1.0.0", "00", Task.CLASSIFY, List.of("ok", "defect"));
        }

        @Override
        public InferenceResult infer(Frame frame) {
            frames.add(frame);
            return new Classification(new float[] {1, 0}, List.of(new ClassScore(0, "ok", 1)), 0, 1_000_000, 0);
        }

        @Override
        public void close() {
        }
    }

    private static final PackageCard CARD = new PackageCard("cls", "1.0.0", "classify", "model.onnx", null, 1.0, null, 100.0);

    private Path goldenSet(String... files) throws Exception {
        Path golden = Files.createDirectories(dir.resolve("golden"));
        StringBuilder expected = new StringBuilder("[");
        for (String file : files) {
            expected.append(expected.length() > 1 ? "," : "").append("{\"file\":\"").append(file).append("\",\"label\":\"ok\"}");
        }
        Files.writeString(golden.resolve("expected.json"), expected.append(']'));
        return golden;
    }

    @Test
    void greyAndRgbaPngsAreJudgedWithPilsPixels() throws Exception {
        Path golden = goldenSet("grey.png", "rgba.png");
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 100);
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.setRGB(1, 1, 0x00FF8040); // fully transparent orange
        ImageIO.write(grey, "png", golden.resolve("grey.png").toFile());
        ImageIO.write(rgba, "png", golden.resolve("rgba.png").toFile());

        RecordingClassifier model = new RecordingClassifier();
        GateReport report = new GoldenGate().run(model, dir, CARD);
        assertTrue(report.passed(), report.detail());
        Frame g = model.frames.get(0);
        Frame a = model.frames.get(1);
        assertArrayEquals(new byte[] {100, 100, 100}, pixel(g, 1, 1), "grey stays 100 (not 168)");
        assertArrayEquals(new byte[] {0x40, (byte) 0x80, (byte) 0xFF}, pixel(a, 1, 1), "alpha dropped, not composited over black");
        assertArrayEquals(ImageDecoder.decode(golden.resolve("grey.png"), "x", 1, null).pixels(), g.pixels());
        assertArrayEquals(ImageDecoder.decode(golden.resolve("rgba.png"), "x", 1, null).pixels(), a.pixels());
        assertEquals(GoldenImages.SOURCE_ID, g.sourceId());
    }

    @Test
    void anUndecodableGoldenImageFailsTheGateWithTheDecodersReason() throws Exception {
        Path golden = goldenSet("notes.png");
        Files.writeString(golden.resolve("notes.png"), "not pixels");
        GateReport report = new GoldenGate().run(new RecordingClassifier(), dir, CARD);
        assertFalse(report.passed());
        assertTrue(report.detail().contains("golden image notes.png cannot be decoded: not an image"), report.detail());
    }

    private static byte[] pixel(Frame f, int x, int y) {
        int o = (y * f.width() + x) * 3;
        return Arrays.copyOfRange(f.pixels(), o, o + 3);
    }
}
