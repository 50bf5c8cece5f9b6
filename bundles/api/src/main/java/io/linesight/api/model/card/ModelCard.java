package io.linesight.api.model.card;

import java.util.List;

/**
 * The model card ({@code model.json}) of a model package, as documented in {@code models/README.md}: the one
 * record every bundle reads (runner, deployment and its gate, {@code model:eval}, the web upload check).
 * Field names match the JSON; {@link ModelCardReader} parses and validates it. A field the card leaves out is
 * null (numbers 0, flags false); the runner may complete some of them from the ONNX file.
 */
public record ModelCard(
        String name,
        String version,
        String task,
        String file,
        String sha256,
        Input input,
        Preprocessing preprocessing,
        List<String> labels,
        Postprocessing postprocessing,
        Gate gate) {

    /** The card file at the top of every model package. */
    public static final String CARD_FILE = "model.json";

    /** {@code name@version}. */
    public String id() {
        return name + "@" + version;
    }

    /** Whether the card says {@code task: detect}. */
    public boolean detector() {
        return "detect".equals(task);
    }

    /** The same card with other input, preprocessing and labels (what completion from the ONNX file changes). */
    public ModelCard with(Input newInput, Preprocessing newPreprocessing, List<String> newLabels) {
        return new ModelCard(name, version, task, file, sha256, newInput, newPreprocessing, newLabels, postprocessing,
                gate);
    }

    /**
     * What the deployment gate demands before a package reaches a line: {@code minAccuracy} (classifiers) or
     * {@code minMap50} (detectors), and {@code latencyBudgetMs}; each null when the card does not say.
     */
    public record Gate(Double minAccuracy, Double minMap50, Double latencyBudgetMs) {
    }

    /** The model's input tensor. */
    public record Input(String name, String layout, int height, int width, String dtype) {
    }

    /**
     * How a frame becomes the input tensor, exactly as in training: {@code recipe} names the library whose resize
     * the model was trained with ({@link Recipe}).
     */
    public record Preprocessing(String recipe, Resize resize, Size centerCrop, LetterboxSpec letterbox, double scale,
                         float[] mean, float[] std, String channelOrder) {

        /** The same preprocessing with another recipe name. */
        public Preprocessing withRecipe(String name) {
            return new Preprocessing(name, resize, centerCrop, letterbox, scale, mean, std, channelOrder);
        }
    }

    /**
     * YOLOv5 letterbox: fit into {@code height x width} keeping the aspect ratio (YOLOv5's rounding), pad with
     * {@code padValue}; {@code interpolation} of the resize (null: bilinear, as YOLOv5).
     */
    public record LetterboxSpec(int height, int width, int padValue, String interpolation) {

        public LetterboxSpec(int height, int width, int padValue) {
            this(height, width, padValue, null);
        }
    }

    /**
     * Resize step: {@code fixed} to {@code height x width}, or {@code shorter} side to {@code size}
     * keeping the aspect ratio. {@code antialias} (null when the card does not say) and {@code input}
     * ({@code uint8} or {@code float32}: what the tensor holds when torchvision resizes it) matter for the
     * {@code torch-tensor} recipe.
     */
    public record Resize(String mode, int height, int width, int size, String interpolation, Boolean antialias,
                  String input) {

        public Resize(String mode, int height, int width, int size, String interpolation, Boolean antialias) {
            this(mode, height, width, size, interpolation, antialias, null);
        }
    }

    /** A height and width in pixels. */
    public record Size(int height, int width) {
    }

    /**
     * What to do with the output tensor: softmax and top-k for classifiers; thresholds and the cap for
     * detectors (confidence = objectness x class score).
     */
    public record Postprocessing(boolean softmax, int topK, float confidenceThreshold, float iouThreshold, int maxDetections) {
    }
}
