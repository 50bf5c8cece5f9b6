package io.linesight.sparkplug.peer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto broker ({@code /usr/sbin/mosquitto}, installed by
 * {@code scripts/ensure-test-tools.sh mosquitto}) in its own process, listening on 127.0.0.1 only: anonymous
 * clients on a plain TCP port and, when asked for, on a TLS port with a server certificate from {@link TlsFiles}.
 *
 * <p>The ports are chosen once; {@link #stop()} or {@link #kill()} followed by {@link #start()} brings the broker
 * back on the same ports, for outage tests. Persistence is off unless the builder asks for it, so by default a
 * restart forgets retained messages and sessions. The configuration, the certificates and the broker's log stay
 * in {@link #directory()} for diagnostics.
 */
public final class MosquittoBroker implements AutoCloseable {

    /** Where Debian installs the broker. */
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int PORT_ATTEMPTS = 3;
    private static final String HOST = "127.0.0.1";

    private final Path directory;
    private final Path config;
    private final Path log;
    private final int tcpPort;
    private final int sslPort;
    private final TlsFiles tls;
    private Process process;

    private MosquittoBroker(Path directory, int tcpPort, int sslPort, TlsFiles tls, Builder builder)
            throws IOException {
        this.directory = directory;
        this.config = directory.resolve("mosquitto.conf");
        this.log = directory.resolve("mosquitto.log");
        this.tcpPort = tcpPort;
        this.sslPort = sslPort;
        this.tls = tls;
        Files.writeString(config, configuration(builder), StandardCharsets.UTF_8);
    }

    /** A builder for a broker with options; {@link #launch()} and {@link #launchWithTls()} cover the usual cases. */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates and starts a broker with a plain TCP listener only. */
    public static MosquittoBroker launch() throws IOException {
        return builder().launch();
    }

    /** Creates and starts a broker with a plain TCP listener and a TLS listener. */
    public static MosquittoBroker launchWithTls() throws IOException {
        return builder().tls().launch();
    }

    /** Options of a broker; {@link #launch()} creates and starts it. */
    public static final class Builder {
        private boolean tls;
        private boolean clientCertificates;
        private boolean persistent;
        private final List<String> extraConfig = new ArrayList<>();

        private Builder() {
        }

        /** Adds a TLS listener on a second port (server certificate signed by {@link #caFile()}). */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** A TLS listener that accepts only clients with a certificate signed by {@link #caFile()}. */
        public Builder requireClientCertificates() {
            this.tls = true;
            this.clientCertificates = true;
            return this;
        }

        /**
         * Keeps retained messages and persistent sessions across {@link MosquittoBroker#stop()} and
         * {@link MosquittoBroker#start()}.
         */
        public Builder persistent() {
            this.persistent = true;
            return this;
        }

        /** Appends a line to the configuration, for example {@code "max_queued_messages 100"}. */
        public Builder config(String line) {
            extraConfig.add(line);
            return this;
        }

        /**
         * Creates the broker's folder, configuration and certificates and starts it; retries with other ports
         * when another process took a chosen port first.
         */
        public MosquittoBroker launch() throws IOException {
            TestTools.ensure("mosquitto");
            Path directory = Files.createTempDirectory(TestTools.logDirectory("mosquitto"), "broker-");
            TlsFiles tlsFiles = tls ? TlsFiles.create(directory) : null;
            IOException last = null;
            for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
                int[] ports = freePorts(tls ? 2 : 1);
                MosquittoBroker broker = new MosquittoBroker(directory, ports[0], tls ? ports[1] : -1, tlsFiles, this);
                try {
                    broker.start();
                    return broker;
                } catch (IOException e) {
                    broker.close();
                    last = e;
                }
            }
            throw last;
        }
    }

    /**
     * Starts the broker process (again) on this broker's ports and returns once every listener accepts
     * connections.
     *
     * @throws IllegalStateException if it is running
     * @throws IOException if it exits or does not listen within 30 s (the message has the end of its log)
     */
    public synchronized void start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("mosquitto is already running on port " + tcpPort);
        }
        process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mosquitto.out").toFile()))
                .start();
        ProcessReaper.watch(process);
        try {
            awaitListening(tcpPort);
            if (sslPort > 0) {
                awaitListening(sslPort);
            }
        } catch (IOException e) {
            kill();
            throw e;
        }
    }

    /** Stops the broker like an administrator would (SIGTERM) and waits for the process to end. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            awaitExit(STOP_TIMEOUT);
        }
    }

    /** Ends the broker at once (SIGKILL), as a crash or a pulled cable would, and waits for the process. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(STOP_TIMEOUT);
        }
    }

    /** Whether the broker process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code tcp://127.0.0.1:PORT}, Paho's form of the plain listener's address. */
    public String tcpUrl() {
        return "tcp://" + HOST + ":" + tcpPort;
    }

    /**
     * {@code ssl://127.0.0.1:PORT}, Paho's form of the TLS listener's address.
     *
     * @throws IllegalStateException if the broker has no TLS listener
     */
    public String sslUrl() {
        requireTls();
        return "ssl://" + HOST + ":" + sslPort;
    }

    /** The plain listener's port. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The TLS listener's port. @throws IllegalStateException if the broker has no TLS listener */
    public int sslPort() {
        requireTls();
        return sslPort;
    }

    /** The PEM certificate of the CA that signed the broker's certificate. */
    public Path caFile() {
        requireTls();
        return tls.caCertificate();
    }

    /** The PEM certificate of a CA that did not sign the broker's certificate. */
    public Path wrongCaFile() {
        requireTls();
        return tls.unrelatedCaCertificate();
    }

    /** The certificate files, if the broker has a TLS listener. */
    public Optional<TlsFiles> tlsFiles() {
        return Optional.ofNullable(tls);
    }

    /** The broker's log file (connections, subscriptions, errors). */
    public Path logFile() {
        return log;
    }

    /** The folder with the configuration, the certificates and the logs; it is kept after {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** Kills the broker process if it runs. */
    @Override
    public synchronized void close() {
        kill();
    }

    private String configuration(Builder builder) {
        StringBuilder text = new StringBuilder();
        // As root mosquitto would switch to the user "mosquitto", who can write neither the log nor read the key.
        text.append("user ").append(System.getProperty("user.name")).append('\n');
        text.append("per_listener_settings false\n");
        text.append("allow_anonymous true\n");
        if (builder.persistent) {
            text.append("persistence true\n");
            text.append("persistence_location ").append(directory).append("/\n");
        } else {
            text.append("persistence false\n");
        }
        text.append("log_dest file ").append(log).append('\n');
        text.append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
        text.append("log_type subscribe\nlog_type unsubscribe\n");
        text.append("connection_messages true\n");
        text.append("log_timestamp true\nlog_timestamp_format %Y-%m-%dT%H:%M:%S\n");
        text.append("listener ").append(tcpPort).append(' ').append(HOST).append('\n');
        if (tls != null) {
            text.append("listener ").append(sslPort).append(' ').append(HOST).append('\n');
            text.append("cafile ").append(tls.caCertificate()).append('\n');
            text.append("certfile ").append(tls.serverCertificate()).append('\n');
            text.append("keyfile ").append(tls.serverKey()).append('\n');
            text.append("require_certificate ").append(builder.clientCertificates).append('\n');
        }
        builder.extraConfig.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    private void awaitListening(int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + " before listening on " + port
                        + "; " + logTail());
            }
            if (accepts(port)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("mosquitto did not listen on " + port + " within " + START_TIMEOUT.toSeconds()
                        + " s; " + logTail());
            }
            try {
                // waiting on the process rather than sleeping: a broker that dies ends the pause at once
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for mosquitto", e);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!process.isAlive()) {
                ProcessReaper.forget(process);
            }
        }
    }

    private String logTail() {
        StringBuilder tail = new StringBuilder();
        for (Path file : List.of(log, directory.resolve("mosquitto.out"))) {
            try {
                List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
                tail.append(file.getFileName()).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())))
                        .append('\n');
            } catch (IOException | UncheckedIOException e) {
                tail.append(file.getFileName()).append(": unreadable (").append(e).append(")\n");
            }
        }
        return tail.toString();
    }

    private void requireTls() {
        if (tls == null) {
            throw new IllegalStateException("this broker has no TLS listener; use MosquittoBroker.launchWithTls()");
        }
    }

    /** Ports free on 127.0.0.1 right now (all held open together, so they differ). */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
