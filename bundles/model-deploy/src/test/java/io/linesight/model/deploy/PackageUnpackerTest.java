package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageUnpackerTest {

    @TempDir
    Path tmp;

    private DeploymentException refused(Path zip, long maxBytes) throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> new PackageUnpacker(maxBytes).unpack(zip, staging));
        assertEquals(Reason.NOT_TRUSTED, e.reason());
        return e;
    }

    @Test
    void anEntryEscapingThePackageFolderIsRefused() throws Exception {
        Path zip = TestPackages.zipWith(tmp.resolve("slip.zip"), "../../evil.txt", "owned");
        String message = refused(zip, 1 << 20).getMessage();
        assertTrue(message.contains("'../../evil.txt'") && message.contains("zip-slip"), message);
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
    }

    @Test
    void anAbsoluteEntryIsRefused() throws Exception {
        Path zip = TestPackages.zipWith(tmp.resolve("abs.zip"), "/tmp/evil.txt", "owned");
        assertTrue(refused(zip, 1 << 20).getMessage().contains("zip-slip"));
    }

    @Test
    void aZipLargerThanTheBoundIsRefused() throws Exception {
        Path zip = TestPackages.zipWith(tmp.resolve("big.zip"), "model.json", "x".repeat(5000));
        assertTrue(refused(zip, 100).getMessage().contains("maxPackageMegabytes"));
    }

    @Test
    void aZipThatUnpacksBeyondTheBoundIsRefused() throws Exception {
        // 2 MB of zeros compress to a few kB: the bound is on what is written, not on the zip
        Path zip = TestPackages.zipWith(tmp.resolve("bomb.zip"), "model.json", "\0".repeat(2 << 20));
        assertTrue(Files.size(zip) < 100_000);
        assertTrue(refused(zip, 1 << 20).getMessage().contains("unpacks to more than"));
    }

    @Test
    void aTruncatedOrEmptyZipIsRefused() throws Exception {
        Path zip = TestPackages.zipWith(tmp.resolve("whole.zip"), "model.json", "{}".repeat(1000));
        byte[] bytes = Files.readAllBytes(zip);
        Path half = Files.write(tmp.resolve("half.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(refused(half, 1 << 20).getMessage().contains("not a complete zip"));
        Path empty = Files.write(tmp.resolve("empty.zip"), new byte[0]);
        assertTrue(refused(empty, 1 << 20).getMessage().contains("not a complete zip"));
    }

    @Test
    void aZipWithOneTopFolderHasItsPackageThere() throws Exception {
        Path zip = tmp.resolve("top.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("m-1.0/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("m-1.0/model.json"));
            out.write("{}".getBytes());
            out.closeEntry();
        }
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        assertEquals(staging.resolve("m-1.0"), new PackageUnpacker(1 << 20).unpack(zip, staging));
    }

    @Test
    void aZipWithoutACardIsRefused() throws Exception {
        Path zip = TestPackages.zipWith(tmp.resolve("nocard.zip"), "readme.txt", "hello");
        assertTrue(refused(zip, 1 << 20).getMessage().contains("has no model.json"));
    }
}
