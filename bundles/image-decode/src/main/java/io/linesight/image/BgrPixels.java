package io.linesight.image;

import io.linesight.image.ImageDecodeException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/** A decoded image's samples as interleaved BGR bytes, converted as {@link ImageDecoder} documents. */
final class BgrPixels {

    private BgrPixels() {
    }

    /** Interleaved BGR bytes of {@code image}, row after row; the image's own array when it is already BGR24. */
    static byte[] of(BufferedImage image) throws ImageDecodeException {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof DataBufferByte data
                && data.getData().length == image.getWidth() * image.getHeight() * 3) {
            return data.getData(); // the common case (RGB PNG, JPEG); the decoded image is not used again
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
        throw new ImageDecodeException(Reason.UNSUPPORTED_COLOURS, "unexpected channel count: "
                + image.getRaster().getNumBands() + " channels in colour space " + describe(space)
                + " (expected gray, RGB, 8-bit CMYK or palette)");
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
