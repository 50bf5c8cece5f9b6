package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Model packages as an engineer makes them for a test: copies of the shipped package under a new version, signed
 * and zipped with the project's own {@code models/sign}, and the HTTP requests that push them.
 */
final class ItPackages {

    private ItPackages() {
    }

    /** The shipped package's folder (model.json, model.onnx, golden/) copied to {@code target} as {@code version}. */
    static Path copyShipped(Path target, String version) throws IOException {
        Path source = RuntimeProcess.REPO.resolve("models/defect-mobilenetv2");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!f.getFileName().toString().endsWith(".py") && !f.getFileName().toString().equals("REPORT.md")) {
                    Files.copy(f, to);
                }
            }
        }
        Path card = target.resolve("model.json");
        Files.writeString(card, Files.readString(card).replace("\"version\": \"0.2.0\"", "\"version\": \"" + version + "\""));
        return target;
    }

    /** The shipped package under a new version, signed with {@code models/sign} by {@code keys/it-key} and zipped. */
    static Path signedPackage(Path work, String version, Path keys) throws Exception {
        Path target = copyShipped(work.resolve("defect-mobilenetv2-" + version), version);
        sign(target.toString(), keys.resolve("it-key.key").toString(), "--zip", zip(target).toString());
        return target;
    }

    /** The zip {@link #signedPackage} made beside the package folder. */
    static Path zip(Path packageDir) {
        return packageDir.resolveSibling(packageDir.getFileName() + ".zip");
    }

    /** Runs {@code models/sign} with {@code args}; fails the test when it fails. */
    static void sign(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(RuntimeProcess.REPO.resolve("models/sign").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "models/sign finished");
        assertEquals(0, p.exitValue(), "models/sign " + String.join(" ", args) + ":\n" + output);
    }

    /** PUT of a zip as the raw body, with a bearer token when given. */
    static HttpRequest put(URI uri, Path body, String token, String contentType) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .PUT(HttpRequest.BodyPublishers.ofFile(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    /** The digest the web's token list holds for {@code token}. */
    static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
