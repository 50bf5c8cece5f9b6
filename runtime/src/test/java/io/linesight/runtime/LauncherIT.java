package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the assembled {@code target/linesight.jar} as an operator would (a separate JVM, no terminal,
 * no stdin, a working directory of its own) and talks to it through its folders and its output.
 */
class LauncherIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration EVENT = Duration.ofSeconds(30);
    private static final Pattern STARTED = Pattern.compile("LineSight started: (\\d+) bundles active, (\\d+) failed");

    @TempDir
    Path tmp;

    private Process process;
    private Thread reader;
    private final List<String> output = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void startsTheServicesDeploysADroppedBundleAndStopsCleanlyOnSigterm() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.copy(Path.of(System.getProperty("linesight.logback")), config.resolve("logback.xml"));
        Path data = tmp.resolve("data");
        Path deploy = tmp.resolve("deploy");
        start("--config", config.toString(), "--data", data.toString(), "--deploy", deploy.toString());

        Matcher started = STARTED.matcher(awaitLine(l -> STARTED.matcher(l).find(), STARTUP));
        assertTrue(started.find());
        assertEquals("0", started.group(2), this::dump);
        for (String bsn : List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.metatype",
                "org.apache.felix.log", "org.apache.felix.fileinstall", "org.apache.felix.gogo.runtime",
                "org.apache.felix.gogo.command", "org.apache.felix.gogo.jline", "org.jline", "io.linesight.api",
                "io.linesight.image.decode")) {
            assertTrue(activeBundles().contains(bsn), () -> bsn + " not active\n" + dump());
        }

        dropBundle(deploy);
        awaitLine(l -> l.contains("Bundle started: io.linesight.test.dropin 1.0.0"), EVENT);

        Files.writeString(config.resolve("io.linesight.test.probe.cfg"), "answer = 42\n");
        awaitLine(l -> l.contains("Creating configuration {io.linesight.test.probe}"), EVENT);

        sigterm();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "no exit within 10 s after SIGTERM\n" + dump());
        reader.join(5_000); // the last lines may still be in the pipe
        assertEquals(0, process.exitValue(), this::dump);
        assertTrue(contains("LineSight stopped: framework stopped"), this::dump);
        assertNoStackTraces();
        String logFile = Files.readString(data.resolve("logs/linesight.log"));
        assertTrue(logFile.contains("LineSight started: ") && logFile.contains("LineSight stopped"), logFile);
    }

    @Test
    void aMissingConfigFolderIsOneWarningAndTheRuntimeStillStarts() throws Exception {
        Path config = tmp.resolve("no-such-config");
        start("--config", config.toString(), "--data", tmp.resolve("data").toString(),
                "--deploy", tmp.resolve("deploy").toString());

        awaitLine(l -> STARTED.matcher(l).find(), STARTUP);
        assertTrue(contains("WARN") && contains("Configuration folder " + config
                + " does not exist: LineSight starts with no lines"), this::dump);
        assertFalse(Files.exists(config), "the runtime must not create a mistyped config folder");
        stopAndExpectZero();
    }

    @Test
    void aMalformedLogbackFileFallsBackToTheBuiltInConfiguration() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("logback.xml"), "<configuration><appender name=\"broken\"");
        Path data = tmp.resolve("data");
        start("--config", config.toString(), "--data", data.toString(), "--deploy", tmp.resolve("deploy").toString());

        awaitLine(l -> STARTED.matcher(l).find(), STARTUP);
        assertTrue(contains("WARN") && contains("Logging configuration " + config.resolve("logback.xml")
                + " is not usable"), this::dump);
        assertTrue(Files.exists(data.resolve("logs/linesight.log")), "built-in configuration writes the log file");
        stopAndExpectZero();
    }

    @Test
    void aBundleThatWillNotStopDelaysTheExitByTenSecondsAtMost() throws Exception {
        Path deploy = tmp.resolve("deploy");
        start("--config", tmp.resolve("config").toString(), "--data", tmp.resolve("data").toString(),
                "--deploy", deploy.toString());
        awaitLine(l -> STARTED.matcher(l).find(), STARTUP);
        Path staged = TestBundles.write(tmp.resolve("staging/slow.jar"), "io.linesight.test.slow", Map.of(
                "Bundle-Activator", SlowStopActivator.class.getName(), "Import-Package", "org.osgi.framework"),
                List.of(SlowStopActivator.class));
        Files.move(staged, deploy.resolve("slow.jar"), StandardCopyOption.ATOMIC_MOVE);
        awaitLine(l -> l.contains("Bundle started: io.linesight.test.slow"), EVENT);

        sigterm();

        // the bundle sleeps 60 s in stop(); the launcher gives up after 10 s (generous margin here)
        assertTrue(process.waitFor(40, TimeUnit.SECONDS), this::dump);
        reader.join(5_000);
        assertEquals(1, process.exitValue(), this::dump);
        assertTrue(contains("WARN") && contains("Framework did not stop within 10 s; exiting anyway. "
                + "Stuck stopping: [io.linesight.test.slow 1.0.0]"), this::dump);
    }

    @Test
    void aSecondRuntimeOnTheSameDataFolderRefusesToStart() throws Exception {
        Path data = tmp.resolve("data");
        start("--config", tmp.resolve("config").toString(), "--data", data.toString(),
                "--deploy", tmp.resolve("deploy").toString());
        awaitLine(l -> STARTED.matcher(l).find(), STARTUP);

        Process second = new ProcessBuilder(javaCommand("--data", data.toString())).directory(tmp.toFile())
                .redirectErrorStream(true).start();
        second.getOutputStream().close();
        String secondOutput = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(second.waitFor(30, TimeUnit.SECONDS), secondOutput);
        assertEquals(1, second.exitValue(), secondOutput);
        assertTrue(secondOutput.contains("Another LineSight is running with the data folder " + data), secondOutput);
        assertTrue(process.isAlive(), "the first runtime keeps running\n" + dump());
        stopAndExpectZero();
    }

    @Test
    void aBadCommandLineExitsWithStatusTwoAndSaysWhy() throws Exception {
        start("--bogus");

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), this::dump);
        reader.join(5_000);
        assertEquals(2, process.exitValue());
        assertTrue(contains("linesight: Unknown option: --bogus") && contains("Usage: java -jar linesight.jar"),
                this::dump);
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("linesight.jar")));
        command.addAll(List.of(args));
        return command;
    }

    private void start(String... args) throws IOException {
        // a working directory of its own: the launcher must find its bundles beside its jar
        ProcessBuilder builder = new ProcessBuilder(javaCommand(args)).directory(tmp.toFile()).redirectErrorStream(true);
        process = builder.start();
        process.getOutputStream().close(); // no stdin, as under a service manager or CI
        reader = new Thread(this::collectOutput, "linesight-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void collectOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (output) {
            int seen = 0;
            while (Instant.now().isBefore(deadline)) {
                for (; seen < output.size(); seen++) {
                    if (wanted.test(output.get(seen))) {
                        return output.get(seen);
                    }
                }
                output.wait(200);
            }
        }
        throw new AssertionError("expected line not seen within " + timeout.toSeconds() + " s\n" + dump());
    }

    /** Symbolic names from the "Start level N: k active: bsn version, ..." lines. */
    private List<String> activeBundles() {
        List<String> names = new ArrayList<>();
        for (String line : snapshot()) {
            int at = line.indexOf(" active: ");
            if (line.contains("Start level ") && at > 0) {
                for (String entry : line.substring(at + " active: ".length()).split(", ")) {
                    names.add(entry.split(" ")[0]);
                }
            }
        }
        return names;
    }

    private void dropBundle(Path deploy) throws IOException {
        // imports SLF4J at both versions the system bundle exports (Milo and javacpp import [1.7,2))
        Path staged = TestBundles.write(tmp.resolve("staging/dropin.jar"), "io.linesight.test.dropin", Map.of(
                "Import-Package", "org.slf4j;version=\"[1.7,2)\",org.slf4j.spi;version=\"[2.0,3)\""));
        Files.move(staged, deploy.resolve("dropin.jar"), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * SIGTERM, as a service manager stops the runtime. Through the handle, because Process.destroy()
     * also closes our end of the output pipe, and the shutdown lines would be lost.
     */
    private void sigterm() {
        assertTrue(process.toHandle().destroy(), "SIGTERM not sent");
    }

    private void stopAndExpectZero() throws InterruptedException {
        sigterm();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), this::dump);
        reader.join(5_000);
        assertEquals(0, process.exitValue(), this::dump);
        assertNoStackTraces();
    }

    private void assertNoStackTraces() {
        assertFalse(snapshot().stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")),
                "expected problems are reported without stack traces\n" + dump());
    }

    private boolean contains(String text) {
        return snapshot().stream().anyMatch(l -> l.contains(text));
    }

    private List<String> snapshot() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private String dump() {
        return String.join("\n", snapshot());
    }
}
