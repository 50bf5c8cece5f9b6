package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.image.ImageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime's one {@link ImageDecoder} (folder camera, gate, {@code model:eval}, upload check) against what
 * training decodes: torchvision's {@code pil_loader}, {@code Image.open(f).convert("RGB")} with Pillow 9.4 on
 * libjpeg-turbo 2.1. References are written by
 * {@code src/test/python/preprocessing_references.py} (42 photos, half PNG, half JPEG quality 90 4:2:0; grey,
 * palette, alpha, grey+alpha, CMYK JPEG, 16-bit grey and RGB) and {@code decoder_references.py} (palettes with
 * transparency, 4-bit palette, bilevel, 16-bit RGB with arbitrary low bytes, 16-bit RGBA; JPEG 4:4:4, 4:2:2,
 * progressive, quality 50 and 100, progressive grey, CMYK quality 75).
 *
 * <ul>
 *   <li>PNG photos: identical.</li>
 *   <li>JPEG: identical too. javax.imageio decodes with IJG libjpeg (the JDK's bundled 6b, or the system's
 *   libjpeg-turbo where the JDK is built against it, as Debian's is); libjpeg-turbo keeps 6b's integer IDCT,
 *   fancy upsampling for 4:2:0 and 4:2:2 and YCbCr tables bit for bit, so any difference is a regression to look
 *   at, not noise. (4:4:0 JPEGs, which neither Pillow nor OpenCV write, differ on a JDK with the bundled 6b:
 *   libjpeg-turbo upsamples them smoothly, 6b repeats rows.)</li>
 *   <li>Every mode: identical to {@code convert("RGB")}, except 16-bit grey, where Pillow 9.4 clips at 255 (nearly
 *   white) and ImageDecoder keeps the top byte on purpose (see its Javadoc); that exception is asserted as
 *   such.</li>
 * </ul>
 * The figures of every image are printed.
 */
class ImageDecodingParityTest {

    /** The 16-bit grey file: its samples are {@code (L * 257 + x) mod 65536} of grey.png's L at column x. */
    private static final String GREY16 = "modes/grey16.png";

    static TrainingStackReferences photos() throws Exception {
        return PreprocessingParityTest.references();
    }

    static TrainingStackReferences variants() throws Exception {
        return TrainingStackReferences.of("decoder_references.py", "decoder-references");
    }

    /** The mode images of both reference sets, with the set each belongs to. */
    static Stream<Object[]> modeImages() throws Exception {
        List<Object[]> all = new ArrayList<>();
        for (TrainingStackReferences refs : List.of(photos(), variants())) {
            refs.images.stream().filter(i -> i.file().startsWith("modes/")).forEach(i -> all.add(new Object[] {i.file(), refs, i}));
        }
        return all.stream();
    }

    /** How a decoded frame differs from a reference, value by value. */
    record Difference(long values, long different, int largest) {
        String describe() {
            return String.format("%d of %d values differ (%.3f %%), largest difference %d", different, values,
                    100.0 * different / values, largest);
        }
    }

    /** Compares BGR24 {@code ours} with the RGB24 reference. */
    static Difference compare(Frame ours, byte[] rgb) {
        byte[] bgr = ours.pixels();
        assertEquals(rgb.length, bgr.length, "size");
        long different = 0;
        int largest = 0;
        for (int i = 0; i < rgb.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                int step = Math.abs((rgb[i + c] & 0xFF) - (bgr[i + 2 - c] & 0xFF));
                different += step == 0 ? 0 : 1;
                largest = Math.max(largest, step);
            }
        }
        return new Difference(rgb.length, different, largest);
    }

    private static Difference decodeAndCompare(TrainingStackReferences refs, TrainingStackReferences.Image image)
            throws Exception {
        Frame ours = ImageDecoder.decode(refs.dir.resolve("images").resolve(image.file()), "parity", 1, null);
        assertEquals(image.width(), ours.width(), image.file());
        assertEquals(image.height(), ours.height(), image.file());
        return compare(ours, refs.decoded(image).pixels());
    }

    @Test
    void pngPhotosAreIdentical() throws Exception {
        TrainingStackReferences refs = photos();
        int checked = 0;
        for (TrainingStackReferences.Image image : refs.images) {
            if (image.isPhoto() && image.file().endsWith(".png")) {
                Difference d = decodeAndCompare(refs, image);
                assertEquals(0, d.different(), image.file() + ": " + d.describe());
                checked++;
            }
        }
        System.out.printf("decoder parity: %d PNG photos identical to PIL%n", checked);
        assertEquals(21, checked);
    }

    @Test
    void jpegsAreIdenticalToLibjpegTurbo() throws Exception {
        long values = 0;
        long different = 0;
        int largest = 0;
        int checked = 0;
        for (TrainingStackReferences refs : List.of(photos(), variants())) {
            for (TrainingStackReferences.Image image : refs.images) {
                if (image.file().endsWith(".jpg") && !image.file().startsWith("modes/")) {
                    Difference d = decodeAndCompare(refs, image);
                    System.out.printf("decoder parity: %-28s %s%n", image.file(), d.describe());
                    values += d.values();
                    different += d.different();
                    largest = Math.max(largest, d.largest());
                    checked++;
                }
            }
        }
        Difference all = new Difference(values, different, largest);
        System.out.printf("decoder parity: %d JPEGs (javax.imageio in %s %s) against PIL: %s%n", checked,
                System.getProperty("java.vm.name"), System.getProperty("java.version"), all.describe());
        assertEquals(21 + 7, checked);
        assertEquals(0, all.different(), all.describe());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modeImages")
    void everyModeAsPilConvertsIt(String file, TrainingStackReferences refs, TrainingStackReferences.Image image)
            throws Exception {
        Frame ours = ImageDecoder.decode(refs.dir.resolve("images").resolve(file), "parity", 1, null);
        byte[] pil = refs.decoded(image).pixels();
        if (file.equals(GREY16)) {
            System.out.printf("decoder parity: %-30s (%s) PIL: %d of %d values clipped to 255; ours against PIL: %s%n",
                    file, image.mode(), count255(pil), pil.length, compare(ours, pil).describe());
            pil = topBytes(refs);
        }
        Difference d = compare(ours, pil);
        System.out.printf("decoder parity: %-30s (%s) %s%n", file, image.mode(), d.describe());
        assertEquals(0, d.different(), file + ": " + d.describe());
    }

    @Test
    void pilTurnsSixteenBitGreyWhite() throws Exception {
        TrainingStackReferences refs = photos();
        TrainingStackReferences.Image grey16 = refs.images.stream().filter(i -> i.file().equals(GREY16)).findFirst()
                .orElseThrow();
        assertEquals("I", grey16.mode(), "Pillow 9.4 opens 16-bit grey PNGs as 32-bit integers");
        byte[] pil = refs.decoded(grey16).pixels();
        assertTrue(count255(pil) > pil.length * 0.95, "PIL's convert(\"RGB\") clips at 255: " + count255(pil));
    }

    private static long count255(byte[] values) {
        long n = 0;
        for (byte v : values) {
            n += (v & 0xFF) == 255 ? 1 : 0;
        }
        return n;
    }

    /** RGB24 of grey16.png's top bytes, made from grey.png's 8-bit values the way the script made its samples. */
    private static byte[] topBytes(TrainingStackReferences refs) throws Exception {
        TrainingStackReferences.Image grey = refs.images.stream().filter(i -> i.file().equals("modes/grey.png"))
                .findFirst().orElseThrow();
        byte[] l = refs.decoded(grey).pixels();
        byte[] out = new byte[l.length];
        for (int p = 0; p < l.length / 3; p++) {
            int sample = ((l[3 * p] & 0xFF) * 257 + p % grey.width()) & 0xFFFF;
            out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = (byte) (sample >> 8);
        }
        return out;
    }
}
