package io.linesight.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.image.ImageDecodeException.Reason;
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

/** Image files and bytes become the BGR24 frames a camera would give, or a reason why not. */
class ImageDecoderTest {

    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format, String name) throws Exception {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    private static Frame decode(Path file) throws ImageDecodeException {
        return ImageDecoder.decode(file, "test", 1, null);
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
            Frame f = ImageDecoder.decode(write(rgb, format, "a." + format), "cam", 7, "ok");
            assertEquals("cam", f.sourceId());
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
        Frame f = decode(write(rgb, "jpg", "a.jpg"));
        assertEquals(16 * 8 * 3, f.pixels().length);
    }

    @Test
    void grayIsReplicatedWithoutGammaConversion() throws Exception {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 100);
        Frame f = decode(write(gray, "png", "g.png"));
        assertArrayEquals(new byte[] {100, 100, 100}, pixel(f, 1, 1)); // Java2D drawing would give 168
    }

    @Test
    void sixteenBitGrayKeepsTheTopByte() throws Exception {
        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 1, 0, 0xABCD);
        Frame f = decode(write(gray, "png", "g16.png"));
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xAB, (byte) 0xAB}, pixel(f, 0, 1));
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_4BYTE_ABGR);
        argb.setRGB(1, 0, 0x00FF8040); // fully transparent orange stays orange
        Frame f = decode(write(argb, "png", "a.png"));
        assertArrayEquals(new byte[] {0x40, (byte) 0x80, (byte) 0xFF}, pixel(f, 1, 0));
    }

    @Test
    void paletteImagesUseThePalette() throws Exception {
        byte[] r = {0, 10};
        byte[] g = {0, 20};
        byte[] b = {0, 30};
        BufferedImage indexed = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, g, b));
        indexed.getRaster().setSample(2, 2, 0, 1);
        Frame f = decode(write(indexed, "png", "p.png"));
        assertArrayEquals(new byte[] {30, 20, 10}, pixel(f, 2, 2));
    }

    @Test
    void gifIsDecodedThroughItsPalette() throws Exception {
        // 16 rows: the JDK's GIF reader misreads the interlaced GIFs its writer makes of fewer than 8 rows
        byte[] r = {0, 10, 40};
        byte[] g = {0, 20, 50};
        byte[] b = {0, 30, 60};
        BufferedImage indexed = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b));
        indexed.getRaster().setSample(2, 9, 0, 1);
        indexed.getRaster().setSample(15, 15, 0, 2);
        Frame f = decode(write(indexed, "gif", "p.gif"));
        assertArrayEquals(new byte[] {30, 20, 10}, pixel(f, 2, 9));
        assertArrayEquals(new byte[] {60, 50, 40}, pixel(f, 15, 15));
    }

    @Test
    void bytesDecodeAsTheFileDoes() throws Exception {
        BufferedImage argb = new BufferedImage(3, 2, BufferedImage.TYPE_4BYTE_ABGR);
        argb.setRGB(2, 1, 0x20FF8040);
        Path file = write(argb, "png", "a.png");
        Frame f = ImageDecoder.decode(Files.readAllBytes(file), 100, "upload:a.png", 1, null);
        assertEquals("upload:a.png", f.sourceId());
        assertArrayEquals(decode(file).pixels(), f.pixels());
    }

    @Test
    void tooManyPixelsAreRefusedFromTheHeader() throws Exception {
        byte[] png = Files.readAllBytes(write(new BufferedImage(2000, 1000, BufferedImage.TYPE_BYTE_GRAY), "png", "big.png"));
        var e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(png, 1_000_000, "u", 1, null));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals("2000x1000 pixels; at most 1 megapixels are accepted", e.getMessage());
    }

    @Test
    void aTruncatedFileIsCorrupt() throws Exception {
        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Path file = write(rgb, "png", "t.png");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(ImageDecodeException.class, () -> decode(file));
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().startsWith("corrupt image"), e.getMessage());
    }

    @Test
    void aTextFileIsNotAnImage() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.png"), "not pixels");
        var e = assertThrows(ImageDecodeException.class, () -> decode(file));
        assertEquals(Reason.NOT_AN_IMAGE, e.reason());
        assertTrue(e.getMessage().startsWith("not an image"), e.getMessage());
        var bytes = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode("%PDF-1.4".getBytes(), 100, "u", 1, null));
        assertEquals(Reason.NOT_AN_IMAGE, bytes.reason());
    }

    @Test
    void aMissingFileCannotBeRead() {
        var e = assertThrows(ImageDecodeException.class, () -> decode(dir.resolve("gone.png")));
        assertEquals(Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().startsWith("cannot be read") && e.getMessage().contains("gone.png"), e.getMessage());
    }

    @Test
    void cmykImagesAreConvertedAsPillowDoes() throws Exception {
        // CMYK (10, 20, 30, 40) written by Pillow (make_cmyk_images.py); its convert("RGB") gives (207, 198, 190)
        for (String file : new String[] {"cmyk.jpg", "cmyk.tif"}) {
            Frame f = decode(Path.of("src/test/resources/cmyk", file));
            assertArrayEquals(new byte[] {(byte) 190, (byte) 198, (byte) 207}, pixel(f, 7, 5), file);
        }
    }

    @Test
    void otherColourSpacesAreRefusedWithTheReason() {
        ColorSpace xyz = ColorSpace.getInstance(ColorSpace.CS_CIEXYZ);
        var model = new ComponentColorModel(xyz, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage image = new BufferedImage(model, model.createCompatibleWritableRaster(2, 2), false, null);
        var e = assertThrows(ImageDecodeException.class, () -> BgrPixels.of(image));
        assertEquals(Reason.UNSUPPORTED_COLOURS, e.reason());
        assertTrue(e.getMessage().startsWith("unexpected channel count: 3 channels in colour space type 0"),
                e.getMessage());
    }
}
