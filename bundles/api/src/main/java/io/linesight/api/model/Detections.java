package io.linesight.api.model;

import java.util.List;

/**
 * A detector's answer after non-maximum suppression, most confident first.
 */
public record Detections(
        List<Detection> objects,
        long preprocessNanos,
        long inferenceNanos,
        long postprocessNanos) implements InferenceResult {

    public Detections {
        objects = List.copyOf(objects);
    }

    /** How many objects of the given class were found. */
    public long count(String label) {
        return objects.stream().filter(d -> d.label().equals(label)).count();
    }
}
