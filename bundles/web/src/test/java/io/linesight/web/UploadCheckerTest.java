package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelRuntime;
import io.linesight.api.model.Task;
import io.linesight.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadCheckerTest {

    @TempDir
    Path dir;

    /** A runtime whose "model" reports the mean blue value of the frame as P(class 2): checks the pixels arrive. */
    private static final class RecordingRuntime implements ModelRuntime {
        final List<String> log = new ArrayList<>();
        Frame lastFrame;

        @Override
        public LoadedModel load(Path packageDir) {
            log.add("load " + packageDir.getFileName());
            ModelInfo info = new ModelInfo(packageDir.getFileName().toString(), "1.0.0", "abc", Task.CLASSIFY,
                    List.of("a", "b", "blue", "d", "e", "f"));
            return new LoadedModel() {
                @Override
                public ModelInfo info() {
                    return info;
                }

                @Override
                public InferenceResult infer(Frame frame) {
                    lastFrame = frame;
                    return new Classification(new float[] {0.05f, 0.1f, 0.5f, 0.2f, 0.1f, 0.05f},
                            List.of(new ClassScore(2, "blue", 0.5f)), 1, 2, 3);
                }

                @Override
                public void close() {
                    log.add("close " + packageDir.getFileName());
                }
            };
        }
    }

    private Path pkg(String name) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name));
        Files.writeString(p.resolve("model.json"), "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"task\":\"classify\"}");
        return p;
    }

    private static byte[] png(int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void anImageGoesThroughTheChosenPackageAndTheTopFiveComeBack() throws Exception {
        Path a = pkg("alpha");
        RecordingRuntime runtime = new RecordingRuntime();
        try (UploadChecker checker = new UploadChecker(() -> UploadChecker.collect(Map.of(), List.of(a)))) {
            JsonObject o = checker.check(runtime, "alpha@1.0.0", png(8, 4, 0x0000ff), "blue.png");
            assertEquals(5, o.getAsJsonObject("result").getAsJsonArray("top").size());
            assertEquals("blue", o.getAsJsonObject("result").getAsJsonArray("top").get(0).getAsJsonObject().get("label").getAsString());
            assertEquals("d", o.getAsJsonObject("result").getAsJsonArray("top").get(1).getAsJsonObject().get("label").getAsString());
            assertEquals(PixelFormat.BGR24, runtime.lastFrame.format());
            assertEquals(8, runtime.lastFrame.width());
            assertEquals((byte) 0xff, runtime.lastFrame.pixels()[0], "blue first in BGR, like a camera frame");
            assertEquals(0, runtime.lastFrame.pixels()[2]);
        }
        assertEquals(List.of("load alpha", "close alpha"), runtime.log);
    }

    @Test
    void oneModelIsKeptLoadedAndClosedWhenAnotherIsChosen() throws Exception {
        Path a = pkg("alpha");
        Path b = pkg("beta");
        RecordingRuntime runtime = new RecordingRuntime();
        UploadChecker checker = new UploadChecker(() -> UploadChecker.collect(Map.of("default", b), List.of(a)));
        byte[] image = png(4, 4, 0x808080);
        checker.check(runtime, "alpha@1.0.0", image, "x.png");
        checker.check(runtime, "alpha@1.0.0", image, "x.png");
        checker.check(runtime, "beta@1.0.0", image, "x.png");
        assertEquals(List.of("load alpha", "close alpha", "load beta"), runtime.log);
        checker.runtimeGone(runtime);
        assertEquals("close beta", runtime.log.get(3));
        assertTrue(checker.list().toString().contains("\"origin\":\"line default\""), checker.list().toString());
    }

    @Test
    void badInputGetsAClear4xxAndLeavesTheLoadedModelAlone() throws Exception {
        Path a = pkg("alpha");
        RecordingRuntime runtime = new RecordingRuntime();
        UploadChecker checker = new UploadChecker(() -> UploadChecker.collect(Map.of(), List.of(a)));
        checker.check(runtime, "alpha@1.0.0", png(4, 4, 0), "ok.png");
        ApiException notImage = assertThrows(ApiException.class,
                () -> checker.check(runtime, "alpha@1.0.0", "%PDF-1.4 not an image".getBytes(), "report.pdf"));
        assertEquals(415, notImage.status());
        assertTrue(notImage.getMessage().contains("'report.pdf' is not an image"), notImage.getMessage());
        ApiException unknown = assertThrows(ApiException.class, () -> checker.check(runtime, "gone@9", png(4, 4, 0), "ok.png"));
        assertEquals(404, unknown.status());
        assertTrue(unknown.getMessage().contains("reload the page"), unknown.getMessage());
        assertEquals(503, assertThrows(ApiException.class, () -> checker.check(null, "alpha@1.0.0", png(4, 4, 0), "ok.png")).status());
        assertEquals(List.of("load alpha"), runtime.log, "the cached model survived the bad requests");
        assertEquals("alpha@1.0.0 " + a, checker.loadedId());
    }

    @Test
    void greyAndRgbaPngsReachTheModelWithPilsPixelsAsTheSharedDecoderGivesThem() throws Exception {
        Path a = pkg("alpha");
        RecordingRuntime runtime = new RecordingRuntime();
        UploadChecker checker = new UploadChecker(() -> UploadChecker.collect(Map.of(), List.of(a)));
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 100);
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.setRGB(1, 1, 0x00FF8040); // fully transparent orange
        byte[] greyPng = encode(grey);
        byte[] rgbaPng = encode(rgba);

        checker.check(runtime, "alpha@1.0.0", greyPng, "grey.png");
        assertArrayEquals(new byte[] {100, 100, 100}, pixel(runtime.lastFrame, 1, 1), "grey stays 100 (not 168)");
        assertArrayEquals(ImageDecoder.decode(greyPng, 100, "x", 1, null).pixels(), runtime.lastFrame.pixels());
        checker.check(runtime, "alpha@1.0.0", rgbaPng, "rgba.png");
        assertArrayEquals(new byte[] {0x40, (byte) 0x80, (byte) 0xFF}, pixel(runtime.lastFrame, 1, 1),
                "alpha dropped, not composited over black");
        assertArrayEquals(ImageDecoder.decode(rgbaPng, 100, "x", 1, null).pixels(), runtime.lastFrame.pixels());
    }

    @Test
    void anImageOfTooManyPixelsIs413FromItsHeaderAndATruncatedOne415() throws Exception {
        ApiException huge = assertThrows(ApiException.class, () -> FrameImages.decode(pngHeader(10_000, 5_000), "huge.png"));
        assertEquals(413, huge.status());
        assertEquals("'huge.png' is 10000x5000 pixels; at most 40 megapixels are accepted", huge.getMessage());
        byte[] whole = png(64, 64, 0x123456);
        ApiException truncated = assertThrows(ApiException.class,
                () -> FrameImages.decode(java.util.Arrays.copyOf(whole, whole.length / 2), "cut.png"));
        assertEquals(415, truncated.status());
        assertTrue(truncated.getMessage().startsWith("'cut.png' could not be read as an image: corrupt image"),
                truncated.getMessage());
    }

    /** A PNG signature and IHDR chunk only: enough for a reader to tell the size, nothing to decode. */
    private static byte[] pngHeader(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes())
                .putInt(width).putInt(height).put(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        return java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] pixel(Frame f, int x, int y) {
        int o = (y * f.width() + x) * 3;
        return java.util.Arrays.copyOfRange(f.pixels(), o, o + 3);
    }

    @Test
    void aBodyOverTheLimitIs413BeforeAndWhileReading() {
        byte[] big = new byte[2000];
        ApiRequest declared = new ApiRequest("POST", "/upload/inspect", Map.of(), null, "127.0.0.1", big.length,
                () -> new java.io.ByteArrayInputStream(big));
        assertEquals(413, assertThrows(ApiException.class, () -> declared.readBody(1000, "image")).status());
        ApiRequest chunked = new ApiRequest("POST", "/upload/inspect", Map.of(), null, "127.0.0.1", -1,
                () -> new java.io.ByteArrayInputStream(big));
        assertEquals(413, assertThrows(ApiException.class, () -> chunked.readBody(1000, "image")).status());
    }

    @Test
    void aGoldenImageOfTheRepositoryDecodesToTheCameraFormat() throws Exception {
        Path golden = Path.of("../../models/defect-mobilenetv2/golden/part-1-scratch.png");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(golden), "golden set present");
        Frame f = FrameImages.decode(Files.readAllBytes(golden), "part-1-scratch.png");
        BufferedImage img = ImageIO.read(golden.toFile());
        assertEquals(img.getWidth(), f.width());
        int rgb = img.getRGB(10, 10);
        int i = (10 * f.width() + 10) * 3;
        assertEquals(rgb & 0xff, f.pixels()[i] & 0xff);
        assertEquals((rgb >> 16) & 0xff, f.pixels()[i + 2] & 0xff);
    }
}
