package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import javax.imageio.ImageIO;

/**
 * Decodes a dataset image file (PNG, JPEG, BMP, TIFF through javax.imageio) into the BGR24 frame a camera would
 * deliver, with the pixels torchvision's {@code ImageFolder} trains on ({@code pil_loader}:
 * {@code Image.open(f).convert("RGB")}). {@code ImageDecodingParityTest} checks every mode and JPEG variants against
 * Pillow 9.4 on libjpeg-turbo 2.1:
 * <ul>
 *   <li>RGB PNG, palette (with or without transparency), bilevel, grey, grey with alpha, RGBA: identical. Alpha is
 *   dropped, not composited (as {@code convert("RGB")} does), palette entries are taken as they are.</li>
 *   <li>Samples are read from the raster, not through {@code getRGB} or Java2D drawing: those treat gray as
 *   linear and gamma-convert it (100 becomes 168), composite alpha and transparent palette entries over black,
 *   round 16-bit samples rather than truncate them, and convert CMYK with their own formula.</li>
 *   <li>JPEG: identical. javax.imageio decodes with IJG libjpeg: the JDK's bundled 6b, or the system's
 *   libjpeg-turbo (Debian's OpenJDK links it: then it is Pillow's decoder itself). libjpeg-turbo keeps 6b's integer
 *   IDCT ({@code JDCT_ISLOW}), "fancy" triangular chroma upsampling for 4:2:0 and 4:2:2 and fixed-point YCbCr
 *   tables bit for bit, so baseline and progressive JPEGs decode the same with either. Only 4:4:0 (vertically
 *   halved chroma, which neither Pillow nor OpenCV writes) differs with the bundled 6b: libjpeg-turbo upsamples it
 *   smoothly, 6b repeats rows.</li>
 *   <li>CMYK JPEG and TIFF (8-bit): Pillow's own formula, {@code R = (255 - K) - (C * (255 - K) / 255)} rounded as its
 *   {@code MULDIV255}, no colour profile; javax.imageio already un-inverts Adobe CMYK, as Pillow does. YCCK JPEGs are
 *   not checked (Pillow cannot write them).
 *   The same naive conversion as training, rather than a print-profile conversion, because the model learnt
 *   those colours.</li>
 *   <li>16-bit samples keep their top byte, which is what Pillow does with 16-bit RGB and RGBA PNGs. Pillow 9.4
 *   opens 16-bit grey PNGs as 32-bit integers ({@code "I"}) and {@code convert("RGB")} clips them at 255: every
 *   sample above 255, that is nearly every pixel, turns white. That is not reproduced: a model cannot have
 *   learnt anything from white images, and whoever trained on such files must have converted them otherwise
 *   (the top byte is also what {@code cv2.imread} gives: libpng's {@code strip_16}).</li>
 * </ul>
 */
final class DatasetImage {

    /** Why an image file cannot be used; the message is the reason shown in the report. */
    static final class UnreadableImageException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableImageException(String reason) {
            super(reason);
        }
    }

    private DatasetImage() {
    }

    /** Reads {@code file} into a BGR24 frame with the given sequence number and ground truth. */
    static Frame read(Path file, long sequence, String truth) throws UnreadableImageException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // ImageIO throws IIOException for truncated files and runtime exceptions for some corrupt headers.
            throw new UnreadableImageException("corrupt image (" + e.getMessage() + ")");
        }
        if (image == null) {
            throw new UnreadableImageException("not an image (no PNG, JPEG or BMP decoder accepts it)");
        }
        return new Frame("eval", sequence, System.nanoTime(), Instant.now(), image.getWidth(), image.getHeight(),
                PixelFormat.BGR24, bgr(image), truth);
    }

    /** Interleaved BGR bytes of the image, row after row. */
    static byte[] bgr(BufferedImage image) throws UnreadableImageException {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof DataBufferByte data
                && data.getData().length == image.getWidth() * image.getHeight() * 3) {
            return data.getData().clone(); // the common case (RGB PNG, JPEG): already BGR24
        }
        if (image.getColorModel() instanceof IndexColorModel) {
            return fromPalette(image);
        }
        ColorSpace space = image.getColorModel().getColorSpace();
        int colours = image.getColorModel().getNumColorComponents();
        if (space.getType() == ColorSpace.TYPE_GRAY && colours == 1) {
            return fromSamples(image, new int[] {0, 0, 0});
        }
        if (space.getType() == ColorSpace.TYPE_RGB && colours == 3) {
            return fromSamples(image, new int[] {2, 1, 0});
        }
        if (space.getType() == ColorSpace.TYPE_CMYK && colours == 4
                && image.getRaster().getSampleModel().getSampleSize(0) == 8) {
            return fromCmyk(image.getRaster());
        }
        throw new UnreadableImageException("unexpected channel count: " + image.getRaster().getNumBands()
                + " channels in colour space " + describe(space) + " (expected gray, RGB, 8-bit CMYK or palette)");
    }

    /** Palette images: the palette holds sRGB colours, so getRGB is exact. */
    private static byte[] fromPalette(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, o = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++, o += 3) {
                out[o] = (byte) row[x];
                out[o + 1] = (byte) (row[x] >> 8);
                out[o + 2] = (byte) (row[x] >> 16);
            }
        }
        return out;
    }

    /** Copies raster bands into B, G, R ({@code bands[i]} feeds output channel i); other bands (alpha) are dropped. */
    private static byte[] fromSamples(BufferedImage image, int[] bands) {
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int bits = raster.getSampleModel().getSampleSize(bands[0]);
        byte[] out = new byte[w * h * 3];
        int[][] planes = new int[3][w];
        for (int y = 0, o = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                raster.getSamples(0, y, w, 1, bands[c], planes[c]);
            }
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) to8Bits(planes[c][x], bits);
                }
            }
        }
        return out;
    }

    /**
     * CMYK to RGB as Pillow's {@code convert("RGB")}: each ink darkens what the black leaves, no colour profile.
     * javax.imageio's CMYK samples are Pillow's (Adobe's inverted JPEG samples already un-inverted).
     */
    private static byte[] fromCmyk(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * 4];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w * 4; x += 4, o += 3) {
                int remaining = 255 - row[x + 3];
                out[o] = (byte) ink(row[x + 2], remaining);
                out[o + 1] = (byte) ink(row[x + 1], remaining);
                out[o + 2] = (byte) ink(row[x], remaining);
            }
        }
        return out;
    }

    /** What is left of {@code remaining} under {@code ink}: Pillow's {@code remaining - MULDIV255(ink, remaining)}. */
    private static int ink(int ink, int remaining) {
        int t = ink * remaining + 128;
        return remaining - (((t >> 8) + t) >> 8);
    }

    /** 16-bit samples keep their top byte; 1-, 2- and 4-bit samples are stretched to 0..255. */
    private static int to8Bits(int sample, int bits) {
        if (bits >= 8) {
            return sample >> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }

    private static String describe(ColorSpace space) {
        return switch (space.getType()) {
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            default -> "type " + space.getType();
        };
    }
}
