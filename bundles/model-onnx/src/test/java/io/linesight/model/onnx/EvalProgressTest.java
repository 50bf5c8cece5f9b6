package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines on a clock the test drives. */
class EvalProgressTest {

    /** Runs {@code total} images taking {@code nanosEach} each; returns the lines printed. */
    private static List<String> run(int total, long nanosEach) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {1_000_000_000L};
        EvalProgress progress = new EvalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> now[0], total);
        for (int i = 1; i <= total; i++) {
            now[0] += nanosEach;
            progress.update(i, i / 10);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aQuickRunPrintsNothing() {
        assertEquals(List.of(), run(1000, 1_000_000)); // 1 s in all
    }

    @Test
    void aSlowRunPrintsEveryTenPercentAfterTheFirstTwoSeconds() {
        List<String> lines = run(20, 1_000_000_000L);
        assertEquals(9, lines.size(), lines.toString()); // at 10 %, 20 %, ... 90 %; the report follows 100 %
        assertEquals("eval: 2/20 images (10 %), 0 unreadable, 1.0 images/s, 18 s left", lines.get(0));
        assertEquals("eval: 18/20 images (90 %), 1 unreadable, 1.0 images/s, 2 s left", lines.get(8));
    }

    @Test
    void aVerySlowRunPrintsAtLeastEveryFiveSeconds() {
        List<String> lines = run(1000, 6_000_000_000L);
        assertEquals(999, lines.size()); // every image takes longer than the interval
        assertEquals("eval: 1/1000 images (0 %), 0 unreadable, 0.2 images/s, 5994 s left", lines.get(0));
    }
}
