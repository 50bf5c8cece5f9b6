package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset image files become the BGR24 frames a camera would give, or a reason why not. */
class DatasetImageTest {

    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format, String name) throws Exception {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    private static byte[] pixel(Frame f, int x, int y) {
        int o = (y * f.width() + x) * 3;
        return Arrays.copyOfRange(f.pixels(), o, o + 3);
    }

    @Test
    void rgbPngAndBmpComeOutAsExactBgr() throws Exception {
        BufferedImage rgb = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(4, 2, 0x102030);
        for (String format : new String[] {"png", "bmp"}) {
            Frame f = DatasetImage.read(write(rgb, format, "a." + format), 7, "ok");
            assertEquals(PixelFormat.BGR24, f.format());
            assertEquals(5, f.width());
            assertEquals(3, f.height());
            assertEquals(7, f.sequence());
            assertEquals("ok", f.truth());
            assertArrayEquals(new byte[] {0x30, 0x20, 0x10}, pixel(f, 4, 2), format);
        }
    }

    @Test
    void jpegDecodes() throws Exception {
        BufferedImage rgb = new BufferedImage(16, 8, BufferedImage.TYPE_3BYTE_BGR);
        Frame f = DatasetImage.read(write(rgb, "jpg", "a.jpg"), 1, null);
        assertEquals(16 * 8 * 3, f.pixels().length);
    }

    @Test
    void grayIsReplicatedWithoutGammaConversion() throws Exception {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 100);
        Frame f = DatasetImage.read(write(gray, "png", "g.png"), 1, null);
        assertArrayEquals(new byte[] {100, 100, 100}, pixel(f, 1, 1)); // Java2D drawing would give 168
    }

    @Test
    void sixteenBitGrayKeepsTheTopByte() throws Exception {
        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 1, 0, 0xABCD);
        Frame f = DatasetImage.read(write(gray, "png", "g16.png"), 1, null);
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xAB, (byte) 0xAB}, pixel(f, 0, 1));
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_4BYTE_ABGR);
        argb.setRGB(1, 0, 0x00FF8040); // fully transparent orange stays orange
        Frame f = DatasetImage.read(write(argb, "png", "a.png"), 1, null);
        assertArrayEquals(new byte[] {0x40, (byte) 0x80, (byte) 0xFF}, pixel(f, 1, 0));
    }

    @Test
    void paletteImagesUseThePalette() throws Exception {
        byte[] r = {0, 10};
        byte[] g = {0, 20};
        byte[] b = {0, 30};
        BufferedImage indexed = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, g, b));
        indexed.getRaster().setSample(2, 2, 0, 1);
        Frame f = DatasetImage.read(write(indexed, "png", "p.png"), 1, null);
        assertArrayEquals(new byte[] {30, 20, 10}, pixel(f, 2, 2));
    }

    @Test
    void aTruncatedFileIsCorrupt() throws Exception {
        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Path file = write(rgb, "png", "t.png");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(DatasetImage.UnreadableImageException.class, () -> DatasetImage.read(file, 1, null));
        assertTrue(e.getMessage().startsWith("corrupt image"), e.getMessage());
    }

    @Test
    void aTextFileIsNotAnImage() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.png"), "not pixels");
        var e = assertThrows(DatasetImage.UnreadableImageException.class, () -> DatasetImage.read(file, 1, null));
        assertTrue(e.getMessage().startsWith("not an image"), e.getMessage());
    }

    @Test
    void cmykImagesAreConvertedAsPillowDoes() throws Exception {
        // CMYK (10, 20, 30, 40) written by Pillow (make_eval_images.py); its convert("RGB") gives (207, 198, 190)
        for (String file : new String[] {"cmyk.jpg", "cmyk.tif"}) {
            Frame f = DatasetImage.read(Path.of("src/test/resources/eval-images", file), 1, null);
            assertArrayEquals(new byte[] {(byte) 190, (byte) 198, (byte) 207}, pixel(f, 7, 5), file);
        }
    }

    @Test
    void otherColourSpacesAreRefusedWithTheReason() {
        ColorSpace xyz = ColorSpace.getInstance(ColorSpace.CS_CIEXYZ);
        var model = new ComponentColorModel(xyz, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage image = new BufferedImage(model, model.createCompatibleWritableRaster(2, 2), false, null);
        var e = assertThrows(DatasetImage.UnreadableImageException.class, () -> DatasetImage.bgr(image));
        assertTrue(e.getMessage().startsWith("unexpected channel count: 3 channels in colour space type 0"),
                e.getMessage());
    }
}
