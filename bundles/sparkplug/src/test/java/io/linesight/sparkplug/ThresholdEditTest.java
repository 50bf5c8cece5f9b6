package io.linesight.sparkplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdEditTest {

    @TempDir
    Path dir;

    @Test
    void parsesEitherOrBothThresholdsAndRefusesAnythingElse() {
        assertEquals(Map.of("reject.minConfidence", 0.7, "review.minConfidence", 0.4),
                ThresholdEdit.parse("reject.minConfidence=0.7, review.minConfidence = 0.4"));
        assertEquals(Map.of("review.minConfidence", 0.2), ThresholdEdit.parse("review.minConfidence=0.2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThresholdEdit.parse("reject.minConfidence=abc"))
                .getMessage().contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThresholdEdit.parse("reject.minConfidence=1.5"))
                .getMessage().contains("between 0 and 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThresholdEdit.parse("model.package=/tmp/x"))
                .getMessage().contains("is not reject.minConfidence"));
        assertThrows(IllegalArgumentException.class, () -> ThresholdEdit.parse(" , "));
    }

    @Test
    void rewritesTheKeysInPlaceKeepingCommentsAndAppendsMissingOnes() throws Exception {
        Path file = dir.resolve("io.linesight.line-default.cfg");
        Files.write(file, List.of("# the default line", "line.id=default", "reject.minConfidence = 0.65",
                "# review below", "reject.labels=defect"));
        ThresholdEdit.rewrite(file, Map.of("reject.minConfidence", 0.7, "review.minConfidence", 0.4));
        assertEquals(List.of("# the default line", "line.id=default", "reject.minConfidence=0.7", "# review below",
                "reject.labels=defect", "review.minConfidence=0.4"), Files.readAllLines(file));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }
    }
}
