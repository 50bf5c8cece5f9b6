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

    /** How a frame becomes the input tensor, exactly as in training. */
    record Preprocessing(Resize resize, Size centerCrop, LetterboxSpec letterbox, double scale, float[] mean,
                         float[] std, String channelOrder) {
    }

    /** YOLOv5 letterbox: fit into {@code height x width} keeping the aspect ratio, pad with {@code padValue}. */
    record LetterboxSpec(int height, int width, int padValue) {
    }

    /**
     * Resize step: {@code fixed} to {@code height x width}, or {@code shorter} side to {@code size}
     * keeping the aspect ratio.
     */
    record Resize(String mode, int height, int width, int size, String interpolation, boolean antialias) {
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
