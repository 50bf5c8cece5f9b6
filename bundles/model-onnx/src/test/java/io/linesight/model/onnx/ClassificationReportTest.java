package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The classification report must be scikit-learn's text, character for character. The expected texts
 * were written by Debian's scikit-learn (src/test/python/make_sklearn_reports.py).
 */
class ClassificationReportTest {

    static final Path CASES = Path.of("src/test/resources/sklearn-reports");

    record Case(String sklearn, List<String> names, int[] yTrue, int[] yPred, long[][] matrix) {
    }

    @Test
    void everyCaseMatchesScikitLearnCharacterForCharacter() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(CASES)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 13, "cases: " + files);
        for (Path file : files) {
            Case c;
            try (Reader reader = Files.newBufferedReader(file)) {
                c = new Gson().fromJson(reader, Case.class);
            }
            long[][] matrix = ClassificationReport.confusionMatrix(c.yTrue(), c.yPred(), c.names().size());
            for (int t = 0; t < matrix.length; t++) {
                assertArrayEquals(c.matrix()[t], matrix[t], file + " confusion matrix row " + t);
            }
            String expected = Files.readString(Path.of(file.toString().replace(".json", ".txt")));
            assertEquals(expected, ClassificationReport.sklearnText(matrix, c.names()), file.toString());
        }
    }

    @Test
    void roundsTheExactBinaryValueHalfToEvenLikePython() {
        assertEquals("0.12", ClassificationReport.fixed(0.125, 2));
        assertEquals("0.88", ClassificationReport.fixed(0.875, 2));
        assertEquals("0.61", ClassificationReport.fixed(0.615, 2)); // 0.61499999999999999112 in binary
        assertEquals("1.00", ClassificationReport.fixed(0.999, 2));
        assertEquals("0.333", ClassificationReport.fixed(1.0 / 3, 3));
    }

    @Test
    void matrixHasLabelHeadersWithRowsTrueAndColumnsPredicted() {
        long[][] m = ClassificationReport.confusionMatrix(new int[] {0, 0, 1, 1, 1}, new int[] {0, 1, 1, 1, 1}, 2);
        assertEquals("""
                confusion matrix (rows: true class, columns: predicted class)
                        ok  defect
                ok       1       1
                defect   0       3
                """, ClassificationReport.matrixText(m, List.of("ok", "defect")));
    }

    @Test
    void manyClassesListTheMostFrequentConfusionsInsteadOfAHugeMatrix() {
        int n = ClassificationReport.MAX_MATRIX_CLASSES + 1;
        List<String> names = java.util.stream.IntStream.range(0, n).mapToObj(i -> "c" + i).toList();
        long[][] m = ClassificationReport.confusionMatrix(new int[] {3, 3, 3, 5, 7}, new int[] {4, 4, 3, 6, 7}, n);
        String text = ClassificationReport.matrixText(m, names);
        assertTrue(text.startsWith("confusion matrix omitted for 21 classes; most frequent confusions"), text);
        assertTrue(text.contains("       2  c3 -> c4\n       1  c5 -> c6\n"), text);
    }
}
