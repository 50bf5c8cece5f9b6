package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model:eval reads dataset images through the shared decoder: PIL's pixels, the camera's frame format. */
class DatasetImageTest {

    @TempDir
    Path dir;

    @Test
    void greyAndRgbaPngsGivePilsPixels() throws Exception {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 100);
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.setRGB(1, 1, 0x00FF8040); // fully transparent orange
        Path greyFile = dir.resolve("grey.png");
        Path rgbaFile = dir.resolve("rgba.png");
        ImageIO.write(grey, "png", greyFile.toFile());
        ImageIO.write(rgba, "png", rgbaFile.toFile());

        Frame g = DatasetImage.read(greyFile, 3, "ok");
        assertArrayEquals(new byte[] {100, 100, 100}, pixel(g, 1, 1), "grey stays 100 (not 168)");
        assertArrayEquals(ImageDecoder.decode(greyFile, "x", 1, null).pixels(), g.pixels());
        assertEquals(3, g.sequence());
        assertEquals("ok", g.truth());
        Frame a = DatasetImage.read(rgbaFile, 1, null);
        assertArrayEquals(new byte[] {0x40, (byte) 0x80, (byte) 0xFF}, pixel(a, 1, 1), "alpha dropped, not composited");
        assertArrayEquals(ImageDecoder.decode(rgbaFile, "x", 1, null).pixels(), a.pixels());
    }

    @Test
    void unreadableFilesKeepTheirReason() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "not pixels");
        var e = assertThrows(DatasetImage.UnreadableImageException.class, () -> DatasetImage.read(text, 1, null));
        assertTrue(e.getMessage().startsWith("not an image"), e.getMessage());
    }

    private static byte[] pixel(Frame f, int x, int y) {
        int o = (y * f.width() + x) * 3;
        return Arrays.copyOfRange(f.pixels(), o, o + 3);
    }
}
