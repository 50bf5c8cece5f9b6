package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset or package that cannot be evaluated gives one line naming the path and the problem. */
class EvalInputErrorsTest {

    private static final Path CLASSIFIER = GoldenSetParityTest.PACKAGE;
    private static final Path DETECTOR = ModelEvaluationTest.DETECTOR;

    @TempDir
    Path dir;

    private final ModelEvaluation evaluation = new ModelEvaluation(GoldenSetParityTest.defaults(),
            new PrintStream(new ByteArrayOutputStream()), System::nanoTime);

    private String eval(Path model, Path dataset) {
        String report = evaluation.evaluate(model, dataset);
        assertFalse(report.contains("\tat ") || report.contains("Exception"), report);
        assertEquals(1, report.lines().count(), report);
        return report;
    }

    @Test
    void missingDatasetFolder() {
        Path missing = dir.resolve("nowhere");
        assertEquals("Cannot evaluate: Dataset folder " + missing + " does not exist", eval(CLASSIFIER, missing));
    }

    @Test
    void datasetThatIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("list.txt"), "x");
        assertEquals("Cannot evaluate: Dataset " + file + " is not a folder", eval(CLASSIFIER, file));
    }

    @Test
    void emptyFolderForAClassifier() {
        assertEquals("Cannot evaluate: Dataset " + dir + " has no class folders: a classifier dataset needs one folder"
                + " per label (ImageFolder layout), e.g. " + dir.resolve("ok") + "/*.png", eval(CLASSIFIER, dir));
    }

    @Test
    void classFolderThatIsNotALabelIsNamed() throws Exception {
        Files.createDirectories(dir.resolve("ok"));
        Files.createDirectories(dir.resolve("scratched"));
        assertEquals("Cannot evaluate: Dataset " + dir + ": folder scratched is not a label of the model (labels: ok,"
                + " defect)", eval(CLASSIFIER, dir));
    }

    @Test
    void classFoldersWithoutImages() throws Exception {
        Files.createDirectories(dir.resolve("ok"));
        Files.writeString(dir.resolve("ok/.hidden"), "skipped");
        assertEquals("Cannot evaluate: Dataset " + dir + " has no images in its class folders", eval(CLASSIFIER, dir));
    }

    @Test
    void detectorDatasetWithoutLabelsFolder() throws Exception {
        Files.createDirectories(dir.resolve("images"));
        assertEquals("Cannot evaluate: Dataset " + dir + " is not in YOLO layout: it needs the folders images/ and"
                + " labels/ (labels/NAME.txt with 'class cx cy w h' per object for images/NAME.png), missing labels/",
                eval(DETECTOR, dir));
    }

    @Test
    void detectorDatasetWithoutImages() throws Exception {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("labels"));
        assertEquals("Cannot evaluate: Dataset " + dir + " has no images in " + dir.resolve("images"),
                eval(DETECTOR, dir));
    }

    @Test
    void packageThatDoesNotLoad() throws Exception {
        Path notAPackage = Files.createDirectories(dir.resolve("empty-package"));
        Files.createDirectories(dir.resolve("data/ok"));
        String report = eval(notAPackage, dir.resolve("data"));
        assertEquals("Cannot evaluate " + notAPackage + ": Model package " + notAPackage + " has no model.json: check"
                + " the line's model.package setting or redeploy the package", report);
    }
}
