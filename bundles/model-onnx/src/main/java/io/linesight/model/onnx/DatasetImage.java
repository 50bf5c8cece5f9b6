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
 * Decodes a dataset image file (PNG, JPEG, BMP through javax.imageio) into the BGR24 frame a camera would
 * deliver. Gray images are replicated into the three channels and alpha is dropped, as OpenCV's
 * {@code imread} and PIL's {@code convert("RGB")} do; samples of 16-bit images keep their top 8 bits.
 * Samples are read from the raster, not drawn through Java2D, so gray values are not gamma-converted.
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
        throw new UnreadableImageException("unexpected channel count: " + image.getRaster().getNumBands()
                + " channels in colour space " + describe(space) + " (expected gray, RGB or either with alpha)");
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
