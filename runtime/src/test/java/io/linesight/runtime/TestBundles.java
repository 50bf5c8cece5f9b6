package io.linesight.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes minimal bundle jars (a manifest, optionally a few test classes) for tests. */
final class TestBundles {

    private TestBundles() {
    }

    /** A bundle with the given symbolic name, version 1.0.0, and extra manifest headers. */
    static Path write(Path file, String symbolicName, Map<String, String> headers) throws IOException {
        return write(file, symbolicName, headers, List.of());
    }

    /** As {@link #write(Path, String, Map)}, also packing the given (test) classes. */
    static Path write(Path file, String symbolicName, Map<String, String> headers, List<Class<?>> classes)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Class<?> type : classes) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return file;
    }

    /** A bundle that imports the given packages (an Import-Package value). */
    static Path importing(Path file, String symbolicName, String imports) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Import-Package", imports);
        return write(file, symbolicName, headers);
    }
}
