package io.linesight.api.deploy;

import java.util.List;

/**
 * What a stored model answered on its own golden set when its gate ran on this runtime, image by image: its top-1
 * confidence and top-1 class (a detector: its most confident object, or class -1 with confidence 0 when it found
 * none). The drift watch can take it as the reference a line's frames are compared with.
 *
 * @param model         {@code name@version}
 * @param topConfidence per golden image, in the gate's order
 * @param topClass      per golden image, the label index (-1: none)
 */
public record GoldenOutputs(String model, List<Double> topConfidence, List<Integer> topClass) {

    public GoldenOutputs {
        topConfidence = List.copyOf(topConfidence);
        topClass = List.copyOf(topClass);
        if (topConfidence.size() != topClass.size()) {
            throw new IllegalArgumentException("one confidence and one class per golden image: " + topConfidence.size()
                    + " confidences, " + topClass.size() + " classes");
        }
    }
}
