package io.linesight.model.onnx;

import java.util.List;

/**
 * The model card ({@code model.json}) of a model package, as documented in {@code models/README.md}.
 * Field names match the JSON; {@link ModelCards#read} fills and validates it.
 */
record ModelCard(
        String name,
        String version,
        String task,
        String file,
        String sha256,
        Input input,
        Preprocessing preprocessing,
        List<String> labels,
        Postprocessing postprocessing) {

    /** The model's input tensor. */
    record Input(String name, String layout, int height, int width, String dtype) {
    }

    /**
     * How a frame becomes the input tensor, exactly as in training: {@code recipe} names the library whose resize
     * the model was trained with ({@link Recipe}).
     */
    record Preprocessing(String recipe, Resize resize, Size centerCrop, LetterboxSpec letterbox, double scale,
                         float[] mean, float[] std, String channelOrder) {

        /** The same preprocessing with another recipe name. */
        Preprocessing withRecipe(String name) {
            return new Preprocessing(name, resize, centerCrop, letterbox, scale, mean, std, channelOrder);
        }
    }

    /**
     * YOLOv5 letterbox: fit into {@code height x width} keeping the aspect ratio (YOLOv5's rounding), pad with
     * {@code padValue}; {@code interpolation} of the resize (null: bilinear, as YOLOv5).
     */
    record LetterboxSpec(int height, int width, int padValue, String interpolation) {

        LetterboxSpec(int height, int width, int padValue) {
            this(height, width, padValue, null);
        }
    }

    /**
     * Resize step: {@code fixed} to {@code height x width}, or {@code shorter} side to {@code size}
     * keeping the aspect ratio. {@code antialias} (null when the card does not say) and {@code input}
     * ({@code uint8} or {@code float32}: what the tensor holds when torchvision resizes it) matter for the
     * {@code torch-tensor} recipe.
     */
    record Resize(String mode, int height, int width, int size, String interpolation, Boolean antialias,
                  String input) {

        Resize(String mode, int height, int width, int size, String interpolation, Boolean antialias) {
            this(mode, height, width, size, interpolation, antialias, null);
        }
    }

    /** A height and width in pixels. */
    record Size(int height, int width) {
    }

    /**
     * What to do with the output tensor: softmax and top-k for classifiers; thresholds and the cap for
     * detectors (confidence = objectness x class score).
     */
    record Postprocessing(boolean softmax, int topK, float confidenceThreshold, float iouThreshold, int maxDetections) {
    }
}
