package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.linesight.runtime.BundleFolders.BundleJar;
import io.linesight.runtime.BundleFolders.Scan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleFoldersTest {

    @TempDir
    Path bundles;

    @Test
    void listsJarsByNumericLevelThenByName() throws IOException {
        touch("10/a.jar");
        touch("2/zeta.jar");
        touch("2/alpha.jar");
        touch("1/scr.jar");

        Scan scan = BundleFolders.scan(bundles);

        assertEquals(List.of(
                new BundleJar(1, bundles.resolve("1/scr.jar")),
                new BundleJar(2, bundles.resolve("2/alpha.jar")),
                new BundleJar(2, bundles.resolve("2/zeta.jar")),
                new BundleJar(10, bundles.resolve("10/a.jar"))), scan.jars());
        assertEquals(10, scan.highestLevel());
        assertEquals(List.of(), scan.ignored());
    }

    @Test
    void reportsWhatItDoesNotUnderstand() throws IOException {
        touch("1/ok.jar");
        touch("1/README.txt");
        touch("stray.jar");
        touch("0/zero.jar");
        touch("old/x.jar");
        Files.createDirectories(bundles.resolve("1/nested.jar"));

        Scan scan = BundleFolders.scan(bundles);

        assertEquals(List.of(new BundleJar(1, bundles.resolve("1/ok.jar"))), scan.jars());
        assertEquals(List.of(bundles.resolve("0"), bundles.resolve("1/README.txt"), bundles.resolve("1/nested.jar"),
                bundles.resolve("old"), bundles.resolve("stray.jar")), scan.ignored());
    }

    @Test
    void anEmptyFolderHasNoLevels() throws IOException {
        Scan scan = BundleFolders.scan(bundles);

        assertEquals(List.of(), scan.jars());
        assertEquals(0, scan.highestLevel());
    }

    @Test
    void aMissingFolderIsAnError() {
        assertThrows(NoSuchFileException.class, () -> BundleFolders.scan(bundles.resolve("nope")));
    }

    @Test
    void theBundlesFolderIsBesideTheLauncherJarOrItsClassesFolder() {
        assertEquals(Path.of("/opt/ls/bundles"), BundleFolders.besideCodeSource(Path.of("/opt/ls/linesight.jar")));
        assertEquals(Path.of("/w/runtime/target/bundles"),
                BundleFolders.besideCodeSource(Path.of("/w/runtime/target/classes")));
    }

    @Test
    void locatesTheBundlesFolderOfThisBuild() {
        // in a Maven build the launcher classes are in target/classes, so bundles/ is target/bundles
        Path located = BundleFolders.locate(BundleFolders.class);

        assertEquals("bundles", located.getFileName().toString());
        assertEquals("target", located.getParent().getFileName().toString());
    }

    private void touch(String relative) throws IOException {
        Path file = bundles.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
    }
}
