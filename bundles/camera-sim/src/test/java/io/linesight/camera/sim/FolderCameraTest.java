package io.linesight.camera.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.frame.SourceState;
import io.linesight.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderCameraTest {

    /** The golden set of the default model: 100 images and an expected.json with file and label. */
    private static final Path GOLDEN = Path.of("../../models/defect-mobilenetv2/golden");

    @TempDir
    Path dir;

    @Test
    void datasetExportIsPlayedInPartOrderWithTheLabelsOfItsCsv() throws Exception {
        Path set = export(dir.resolve("set"), 12);
        Recorder recorder = play(new FolderSettings("set", set, 200, false));
        assertEquals(12, recorder.frames.size());
        List<String> expected = LongStream.rangeClosed(1, 12).mapToObj(n -> PartSpec.draw(3, n, 0.5).defect().label()).toList();
        assertEquals(expected, recorder.truths(), "part n carries part n's label");
        Frame first = recorder.frames.get(0);
        assertEquals(PixelFormat.BGR24, first.format());
        assertEquals(96, first.width());
        assertEquals(72, first.height());
        assertEquals(LongStream.rangeClosed(1, 12).boxed().toList(), recorder.frames.stream().map(Frame::sequence).toList());
        assertEquals(List.of(SourceState.CONNECTING, SourceState.STREAMING, SourceState.STOPPED), recorder.states);
        assertTrue(recorder.details.get(2).contains("end of folder after 12 images"), recorder.details.toString());
    }

    @Test
    void subfolderNamesAreTheLabelsWithoutACsv() throws Exception {
        Path set = export(dir.resolve("set"), 10);
        Files.delete(set.resolve("labels.csv"));
        Recorder recorder = play(new FolderSettings("sub", set, 200, false));
        List<String> expected = LongStream.rangeClosed(1, 10).mapToObj(n -> PartSpec.draw(3, n, 0.5).defect().label()).toList();
        assertEquals(expected, recorder.truths());
    }

    @Test
    void theGoldenSetReplaysWithTheLabelsOfItsExpectedJson() throws Exception {
        assertTrue(Files.isRegularFile(GOLDEN.resolve("expected.json")), GOLDEN.toAbsolutePath().toString());
        Recorder recorder = play(new FolderSettings("golden", GOLDEN, 200, false));
        assertEquals(100, recorder.frames.size());
        FolderPlaylist playlist = FolderPlaylist.scan(GOLDEN);
        assertEquals("expected.json", playlist.labelSource());
        assertEquals(100, playlist.labelled());
        // part-1-scratch.png is a defect, part-3-none.png is ok (see expected.json)
        assertEquals("defect", recorder.frames.get(0).truth());
        assertEquals("ok", recorder.frames.get(2).truth());
        for (int i = 0; i < 100; i++) {
            String name = playlist.entries().get(i).file().getFileName().toString();
            assertTrue(name.startsWith("part-" + (i + 1) + "-"), "position " + i + " plays " + name);
            assertEquals(name.contains("-none.") ? "ok" : "defect", recorder.frames.get(i).truth(), name);
        }
    }

    @Test
    void loopPlaysTheFolderAgainAndKeepsCounting() throws Exception {
        Path set = Files.createDirectories(dir.resolve("three"));
        for (int i = 1; i <= 3; i++) {
            ImageIO.write(solid(8, 6, 0x0000FF * i), "png", set.resolve("img-" + i + ".png").toFile());
        }
        FolderCamera camera = new FolderCamera(new FolderSettings("three", set, 100, true));
        Recorder recorder = new Recorder();
        try (FrameSource.Subscription ignored = camera.subscribe(recorder)) {
            assertTrue(await(() -> recorder.frames.size() >= 8), "frames " + recorder.frames.size());
        }
        assertNull(recorder.frames.get(0).truth(), "no labels anywhere: no truth");
        assertEquals(List.of(SourceState.CONNECTING, SourceState.STREAMING, SourceState.STOPPED), recorder.states);
        assertEquals(recorder.frames.get(0).pixels()[0], recorder.frames.get(3).pixels()[0], "image 1 again after image 3");
        camera.deactivate();
        // an executor counts as terminated a moment before its worker thread has fully exited
        assertTrue(await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("camera-folder-three") && t.isAlive())), "player thread ended");
    }

    @Test
    void jpegAndPngBecomeBgrAndUnreadableFilesAreSkipped() throws Exception {
        Path set = Files.createDirectories(dir.resolve("mixed"));
        ImageIO.write(solid(16, 8, 0xFF0000), "jpg", set.resolve("a-red.jpg").toFile());
        Files.writeString(set.resolve("b-broken.png"), "not a png");
        ImageIO.write(solid(16, 8, 0x0000FF), "png", set.resolve("c-blue.png").toFile());
        Recorder recorder = play(new FolderSettings("mixed", set, 200, false));
        assertEquals(2, recorder.frames.size());
        byte[] red = recorder.frames.get(0).pixels();
        assertTrue((red[0] & 0xFF) < 30 && (red[2] & 0xFF) > 220, "JPEG red in BGR order");
        byte[] blue = recorder.frames.get(1).pixels();
        assertEquals(255, blue[0] & 0xFF);
        assertEquals(0, blue[2] & 0xFF);
    }

    @Test
    void greyAndRgbaPngsGivePilsPixelsAsTheSharedDecoderDoes() throws Exception {
        Path set = Files.createDirectories(dir.resolve("modes"));
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 100);
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.setRGB(1, 1, 0x00FF8040); // fully transparent orange
        ImageIO.write(grey, "png", set.resolve("a-grey.png").toFile());
        ImageIO.write(rgba, "png", set.resolve("b-rgba.png").toFile());
        Recorder recorder = play(new FolderSettings("modes", set, 200, false));
        assertEquals(2, recorder.frames.size());
        Frame g = recorder.frames.get(0);
        Frame a = recorder.frames.get(1);
        assertArrayEquals(new byte[] {100, 100, 100}, pixel(g, 1, 1), "grey stays 100 (getRGB gave 168)");
        assertArrayEquals(new byte[] {0x40, (byte) 0x80, (byte) 0xFF}, pixel(a, 1, 1), "alpha dropped, not composited");
        assertArrayEquals(ImageDecoder.decode(set.resolve("a-grey.png"), "x", 1, null).pixels(), g.pixels());
        assertArrayEquals(ImageDecoder.decode(set.resolve("b-rgba.png"), "x", 1, null).pixels(), a.pixels());
    }

    private static byte[] pixel(Frame f, int x, int y) {
        int o = (y * f.width() + x) * 3;
        return java.util.Arrays.copyOfRange(f.pixels(), o, o + 3);
    }

    @Test
    void missingFolderIsLostUntilImagesArrive() throws Exception {
        Path later = dir.resolve("later");
        FolderCamera camera = new FolderCamera(new FolderSettings("later", later, 50, true));
        Recorder recorder = new Recorder();
        try (FrameSource.Subscription ignored = camera.subscribe(recorder)) {
            assertTrue(await(() -> recorder.states.contains(SourceState.LOST)));
            String detail = recorder.details.get(recorder.states.indexOf(SourceState.LOST));
            assertTrue(detail.contains("camera 'later'") && detail.contains("does not exist") && detail.contains("folder"), detail);
            assertEquals(SourceState.LOST, camera.state());
            Files.createDirectories(later);
            ImageIO.write(solid(4, 4, 0x00FF00), "png", later.resolve("x.png").toFile());
            assertTrue(await(() -> !recorder.frames.isEmpty()));
            assertEquals(SourceState.STREAMING, camera.state());
        }
        assertEquals(1, recorder.states.stream().filter(s -> s == SourceState.LOST).count(), "one LOST, not one per retry");
        camera.deactivate();
    }

    @Test
    void namesSortWithNumbersAsNumbers() {
        List<String> names = new ArrayList<>(List.of("part-10-dent.png", "part-2-none.png", "part-1-scratch.png",
                "part-100-none.png", "part-02-x.png", "b.png", "a.png"));
        names.sort(FolderPlaylist::compareNatural);
        assertEquals(List.of("a.png", "b.png", "part-1-scratch.png", "part-2-none.png", "part-02-x.png",
                "part-10-dent.png", "part-100-none.png"), names);
    }

    @Test
    void badSettingsNameTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FolderSettings("f", Path.of("x"), 0, true));
        assertTrue(e.getMessage().contains("framesPerSecond") && e.getMessage().contains(FolderSettings.PID), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FolderSettings(" ", Path.of("x"), 1, true))
                .getMessage().contains("source.id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FolderSettings("f", null, 1, true))
                .getMessage().contains("folder"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Path export(Path out, int count) throws IOException {
        DatasetExport.export(DatasetExport.Options.parse(new String[] {"--out", out.toString(), "--count",
                Integer.toString(count), "--seed", "3", "--width", "96", "--height", "72", "--defect-rate", "0.5"}));
        return out;
    }

    private static Recorder play(FolderSettings settings) throws InterruptedException {
        FolderCamera camera = new FolderCamera(settings);
        Recorder recorder = new Recorder();
        try (FrameSource.Subscription ignored = camera.subscribe(recorder)) {
            assertTrue(await(() -> recorder.states.contains(SourceState.STOPPED)), "did not end: " + recorder.details);
        }
        camera.deactivate();
        return recorder;
    }

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static final class Recorder implements FrameListener {
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<SourceState> states = new CopyOnWriteArrayList<>();
        final List<String> details = new CopyOnWriteArrayList<>();

        @Override
        public void onFrame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void onSourceState(SourceState state, String detail) {
            states.add(state);
            details.add(detail);
        }

        List<String> truths() {
            return frames.stream().map(Frame::truth).collect(Collectors.toList());
        }
    }

}
