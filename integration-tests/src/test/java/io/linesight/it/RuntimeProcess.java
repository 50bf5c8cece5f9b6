package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The built runtime ({@code java -jar runtime/target/linesight.jar}) in a subprocess, started as a user
 * would from the repository root, with its own copy of the shipped {@code config/} that a test may edit
 * before {@link #start()}. Its console output is captured line by line.
 */
final class RuntimeProcess implements AutoCloseable {

    static final Path REPO = Path.of(System.getProperty("linesight.repo", "..")).toAbsolutePath().normalize();
    private static final long STARTUP_TIMEOUT_S = 120;

    private final Path work;
    private final Path config;
    private final List<String> output = new CopyOnWriteArrayList<>();
    /** When each output line arrived (System.nanoTime), index for index with {@link #output}. */
    private final List<Long> outputNanos = new CopyOnWriteArrayList<>();
    private int httpPort;
    private Process process;
    private Thread pump;

    /** Prepares {@code target/it-work/<name>-<time>/config} as a copy of the shipped configuration. */
    RuntimeProcess(String name) throws IOException {
        work = Files.createDirectories(Path.of("target", "it-work")).toAbsolutePath()
                .resolve(name + "-" + System.currentTimeMillis());
        config = Files.createDirectories(work.resolve("config"));
        try (Stream<Path> files = Files.list(REPO.resolve("config"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        // Every runtime has the HTTP service: never on the shipped 8080, which a developer's runtime may hold.
        httpPort = freePort();
        set("org.apache.felix.http.cfg", "org.osgi.service.http.port", String.valueOf(httpPort));
    }

    /** The runtime's deploy folder ({@code --deploy}): bundles, and models under {@code models/}. */
    /** The runtime's data folder ({@code --data}). */
    Path dataFolder() {
        return work.resolve("var");
    }

    Path deployFolder() {
        return work.resolve("deploy");
    }

    /** Configures the HTTP service on {@code port} (say another runtime's, to provoke a conflict). */
    void useHttpPort(int port) throws IOException {
        httpPort = port;
        set("org.apache.felix.http.cfg", "org.osgi.service.http.port", String.valueOf(port));
    }

    /** The port the runtime's HTTP service listens on (loopback). */
    int httpPort() {
        return httpPort;
    }

    Path config(String file) {
        return config.resolve(file);
    }

    /** Rewrites one key of a {@code .cfg} file (FileInstall properties format). */
    void set(String file, String key, String value) throws IOException {
        Path cfg = config(file);
        List<String> lines = Files.readAllLines(cfg);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key + "=")) {
                lines.set(i, key + "=" + value);
                found = true;
            }
        }
        assertTrue(found, key + " in " + cfg);
        Files.write(cfg, lines);
    }

    /** Starts the runtime and waits until it reports that startup is complete. */
    void start() throws Exception {
        start(new String[0]);
    }

    /** As {@link #start()}, with extra launcher options such as {@code --strict}. */
    void start(String... options) throws Exception {
        int from = output.size(); // a restart must not be satisfied by the previous run's output
        launch(options);
        await(() -> { List<String> now = List.copyOf(output); return now.subList(from, now.size()).stream().anyMatch(l -> l.contains("LineSight started")); },
                STARTUP_TIMEOUT_S, "the runtime to report it started");
    }

    /** Starts the runtime with extra launcher options and returns at once. */
    void launch(String... options) throws Exception {
        Path jar = REPO.resolve("runtime/target/linesight.jar");
        assertTrue(Files.isRegularFile(jar), "build the runtime first: " + jar);
        List<String> command = new java.util.ArrayList<>(List.of(javaExecutable(),
                "-Dorg.osgi.service.http.port=" + httpPort, "-jar", jar.toString(),
                "--config", config.toString(), "--data", work.resolve("var").toString(),
                "--deploy", work.resolve("deploy").toString()));
        command.addAll(List.of(options));
        process = new ProcessBuilder(command)
                .directory(REPO.toFile()) // model.package is relative to the folder the runtime starts in
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        pump = new Thread(this::pumpOutput, "runtime-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** The first output line containing {@code text}, or fails. */
    String outputLine(String text) {
        return output.stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", output)));
    }

    /** When the first output line from index {@code from} on containing {@code text} arrived (System.nanoTime). */
    long outputSeenNanos(String text, int from) {
        List<String> now = List.copyOf(output);
        for (int i = from; i < now.size(); i++) {
            if (now.get(i).contains(text)) {
                return outputNanos.get(i);
            }
        }
        throw new AssertionError("no line with '" + text + "'");
    }

    boolean outputContains(String text) {
        return output.stream().anyMatch(l -> l.contains(text));
    }

    List<String> output() {
        return List.copyOf(output);
    }

    /** The runtime's rolling log file, complete once the runtime has exited. */
    List<String> logFile() throws IOException {
        return Files.readAllLines(work.resolve("var/logs/linesight.log"));
    }

    /**
     * The status lines written so far to {@code <data>/logs/status.log} (one per line and second, not on the console),
     * without their time stamps: {@code line default RUNNING fps=10.0 pass=...}. Empty before the first.
     */
    List<String> statusLog() {
        Path file = work.resolve("var/logs/status.log");
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().map(RuntimeProcess::withoutTime).toList() : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The message of a status log line, after its date and time. */
    private static String withoutTime(String line) {
        int start = line.indexOf(" line ");
        return start < 0 ? line : line.substring(start + 1);
    }

    /** Polls {@code condition} until it holds; fails if the runtime exits or the time runs out. */
    void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("runtime exited (" + process.exitValue() + ") while waiting for " + what
                        + "; output:\n" + String.join("\n", output));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Waits for the runtime to exit by itself; returns its status, or fails after the timeout. */
    int awaitExit(long seconds) throws InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "runtime still running after " + seconds + " s");
        pump.join(TimeUnit.SECONDS.toMillis(10)); // its last lines
        return process.exitValue();
    }

    /** Sends SIGTERM; returns the exit status, or fails if the runtime is still running after the timeout. */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "runtime still running " + seconds + " s after SIGTERM");
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                outputNanos.add(System.nanoTime());
                output.add(line);
                System.out.println("[runtime] " + line);
            }
        } catch (IOException e) {
            outputNanos.add(System.nanoTime());
            output.add("output pump ended: " + e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
