package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** models/tools/SignPackage.java (what models/sign runs) signs packages this bundle accepts. */
class SignToolTest {

    static final Path TOOL = Path.of("../../models/tools/SignPackage.java").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void keysAndSignaturesOfTheToolVerifyHere() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), TOOL.toString());
        assertEquals(0, rc, "SignPackage.java compiles");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()})) {
            Class<?> tool = loader.loadClass("SignPackage");
            Method main = tool.getMethod("main", String[].class);
            Path keys = tmp.resolve("keys");
            main.invoke(null, (Object) new String[] {"keygen", keys.toString(), "plant-7"});
            assertEquals(Set.of(PosixFilePermissions.fromString("rw-------")).iterator().next(),
                    Files.getPosixFilePermissions(keys.resolve("plant-7.key")));

            Path pkg = TestPackages.copy(tmp.resolve("pkg"), "1.0.0", 3);
            Path zip = tmp.resolve("out/pkg.zip");
            Files.createDirectories(zip.getParent());
            main.invoke(null, (Object) new String[] {pkg.toString(), keys.resolve("plant-7.key").toString(), "--zip",
                zip.toString()});
            assertTrue(Files.readString(pkg.resolve(PackageManifest.SIGNATURE)).startsWith("key: plant-7\n"));

            Path trusted = Files.createDirectories(tmp.resolve("trusted"));
            Files.copy(keys.resolve("plant-7.pub"), trusted.resolve("plant-7.pub"));
            PackageVerifier verifier = new PackageVerifier(new TrustedKeys(trusted), false);
            assertEquals("plant-7", verifier.verify(pkg, "pkg", Set.of()));
            Path unpacked = new PackageUnpacker(1 << 30).unpack(zip, Files.createDirectories(tmp.resolve("unpacked")));
            assertEquals("plant-7", verifier.verify(unpacked, "pkg.zip", Set.of()));
        }
    }
}
