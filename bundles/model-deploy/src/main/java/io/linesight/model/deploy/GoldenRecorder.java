package io.linesight.model.deploy;

import io.linesight.api.deploy.GoldenOutputs;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps, image by image, what a model answered during its gate run (top-1 confidence and class, as the drift watch
 * reads a line's frames), so a passed gate leaves the drift watch a golden-set reference. One per gate run.
 */
final class GoldenRecorder {

    private final List<Double> confidences = new ArrayList<>();
    private final List<Integer> classes = new ArrayList<>();

    void record(InferenceResult result) {
        if (result instanceof Classification c) {
            confidences.add((double) c.best().confidence());
            classes.add(c.best().index());
        } else if (result instanceof Detections d && !d.objects().isEmpty()) {
            confidences.add((double) d.objects().get(0).confidence());
            classes.add(d.objects().get(0).classIndex());
        } else {
            confidences.add(0.0);
            classes.add(-1);
        }
    }

    GoldenOutputs outputs(String modelId) {
        return new GoldenOutputs(modelId, confidences, classes);
    }
}
