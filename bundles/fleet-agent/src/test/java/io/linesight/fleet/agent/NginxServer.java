package io.linesight.fleet.agent;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nginx ({@code /usr/sbin/nginx}, installed by {@code scripts/ensure-test-tools.sh nginx}) serving a temporary
 * folder over plain HTTP on 127.0.0.1, in its own process, with a configuration of its own: one process
 * ({@code master_process off}, so that a kill leaves no worker holding the port), {@code daemon off}, the pid file,
 * the logs and the temporary folders in {@link #directory()}, so it runs as any user and never touches the system
 * service.
 *
 * <p>The access log has one line per finished request, {@code $status $request $http_range $body_bytes_sent}
 * ({@link #accessLog()}). nginx writes it when a request ends, not when it is cut off by {@link #stop()}.
 *
 * <p>The port is chosen once: {@link #stop()}, {@link #kill()} or {@link #pause()} and then {@link #start()} or
 * {@link #resume()} bring the same server back, for outage tests; {@link #limitRate(String)} changes the
 * configuration for the next start. {@link #close()} kills the process.
 */
public final class NginxServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/nginx");

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int PORT_ATTEMPTS = 3;
    private static final Pattern LOG_LINE = Pattern.compile("(\\d{3}) (\\S+) (\\S+) \\S+ (\\S+) (\\d+)");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    static {
        // a test that never reached close() (a crashed fork, an interrupted run) leaves no nginx behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "nginx-reaper"));
    }

    /** One line of the access log. */
    public record Request(int status, String method, String path, String range, long bodyBytesSent) {

        /** The {@code N} of a {@code Range: bytes=N-} header, if the request had one of that form. */
        Optional<Long> rangeStart() {
            Matcher matcher = Pattern.compile("bytes=(\\d+)-").matcher(range);
            return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
        }
    }

    private final Path directory;
    private final Path root;
    private final Path config;
    private final Path accessLog;
    private final Path errorLog;
    private final int port;
    private String limitRate;
    private Integer maxRanges;
    private final List<String> serverDirectives = new ArrayList<>();
    private Process process;

    private NginxServer(Path directory, int port, String limitRate) throws IOException {
        this.directory = directory;
        this.root = Files.createDirectories(directory.resolve("www"));
        this.config = directory.resolve("nginx.conf");
        this.accessLog = directory.resolve("access.log");
        this.errorLog = directory.resolve("error.log");
        this.port = port;
        this.limitRate = limitRate;
        Files.createDirectories(directory.resolve("tmp"));
        writeConfig();
    }

    /** Creates and starts a server without a rate limit. */
    public static NginxServer launch() throws IOException {
        return launch(null);
    }

    /**
     * Creates and starts a server; retries with another port when another process took the chosen one first.
     *
     * @param limitRate nginx's {@code limit_rate} for every response, for example {@code "1m"} (1 MiB/s), or
     *                  {@code null} for none
     */
    public static NginxServer launch(String limitRate) throws IOException {
        ensureInstalled();
        Path parent = Files.createDirectories(Path.of("target", "nginx").toAbsolutePath());
        Path directory = Files.createTempDirectory(parent, "server-");
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            NginxServer server = new NginxServer(directory, freePort(), limitRate);
            try {
                server.start();
                return server;
            } catch (IOException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    /** Sets {@code limit_rate} ({@code null} = none); takes effect at the next {@link #start()}. */
    public synchronized void limitRate(String rate) throws IOException {
        this.limitRate = rate;
        writeConfig();
    }

    /** Sets {@code max_ranges} (0 = the server ignores {@code Range}); takes effect at the next {@link #start()}. */
    synchronized void maxRanges(int ranges) throws IOException {
        this.maxRanges = ranges;
        writeConfig();
    }

    /**
     * Adds a directive to the {@code server} block, for example {@code "sub_filter_types *"}; takes effect at the
     * next {@link #start()}.
     */
    synchronized void serverDirective(String directive) throws IOException {
        serverDirectives.add(directive);
        writeConfig();
    }

    /** Stops nginx and starts it again, with the configuration as it is now. */
    synchronized void restart() throws IOException {
        stop();
        start();
    }

    /**
     * Starts nginx (again) on this server's port and returns once it accepts connections.
     *
     * @throws IOException if it exits or does not listen within 30 s (the message has the end of its error log)
     */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("nginx is already running on port " + port);
        }
        process = new ProcessBuilder(BINARY.toString(), "-p", directory + "/", "-c", config.toString(),
                "-e", errorLog.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("nginx.out").toFile()))
                .start();
        LIVE.add(process);
        try {
            awaitListening();
        } catch (IOException e) {
            kill();
            throw e;
        }
    }

    /** Stops nginx like an administrator would (SIGTERM: open connections are cut) and waits for it to end. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            awaitExit();
        }
    }

    /** Ends nginx at once (SIGKILL), as a crash would, and waits for the process. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /**
     * Freezes nginx (SIGSTOP): connections stay open and new ones are still accepted by the kernel, but nothing is
     * sent, as a server behind a stalled link looks to a client.
     */
    synchronized void pause() throws IOException {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} nginx go on (SIGCONT). */
    synchronized void resume() throws IOException {
        signal("CONT");
    }

    /** Whether the nginx process is alive. */
    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code http://127.0.0.1:PORT/path}. */
    public URI url(String path) {
        return URI.create("http://" + HOST + ":" + port + "/" + path);
    }

    /** The folder nginx serves. */
    public Path root() {
        return root;
    }

    /** The folder with the configuration and the logs; kept after {@link #close()} for diagnostics. */
    Path directory() {
        return directory;
    }

    /** The requests nginx has finished, oldest first. */
    public List<Request> accessLog() throws IOException {
        List<Request> requests = new ArrayList<>();
        if (!Files.exists(accessLog)) {
            return requests;
        }
        for (String line : Files.readAllLines(accessLog, StandardCharsets.UTF_8)) {
            Matcher matcher = LOG_LINE.matcher(line);
            if (!matcher.matches()) {
                throw new IllegalStateException("unexpected access log line: " + line);
            }
            requests.add(new Request(Integer.parseInt(matcher.group(1)), matcher.group(2), matcher.group(3),
                    matcher.group(4), Long.parseLong(matcher.group(5))));
        }
        return requests;
    }

    /**
     * Waits until a logged request matches: nginx writes the line after the last byte went out, so a client can be
     * done a moment before the line is there.
     */
    Request awaitRequest(Predicate<Request> wanted, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Request> found = accessLog().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching request in " + timeout.toSeconds() + " s; access log: "
                        + accessLog());
            }
            Thread.sleep(20);
        }
    }

    /** Kills nginx if it runs (also a paused one). */
    @Override
    public synchronized void close() {
        kill();
    }

    private void writeConfig() throws IOException {
        String tmp = directory.resolve("tmp").toString();
        StringBuilder text = new StringBuilder();
        text.append("daemon off;\nmaster_process off;\nworker_processes 1;\n");
        text.append("pid ").append(directory.resolve("nginx.pid")).append(";\n");
        text.append("error_log ").append(errorLog).append(" info;\n");
        text.append("events { worker_connections 64; }\n");
        text.append("http {\n");
        text.append("  log_format transfer '$status $request $http_range $body_bytes_sent';\n");
        text.append("  access_log ").append(accessLog).append(" transfer;\n");
        for (String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            text.append("  ").append(kind).append("_temp_path ").append(tmp).append('/').append(kind).append(";\n");
        }
        text.append("  default_type application/octet-stream;\n");
        text.append("  server {\n");
        text.append("    listen ").append(HOST).append(':').append(port).append(";\n");
        text.append("    root ").append(root).append(";\n");
        if (limitRate != null) {
            text.append("    limit_rate ").append(limitRate).append(";\n");
        }
        if (maxRanges != null) {
            text.append("    max_ranges ").append(maxRanges).append(";\n");
        }
        serverDirectives.forEach(directive -> text.append("    ").append(directive).append(";\n"));
        text.append("  }\n}\n");
        Files.writeString(config, text.toString(), StandardCharsets.UTF_8);
    }

    private void signal(String name) throws IOException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("nginx is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IOException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling nginx", e);
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with " + process.exitValue() + " before listening on " + port
                        + "; " + logTail());
            }
            if (accepts()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("nginx did not listen on " + port + " within " + START_TIMEOUT.toSeconds()
                        + " s; " + logTail());
            }
            try {
                // waiting on the process rather than sleeping: an nginx that dies ends the pause at once
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for nginx", e);
            }
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
            }
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.exists(errorLog) ? Files.readAllLines(errorLog) : List.of();
            return "error.log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "error.log unreadable: " + e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    // The project's scripts/ensure-test-tools.sh, found from the working directory (a module folder of the build).
    private static synchronized void ensureInstalled() throws IOException {
        if (installed) {
            return;
        }
        Path script = repoRoot().resolve("scripts/ensure-test-tools.sh");
        Path output = Files.createTempFile("ensure-nginx-", ".out");
        try {
            // a file, not an inherited stream: a child writing to the JVM's stdout corrupts surefire's channel
            Process process = new ProcessBuilder("bash", script.toString(), "nginx")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(script + " nginx did not finish in 10 min");
            }
            if (process.exitValue() != 0) {
                throw new IOException(script + " nginx failed (exit " + process.exitValue() + "): "
                        + Files.readString(output));
            }
            installed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing nginx", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path repoRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/ensure-test-tools.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no scripts/ensure-test-tools.sh in " + start + " or above");
    }
}
