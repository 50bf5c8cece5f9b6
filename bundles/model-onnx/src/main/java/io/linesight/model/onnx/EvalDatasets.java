package io.linesight.model.onnx;

import io.linesight.api.model.metrics.DetectionMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the images of an evaluation dataset and their ground truth by its layout, refusing a folder that
 * does not have the layout with one message naming the path and the problem. Hidden files and folders
 * (name starting with a dot) are skipped; every other file counts as an image, so a stray non-image is
 * reported as unreadable rather than silently ignored. Files are listed in path order.
 */
final class EvalDatasets {

    /** An image of an ImageFolder dataset: its path relative to the dataset and the index of its class. */
    record LabelledImage(Path file, String name, int label) {
    }

    /** An image of a YOLO dataset and the label file that describes it (which may not exist). */
    record YoloImage(Path file, String name, Path labelFile, String labelName) {
    }

    private EvalDatasets() {
    }

    /**
     * ImageFolder layout: one sub-folder per class named like the card's labels (a label without a folder is
     * fine), images anywhere below it.
     */
    static List<LabelledImage> imageFolder(Path root, List<String> labels) throws DatasetException {
        requireFolder(root);
        List<Path> classFolders = children(root).stream().filter(Files::isDirectory).toList();
        if (classFolders.isEmpty()) {
            throw new DatasetException("Dataset " + root + " has no class folders: a classifier dataset needs one"
                    + " folder per label (ImageFolder layout), e.g. " + root.resolve(labels.get(0)) + "/*.png");
        }
        Set<String> unknown = new LinkedHashSet<>();
        List<LabelledImage> images = new ArrayList<>();
        for (Path folder : classFolders) {
            int label = labels.indexOf(folder.getFileName().toString());
            if (label < 0) {
                unknown.add(folder.getFileName().toString());
                continue;
            }
            for (Path file : files(folder)) {
                images.add(new LabelledImage(file, relative(root, file), label));
            }
        }
        if (!unknown.isEmpty()) {
            throw new DatasetException("Dataset " + root + ": folder" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + (unknown.size() > 1 ? " are not labels" : " is not a label")
                    + " of the model (labels: " + abbreviate(String.join(", ", labels)) + ")");
        }
        if (images.isEmpty()) {
            throw new DatasetException("Dataset " + root + " has no images in its class folders");
        }
        return images;
    }

    /** YOLO layout: {@code images/} and {@code labels/}; {@code labels/A/B.txt} describes {@code images/A/B.png}. */
    static List<YoloImage> yolo(Path root) throws DatasetException {
        requireFolder(root);
        Path images = root.resolve("images");
        Path labels = root.resolve("labels");
        if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
            throw new DatasetException("Dataset " + root + " is not in YOLO layout: it needs the folders images/ and"
                    + " labels/ (labels/NAME.txt with 'class cx cy w h' per object for images/NAME.png), missing "
                    + (Files.isDirectory(images) ? "labels/" : Files.isDirectory(labels) ? "images/" : "both"));
        }
        List<YoloImage> result = new ArrayList<>();
        for (Path file : files(images)) {
            String stem = relative(images, file).replaceFirst("\\.[^./]*$", "");
            Path labelFile = labels.resolve(stem + ".txt");
            result.add(new YoloImage(file, relative(root, file), labelFile, relative(root, labelFile)));
        }
        if (result.isEmpty()) {
            throw new DatasetException("Dataset " + root + " has no images in " + images);
        }
        return result;
    }

    /**
     * The objects of a YOLO label file in image pixels; no file means no objects. Exact duplicate lines
     * count once, as YOLOv5 drops them.
     *
     * @throws DatasetImage.UnreadableImageException naming the file and line when a line is not
     *                                               {@code class cx cy w h} with a known class and
     *                                               normalised coordinates
     */
    static List<DetectionMetrics.Box> yoloLabels(YoloImage image, int classes, int width, int height)
            throws DatasetImage.UnreadableImageException {
        if (!Files.exists(image.labelFile())) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(image.labelFile());
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetImage.UnreadableImageException(image.labelName() + " cannot be read (" + e.getMessage() + ")");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<DetectionMetrics.Box> boxes = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || !seen.add(String.join(" ", line.split("\\s+")))) {
                continue;
            }
            boxes.add(yoloBox(line, classes, width, height, image.labelName() + " line " + (n + 1)));
        }
        return boxes;
    }

    private static DetectionMetrics.Box yoloBox(String line, int classes, int width, int height, String where)
            throws DatasetImage.UnreadableImageException {
        String[] f = line.split("\\s+");
        if (f.length != 5) {
            throw new DatasetImage.UnreadableImageException(where + ": expected 'class cx cy w h', got '" + line + "'");
        }
        int cls;
        double[] v = new double[4];
        try {
            cls = Integer.parseInt(f[0]);
            for (int i = 0; i < 4; i++) {
                v[i] = Double.parseDouble(f[i + 1]);
            }
        } catch (NumberFormatException e) {
            throw new DatasetImage.UnreadableImageException(where + ": not numbers: '" + line + "'");
        }
        if (cls < 0 || cls >= classes) {
            throw new DatasetImage.UnreadableImageException(where + ": class " + cls + " is not one of the model's "
                    + classes + " classes (0.." + (classes - 1) + ")");
        }
        for (double x : v) {
            if (!(x >= 0 && x <= 1)) {
                throw new DatasetImage.UnreadableImageException(where + ": coordinates must be normalised to 0..1, got '"
                        + line + "'");
            }
        }
        return new DetectionMetrics.Box(cls, 1, (v[0] - v[2] / 2) * width, (v[1] - v[3] / 2) * height,
                (v[0] + v[2] / 2) * width, (v[1] + v[3] / 2) * height);
    }

    /** Refuses a dataset path that is missing, not a folder or not readable. */
    static void requireFolder(Path root) throws DatasetException {
        if (!Files.exists(root)) {
            throw new DatasetException("Dataset folder " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetException("Dataset " + root + " is not a folder");
        }
        if (!Files.isReadable(root)) {
            throw new DatasetException("Dataset folder " + root + " cannot be read (permissions)");
        }
    }

    private static List<Path> children(Path folder) throws DatasetException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> !hidden(p)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("Dataset folder " + folder + " cannot be listed: " + e.getMessage());
        }
    }

    /** Regular files below {@code folder}, skipping hidden files and anything inside hidden folders. */
    private static List<Path> files(Path folder) throws DatasetException {
        try (Stream<Path> s = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !hiddenBelow(folder, p))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("Dataset folder " + folder + " cannot be listed: " + e.getMessage());
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hiddenBelow(Path folder, Path file) {
        for (Path part : folder.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
