package io.linesight.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code bundles/<start level>/*.jar} layout that the build puts next to {@code linesight.jar}.
 *
 * <p>Each sub-folder named by a positive integer is a start level; every {@code *.jar} in it is a
 * bundle installed at that level. Anything else in {@code bundles/} (a stray jar, a folder named
 * "old") is reported as ignored rather than guessed at.
 */
public final class BundleFolders {

    /** One bundle file and the start level it is installed with. */
    public record BundleJar(int startLevel, Path path) {
        /** File name, for log lines. */
        public String fileName() {
            return path.getFileName().toString();
        }
    }

    /** What a scan found: the bundles in start order, and the entries it did not understand. */
    public record Scan(List<BundleJar> jars, List<Path> ignored) {
        /** Highest start level that holds a bundle, or 0 for an empty scan. */
        public int highestLevel() {
            return jars.stream().mapToInt(BundleJar::startLevel).max().orElse(0);
        }
    }

    private BundleFolders() {
    }

    /**
     * The bundles folder beside the launcher's code source: beside {@code linesight.jar}, or beside
     * {@code target/classes} when run from a build tree. Independent of the working directory.
     */
    public static Path locate(Class<?> anchor) {
        try {
            return besideCodeSource(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the launcher's own jar: " + e.getMessage(), e);
        }
    }

    /** {@code <parent of jar or classes folder>/bundles}. */
    static Path besideCodeSource(Path codeSource) {
        return codeSource.toAbsolutePath().normalize().getParent().resolve("bundles");
    }

    /**
     * Lists the bundles in start order: by level, then by file name within a level.
     *
     * @throws NoSuchFileException if {@code bundlesDir} does not exist
     */
    public static Scan scan(Path bundlesDir) throws IOException {
        if (!Files.isDirectory(bundlesDir)) {
            throw new NoSuchFileException(bundlesDir.toString(), null, "no such folder");
        }
        List<BundleJar> jars = new ArrayList<>();
        List<Path> ignored = new ArrayList<>();
        for (Path entry : sorted(bundlesDir)) {
            int level = startLevel(entry);
            if (level > 0) {
                scanLevel(entry, level, jars, ignored);
            } else {
                ignored.add(entry);
            }
        }
        jars.sort(Comparator.comparingInt(BundleJar::startLevel).thenComparing(BundleJar::fileName));
        return new Scan(List.copyOf(jars), List.copyOf(ignored));
    }

    private static void scanLevel(Path levelDir, int level, List<BundleJar> jars, List<Path> ignored)
            throws IOException {
        for (Path file : sorted(levelDir)) {
            if (Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jar")) {
                jars.add(new BundleJar(level, file));
            } else {
                ignored.add(file);
            }
        }
    }

    /** The start level a folder stands for, or -1 if it is not a folder named by a positive integer. */
    static int startLevel(Path entry) {
        if (!Files.isDirectory(entry)) {
            return -1;
        }
        String name = entry.getFileName().toString();
        if (!name.matches("[0-9]{1,4}")) {
            return -1;
        }
        int level = Integer.parseInt(name);
        return level > 0 ? level : -1;
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
