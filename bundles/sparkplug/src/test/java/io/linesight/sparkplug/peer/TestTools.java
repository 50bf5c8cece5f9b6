package io.linesight.sparkplug.peer;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The project's {@code scripts/ensure-test-tools.sh} as seen from a test: finds the repository from the working
 * directory (a module folder of the build), installs a tool once per JVM and hands back what the script printed.
 */
public final class TestTools {

    private static final String SCRIPT = "scripts/ensure-test-tools.sh";
    private static final long INSTALL_TIMEOUT_MINUTES = 10;
    private static final Map<String, String> INSTALLED = new ConcurrentHashMap<>();

    private TestTools() {
    }

    /** The nearest folder at or above the working directory that holds {@code scripts/ensure-test-tools.sh}. */
    public static Path repoRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in " + start + " or any folder above it");
    }

    /**
     * Runs {@code ensure-test-tools.sh tool} (once per JVM and tool) and returns the last line it printed on
     * stdout: a node_modules path for the npm tools, empty for the Debian packages.
     *
     * @throws IllegalStateException with the script's output when it fails
     */
    public static String ensure(String tool) {
        return INSTALLED.computeIfAbsent(tool, TestTools::install);
    }

    /**
     * A folder for the logs of processes the tests start: {@code target/<name>} when the working directory has a
     * {@code target} folder (a Maven module), else a fresh temporary folder.
     */
    public static Path logDirectory(String name) {
        try {
            Path target = Path.of("target").toAbsolutePath();
            if (Files.isDirectory(target)) {
                return Files.createDirectories(target.resolve(name));
            }
            return Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a log folder for " + name, e);
        }
    }

    private static String install(String tool) {
        Path out = null;
        Path errors = null;
        try {
            out = Files.createTempFile("ensure-test-tools-", ".out");
            errors = Files.createTempFile("ensure-test-tools-", ".err");
            // Files, not inherited streams: a child writing to the JVM's stdout corrupts surefire's channel, and
            // a file cannot block the script the way an unread pipe can.
            Process process = new ProcessBuilder("bash", repoRoot().resolve(SCRIPT).toString(), tool)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(SCRIPT + " " + tool + " did not finish in "
                        + INSTALL_TIMEOUT_MINUTES + " min");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(SCRIPT + " " + tool + " failed (exit " + process.exitValue() + "): "
                        + output + "\n" + Files.readString(errors));
            }
            return output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT + " " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + SCRIPT + " " + tool, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }
}
