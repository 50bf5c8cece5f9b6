package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.model.card.Recipe;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recipe against its original, on 42 images of many sizes and aspect ratios (landscape, portrait, square,
 * smaller than the input, odd sizes; half PNG, half JPEG): the references are made by torchvision 0.14 on PIL
 * images and tensors, Pillow 9.4, OpenCV 4.6 and YOLOv5's letterbox ({@code src/test/python/
 * preprocessing_references.py}), from the pixels PIL decoded, so this test compares the preprocessing only.
 *
 * <ul>
 *   <li>The 8-bit image a recipe makes (resized and cropped, or letterboxed) must equal the original's byte for byte
 *   for {@code pil} and {@code cv2}. For {@code torch-tensor} on uint8, torch interpolates in float32 and rounds;
 *   ATen may fuse multiply-adds where we do not, so a value may land one step away where the float sum is within
 *   an ulp of .5: at most {@value #TORCH_UINT8_MAX_DIFFERENT_PER_MILLION} per million values, never more than one
 *   step.</li>
 *   <li>The tensor must match value by value: exactly the original's arithmetic for the 8-bit recipes (a table made
 *   with torchvision's ToTensor and Normalize, so at most one float ulp); for float recipes within
 *   {@value #FLOAT_TOLERANCE} (float rounding of sums of 2 to 8 products, after Normalize divides by 0.225).</li>
 * </ul>
 * The figures of every case are printed.
 */
class PreprocessingParityTest {

    static final int TORCH_UINT8_MAX_DIFFERENT_PER_MILLION = 200;
    static final double FLOAT_TOLERANCE = 1e-6;
    static final double EIGHT_BIT_TENSOR_TOLERANCE = 1e-6;

    static TrainingStackReferences references() throws Exception {
        return TrainingStackReferences.of("preprocessing_references.py", "preprocessing-references");
    }

    static Stream<TrainingStackReferences.Case> cases() throws Exception {
        return references().cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recipeMatchesItsOriginal(TrainingStackReferences.Case c) throws Exception {
        TrainingStackReferences refs = references();
        long values = 0;
        long different = 0;
        int largestStep = 0;
        int images = 0;
        int tensors = 0;
        double worstTensor = 0;
        for (TrainingStackReferences.Image image : refs.images) {
            if (!image.isPhoto()) {
                continue;
            }
            Frame frame = refs.decoded(image);
            Produced produced = produce(c, frame);
            byte[] expectedWindow = refs.window(c, image);
            if (c.window()) {
                assertNotNull(produced.window, c.id() + ": the recipe made no 8-bit image");
                assertEquals(expectedWindow.length, produced.window.length, c.id() + " " + image.file() + ": size");
                for (int i = 0; i < expectedWindow.length; i++) {
                    int step = Math.abs((expectedWindow[i] & 0xFF) - (produced.window[i] & 0xFF));
                    different += step == 0 ? 0 : 1;
                    if (step != 0 && System.getProperty("parity.debug") != null && different < 4) {
                        System.out.printf("DEBUG %s %s index %d expected %d got %d%n", c.id(), image.file(), i,
                                expectedWindow[i] & 0xFF, produced.window[i] & 0xFF);
                    }
                    largestStep = Math.max(largestStep, step);
                }
                values += expectedWindow.length;
            }
            float[] expectedTensor = refs.tensor(c, image);
            if (expectedTensor != null) {
                assertEquals(expectedTensor.length, produced.tensor.length, c.id() + " " + image.file() + ": tensor size");
                double worst = 0;
                for (int i = 0; i < expectedTensor.length; i++) {
                    worst = Math.max(worst, Math.abs(expectedTensor[i] - produced.tensor[i]));
                }
                worstTensor = Math.max(worstTensor, worst);
                tensors++;
            }
            images++;
        }
        System.out.printf("parity %-34s %d images: 8-bit %s, tensors %d, largest |difference| %.2e%n", c.id(), images,
                c.window() ? different + " of " + values + " values differ (largest step " + largestStep + ")" : "n/a",
                tensors, worstTensor);
        assertTrue(images >= 40, "at least 40 images, got " + images);
        assertTrue(tensors > 0, c.id() + ": no reference tensor compared");
        boolean eightBit = c.window();
        // PyTorch's float arithmetic is reproduced as its AVX2 build (the references' machine) computes it; on a
        // CPU without FMA both sides differ from it by an ulp now and then.
        boolean torchUint8 = "torch-tensor".equals(c.preprocessing().recipe()) && !FusedMultiplyAdd.IN_HARDWARE;
        if (eightBit && !torchUint8) {
            assertEquals(0, different, c.id() + ": 8-bit values differing from the original");
        } else if (eightBit) {
            assertTrue(largestStep <= 1, c.id() + ": a value " + largestStep + " steps away");
            assertTrue(different * 1_000_000 <= TORCH_UINT8_MAX_DIFFERENT_PER_MILLION * values,
                    c.id() + ": " + different + " of " + values + " values one step away");
        }
        double tolerance = eightBit ? EIGHT_BIT_TENSOR_TOLERANCE : FLOAT_TOLERANCE;
        assertTrue(worstTensor <= tolerance, c.id() + ": tensor differs by " + worstTensor);
    }

    /** The 8-bit window (or null) and the tensor a recipe makes of a frame. */
    record Produced(byte[] window, float[] tensor) {
    }

    static Produced produce(TrainingStackReferences.Case c, Frame frame) {
        if (c.detector()) {
            LetterboxPreprocessor p = new LetterboxPreprocessor(c.preprocessing().letterbox(),
                    Recipe.named(c.preprocessing().recipe()));
            float[] tensor = p.apply(frame).clone();
            return new Produced(letterboxed(p, c), tensor);
        }
        ClassifierPreprocessor p = new ClassifierPreprocessor(c.preprocessing(), c.tensorShape()[1], c.tensorShape()[2]);
        float[] tensor = p.apply(frame).clone();
        byte[] window = p.lastWindow();
        return new Produced(window == null ? null : window.clone(), tensor);
    }

    /** The whole letterboxed 8-bit canvas (the references hold YOLOv5's, padding included). */
    private static byte[] letterboxed(LetterboxPreprocessor p, TrainingStackReferences.Case c) {
        byte[] resized = p.lastWindow();
        if (resized == null) {
            return null;
        }
        Letterbox box = p.letterbox();
        int w = c.preprocessing().letterbox().width();
        int h = c.preprocessing().letterbox().height();
        byte[] canvas = new byte[w * h * 3];
        java.util.Arrays.fill(canvas, (byte) c.preprocessing().letterbox().padValue());
        for (int y = 0; y < box.resizedH(); y++) {
            System.arraycopy(resized, y * box.resizedW() * 3, canvas, ((box.top() + y) * w + box.left()) * 3,
                    box.resizedW() * 3);
        }
        return canvas;
    }
}
