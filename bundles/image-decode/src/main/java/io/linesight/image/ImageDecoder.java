package io.linesight.image;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file or uploaded bytes (PNG, JPEG, GIF, BMP, TIFF through javax.imageio) into the BGR24 frame a
 * camera would deliver, with the pixels torchvision's {@code ImageFolder} trains on ({@code pil_loader}:
 * {@code Image.open(f).convert("RGB")}). One decoder for every path (folder camera, gate, {@code model:eval}, upload
 * check), so the same image gives the same pixels, and the same score, everywhere. {@code ImageDecodingParityTest}
 * (in model-onnx) checks every mode and JPEG variants against Pillow 9.4 on libjpeg-turbo 2.1:
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
 *   <li>GIF: the first frame, palette as above.</li>
 * </ul>
 * Other colour spaces are refused with the reason ({@link Reason#UNSUPPORTED_COLOURS}) rather than guessed at.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /**
     * Reads {@code file} into a BGR24 frame.
     *
     * @throws ImageDecodeException when the file cannot be read, is not an image, is corrupt or has colours
     *                              with no agreed RGB conversion; the message says which
     */
    public static Frame decode(Path file, String sourceId, long sequence, String truth) throws ImageDecodeException {
        ImageInputStream in;
        try {
            in = new FileImageInputStream(file.toFile());
        } catch (IOException e) { // missing, a folder, no permission
            throw new ImageDecodeException(Reason.UNREADABLE, "cannot be read (" + e.getMessage() + ")", e);
        }
        return frame(read(in, Long.MAX_VALUE), sourceId, sequence, truth);
    }

    /**
     * Decodes {@code bytes} (an upload's body) into a BGR24 frame, refusing an image of more than {@code maxPixels}
     * pixels from its header, before decoding: a small file can hold a huge image.
     *
     * @throws ImageDecodeException as {@link #decode(Path, String, long, String)}, or {@link Reason#TOO_LARGE}
     *                              with the message "WxH pixels; at most N megapixels are accepted"
     */
    public static Frame decode(byte[] bytes, long maxPixels, String sourceId, long sequence, String truth)
            throws ImageDecodeException {
        return frame(read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)), maxPixels), sourceId,
                sequence, truth);
    }

    /** The first image of {@code in}, as {@code ImageIO.read} finds it; closes {@code in}. */
    private static BufferedImage read(ImageInputStream in, long maxPixels) throws ImageDecodeException {
        try (in) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(Reason.NOT_AN_IMAGE, "not an image (no PNG, JPEG, GIF or BMP decoder accepts it)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                refuseLarger(reader, maxPixels);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Readers throw IIOException for truncated files and runtime exceptions for some corrupt headers.
            throw new ImageDecodeException(Reason.CORRUPT, "corrupt image (" + e.getMessage() + ")", e);
        }
    }

    private static void refuseLarger(ImageReader reader, long maxPixels) throws IOException, ImageDecodeException {
        if ((long) reader.getWidth(0) * reader.getHeight(0) > maxPixels) {
            throw new ImageDecodeException(Reason.TOO_LARGE, reader.getWidth(0) + "x" + reader.getHeight(0)
                    + " pixels; at most " + maxPixels / 1_000_000 + " megapixels are accepted");
        }
    }

    private static Frame frame(BufferedImage image, String sourceId, long sequence, String truth)
            throws ImageDecodeException {
        byte[] pixels = BgrPixels.of(image);
        return new Frame(sourceId, sequence, System.nanoTime(), Instant.now(), image.getWidth(), image.getHeight(),
                PixelFormat.BGR24, pixels, truth);
    }
}
