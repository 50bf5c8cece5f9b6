package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.model.Classification;
import io.linesight.api.model.InferenceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Overlapping the preprocessing of the next frame with the inference of this one must not change a single
 * result or their order: the two input slots must never be mixed up.
 */
class OverlappedInferenceTest {

    @Test
    void overlappedResultsEqualSequentialResultsInFrameOrder() throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(GoldenSetParityTest.PACKAGE.resolve("golden"))) {
            for (Path png : files.filter(p -> p.toString().endsWith(".png")).sorted().limit(30).toList()) {
                frames.add(GoldenSetParityTest.bgrFrame(png));
            }
        }
        try (OnnxModel model = (OnnxModel) new OnnxModelRuntime(GoldenSetParityTest.defaults())
                .load(GoldenSetParityTest.PACKAGE)) {
            List<float[]> sequential = new ArrayList<>();
            for (Frame frame : frames) {
                sequential.add(((Classification) model.infer(frame)).probabilities());
            }
            List<InferenceResult> overlapped = new ArrayList<>();
            Iterator<Frame> source = frames.iterator();
            long judged;
            try (OverlappedInference pipeline = new OverlappedInference(model)) {
                judged = pipeline.run(() -> source.hasNext() ? source.next() : null, overlapped::add);
            }
            assertEquals(frames.size(), judged);
            assertEquals(frames.size(), overlapped.size());
            int defects = 0;
            for (int i = 0; i < frames.size(); i++) {
                Classification c = (Classification) overlapped.get(i);
                assertArrayEquals(sequential.get(i), c.probabilities(), 0f, "frame " + i);
                defects += c.best().label().equals("defect") ? 1 : 0;
            }
            // Both classes occur, so a slot mix-up would show as a changed result.
            assertTrue(defects > 0 && defects < frames.size(), defects + " defects of " + frames.size());
        }
    }
}
