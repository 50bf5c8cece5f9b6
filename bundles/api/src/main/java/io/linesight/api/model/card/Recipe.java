package io.linesight.api.model.card;

import java.util.List;
import java.util.Locale;

/**
 * The library whose resize a model was trained with, named in the card as {@code preprocessing.recipe}. Each
 * recipe reproduces its original on 8-bit images: bit for bit where the original works in integers (Pillow,
 * OpenCV, torchvision's rounding of uint8 tensors), to float rounding where it works in floats.
 *
 * <ul>
 *   <li>{@code pil}: Pillow's {@code Image.resize}, as torchvision's {@code Resize} applies it to PIL images
 *   (ImageFolder, the classic {@code Resize(256) + CenterCrop(224)}); always antialiased when shrinking.</li>
 *   <li>{@code torch-tensor}: torchvision's {@code Resize} on a tensor ({@code interpolate}); the card says
 *   whether the tensor held {@code uint8} values (read_image, PILToTensor) or {@code float32} ones (after
 *   ToTensor) and whether {@code antialias} was on (torchvision's default changed in 0.17, so it must be
 *   stated).</li>
 *   <li>{@code cv2}: OpenCV's {@code cv2.resize} on a uint8 image, as YOLOv5's letterbox and most OpenCV
 *   pipelines call it.</li>
 * </ul>
 */
public enum Recipe {
    PIL("pil", List.of("bilinear", "bicubic", "nearest", "box")),
    TORCH_TENSOR("torch-tensor", List.of("bilinear", "nearest")),
    CV2("cv2", List.of("bilinear", "area", "nearest"));

    /** What most training code for each task uses: torchvision on PIL images, YOLOv5's cv2 letterbox. */
    public static final Recipe CLASSIFY_DEFAULT = PIL;
    public static final Recipe DETECT_DEFAULT = CV2;
    public static final String DEFAULT_INTERPOLATION = "bilinear";

    private final String cardName;
    private final List<String> interpolations;

    Recipe(String cardName, List<String> interpolations) {
        this.cardName = cardName;
        this.interpolations = interpolations;
    }

    /** The name cards use ({@code preprocessing.recipe}). */
    public String cardName() {
        return cardName;
    }

    /** The interpolations this recipe's library offers, by their card names. */
    public List<String> interpolations() {
        return interpolations;
    }

    /** Every recipe's card name, comma-separated. */
    public static String names() {
        StringBuilder all = new StringBuilder();
        for (Recipe r : values()) {
            all.append(all.length() == 0 ? "" : ", ").append(r.cardName);
        }
        return all.toString();
    }

    /** The recipe a card names, or null if the name is unknown (or missing). */
    public static Recipe named(String name) {
        if (name == null) {
            return null;
        }
        for (Recipe r : values()) {
            if (r.cardName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }

    /** What the recipe is, in the words of the training code that uses it (for logs and model:inspect). */
    public String describe() {
        return switch (this) {
            case PIL -> "pil (torchvision transforms on PIL images, Pillow's antialiased resize with 8-bit rounding)";
            case TORCH_TENSOR -> "torch-tensor (torchvision transforms on image tensors, torch interpolate)";
            case CV2 -> "cv2 (OpenCV cv2.resize on uint8 images, as YOLOv5's letterbox)";
        };
    }

    /** Adds a sentence per problem of a classifier's resize step under this recipe. */
    public void resizeProblems(ModelCard.Resize resize, List<String> problems) {
        String interpolation = resize.interpolation() == null ? DEFAULT_INTERPOLATION : resize.interpolation();
        if (!interpolations.contains(interpolation)) {
            problems.add("preprocessing.resize.interpolation '" + interpolation + "' is not available with recipe "
                    + cardName + "; allowed: " + String.join(", ", interpolations));
        }
        antialiasProblems("preprocessing.resize", resize.antialias(), interpolation, problems);
        inputProblems("preprocessing.resize.input", resize.input(), problems);
    }

    /** Adds a sentence per problem of a detector's letterbox under this recipe. */
    public void letterboxProblems(ModelCard.LetterboxSpec box, List<String> problems) {
        String interpolation = box.interpolation() == null ? DEFAULT_INTERPOLATION : box.interpolation();
        if (this == TORCH_TENSOR && !DEFAULT_INTERPOLATION.equals(interpolation)) {
            problems.add("preprocessing.letterbox.interpolation '" + interpolation + "' is not available with recipe"
                    + " torch-tensor, whose letterbox interpolates the float image bilinearly; allowed: bilinear");
        } else if (!interpolations.contains(interpolation)) {
            problems.add("preprocessing.letterbox.interpolation '" + interpolation + "' is not available with recipe "
                    + cardName + "; allowed: " + String.join(", ", interpolations));
        }
    }

    private void antialiasProblems(String field, Boolean antialias, String interpolation, List<String> problems) {
        switch (this) {
            case PIL -> {
                if (Boolean.FALSE.equals(antialias) && !"nearest".equals(interpolation)) {
                    problems.add(field + ".antialias false is not possible with recipe pil: Pillow always antialiases"
                            + " when it shrinks; remove the field, or use recipe torch-tensor if the model was trained"
                            + " on tensors without antialias");
                }
            }
            case TORCH_TENSOR -> {
                if (antialias == null) {
                    problems.add(field + ".antialias must be true or false for recipe torch-tensor (torchvision's"
                            + " default changed from false to true in 0.17; say which one the training used)");
                } else if (antialias && !"bilinear".equals(interpolation)) {
                    problems.add(field + ".antialias true needs interpolation bilinear (torchvision antialiases"
                            + " bilinear and bicubic only)");
                }
            }
            case CV2 -> {
                if (Boolean.TRUE.equals(antialias)) {
                    problems.add(field + ".antialias true is not an OpenCV option; cv2.resize shrinks without a"
                            + " low-pass filter unless interpolation is area");
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private void inputProblems(String field, String input, List<String> problems) {
        if (this == TORCH_TENSOR) {
            if (!"uint8".equals(input) && !"float32".equals(input)) {
                problems.add(field + " must be uint8 (the tensor came from read_image or PILToTensor) or float32"
                        + " (Resize ran after ToTensor) for recipe torch-tensor, was " + input);
            }
        } else if (input != null && !"uint8".equals(input)) {
            problems.add(field + " '" + input + "' is not possible with recipe " + cardName
                    + ", which resizes 8-bit images; remove the field or use recipe torch-tensor");
        }
    }
}
