package io.linesight.console;

import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jline.builtins.telnet.Connection;
import org.jline.builtins.telnet.ConnectionData;
import org.jline.builtins.telnet.ConnectionEvent;
import org.jline.builtins.telnet.ConnectionListener;
import org.jline.builtins.telnet.ConnectionManager;
import org.jline.builtins.telnet.TelnetIO;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A telnet server on one address that runs a {@link Session} (a Gogo shell, in production) on every
 * connection, on the telnet protocol classes of JLine 3.13 ({@link ConnectionManager}, {@link TelnetIO}).
 *
 * <p>Why not {@code org.jline.builtins.telnet.Telnet#telnetd}: in JLine 3.13.2 its listener ignores the
 * {@code -i} address and binds every interface ({@code new ServerSocket(port, backlog)}), binds on a
 * background thread so "port in use" is only logged through java.util.logging while {@code start}
 * reports success, and never runs the connection manager's housekeeping, so closed sessions keep
 * counting against the session limit. This class keeps JLine's protocol handling and replaces that
 * listener: it binds in {@link #start} (a busy port is an exception the caller sees), only on the
 * given address, and owns every thread it starts.
 *
 * <p>Threads: one accept thread, one housekeeping thread (idle timeouts, clean-up), one thread per
 * session (JLine's {@link Connection}) plus the terminal's input pump; all daemon threads, all stopped
 * by {@link #close}.
 */
final class TelnetServer implements AutoCloseable {

    /** What runs on a session's thread; returns when the user logs out or the connection closes. */
    @FunctionalInterface
    interface Session {
        void run(Terminal terminal, Map<String, String> environment) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(TelnetServer.class);
    /**
     * JLine's telnet classes log every connection at INFO through java.util.logging, to stderr unless the
     * runtime bridges it; this class logs the same events through SLF4J. Kept in a field: JUL holds its
     * loggers weakly and would forget the level.
     */
    private static final java.util.logging.Logger JLINE_TELNET_LOG = quietJLineTelnetLog();
    private static final int BACKLOG = 10;
    private static final int HOUSEKEEPING_MS = 250;
    private static final long JOIN_MS = 2_000;
    /** A terminal type JLine knows without running {@code infocmp}, for clients that negotiate none. */
    private static final String UNNEGOTIATED_TYPE = "dumb";

    private final ServerSocket serverSocket;
    private final int maxSessions;
    private final Duration idleTimeout;
    private final Session session;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionManager manager;
    private final Thread acceptThread;
    private final Thread housekeepingThread;

    private TelnetServer(ServerSocket serverSocket, int maxSessions, Duration idleTimeout, Session session) {
        this.serverSocket = serverSocket;
        this.maxSessions = maxSessions;
        this.idleTimeout = idleTimeout;
        this.session = session;
        this.manager = new Manager(idleTimeout);
        String name = "linesight-telnet-" + serverSocket.getLocalPort();
        this.acceptThread = daemon(this::acceptLoop, name + "-accept");
        this.housekeepingThread = daemon(manager, name + "-housekeeping");
    }

    /**
     * Binds {@code address} and starts accepting.
     *
     * @throws IOException if the address cannot be bound (port in use, address not on this host)
     */
    static TelnetServer start(InetSocketAddress address, int maxSessions, Duration idleTimeout, Session session)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(address, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        TelnetServer server = new TelnetServer(socket, maxSessions, idleTimeout, session);
        server.acceptThread.start();
        server.housekeepingThread.start();
        return server;
    }

    /** The bound address (the actual port when 0 was asked for). */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /** Sessions open now. */
    int openSessions() {
        return (int) connections.stream().filter(Connection::isActive).count();
    }

    /** Stops listening, closes every session's socket and waits for the server's threads to end. */
    @Override
    public void close() {
        closeQuietly(serverSocket);
        join(acceptThread);
        manager.stop();
        connections.forEach(Connection::close);
        connections.forEach(TelnetServer::join);
        join(housekeepingThread);
        connections.clear();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                admit(serverSocket.accept());
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    LOG.warn("Telnet console: accept on {} failed: {}", localAddress(), e.toString());
                    pause();
                }
            }
        }
    }

    private void admit(Socket socket) {
        if (openSessions() >= maxSessions) {
            LOG.warn("Telnet console: refused {}, already {} sessions open (maxSessions)",
                    socket.getRemoteSocketAddress(), maxSessions);
            refuse(socket, "Too many telnet sessions (maxSessions=" + maxSessions + "); try again later.\r\n");
            return;
        }
        LOG.info("Telnet console: session from {}", socket.getRemoteSocketAddress());
        manager.makeConnection(socket);
    }

    private static void refuse(Socket socket, String message) {
        try (socket) {
            socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.debug("Telnet console: could not tell {} it was refused", socket.getRemoteSocketAddress(), e);
        }
    }

    /** JLine's manager, making our {@link SessionConnection}s; idle limits come from configuration. */
    private final class Manager extends ConnectionManager {

        Manager(Duration idleTimeout) {
            // (max connections, idle warning ms, disconnect ms after the warning, housekeeping ms,
            //  filter, login shell, line mode). The limit is enforced in admit(), which closes the
            //  socket of a refused client; JLine's own check would leave it open.
            super(Integer.MAX_VALUE, warningMs(idleTimeout), 0, HOUSEKEEPING_MS, null, null, false);
        }

        @Override
        protected Connection createConnection(ThreadGroup group, ConnectionData data) {
            SessionConnection connection = new SessionConnection(group, data);
            connection.setDaemon(true);
            connections.add(connection);
            return connection;
        }
    }

    /** One telnet session: negotiates, builds a JLine terminal on the socket and runs the session. */
    private final class SessionConnection extends Connection {

        private volatile TelnetIO telnetIO;

        SessionConnection(ThreadGroup group, ConnectionData data) {
            super(group, data);
            setName("linesight-telnet-session-" + data.getPort());
        }

        @Override
        protected void doRun() {
            // everything is caught here: JLine's Connection.run would log it at SEVERE with a stack trace
            try (Terminal terminal = openTerminal()) {
                addConnectionListener(new Listener(this, terminal));
                session.run(terminal, getConnectionData().getEnvironment());
            } catch (Exception | IOError e) {
                LOG.debug("Telnet console: session {} ended: {}", getName(), e.toString());
            } finally {
                LOG.info("Telnet console: session from {} closed", getConnectionData().getSocket()
                        .getRemoteSocketAddress());
                connections.remove(this);
            }
        }

        private Terminal openTerminal() throws IOException {
            TelnetIO io = new TelnetIO();
            io.setConnection(this);
            io.initIO();
            telnetIO = io;
            ConnectionData data = getConnectionData();
            Terminal terminal = TerminalBuilder.builder()
                    .name("telnet")
                    .type(terminalType(data.getNegotiatedTerminalType()))
                    .streams(new TelnetInput(io), new TelnetOutput(io))
                    .encoding(StandardCharsets.UTF_8)
                    .system(false)
                    .build();
            terminal.setSize(new Size(data.getTerminalColumns(), data.getTerminalRows()));
            return terminal;
        }

        /**
         * Flushes what is left and closes the input; {@link Connection#close} closes the socket next.
         * Not {@link TelnetIO#closeOutput}: it writes IAC DO LOGOUT first and logs a SEVERE stack trace
         * whenever the client has already gone, which is how most sessions end.
         */
        @Override
        protected void doClose() {
            TelnetIO io = telnetIO;
            if (io != null) {
                try {
                    io.flush();
                } catch (IOException clientGone) {
                    LOG.debug("Telnet console: {} could not flush on close: {}", getName(), clientGone.toString());
                }
                io.closeInput();
            }
        }
    }

    /** Window size changes and idle timeouts of one session. */
    private final class Listener implements ConnectionListener {
        private final Connection connection;
        private final Terminal terminal;

        Listener(Connection connection, Terminal terminal) {
            this.connection = connection;
            this.terminal = terminal;
        }

        @Override
        public void connectionTerminalGeometryChanged(ConnectionEvent event) {
            ConnectionData data = connection.getConnectionData();
            terminal.setSize(new Size(data.getTerminalColumns(), data.getTerminalRows()));
            terminal.raise(Terminal.Signal.WINCH);
        }

        @Override
        public void connectionTimedOut(ConnectionEvent event) {
            if (idleTimeout.isZero()) {
                return;
            }
            LOG.info("Telnet console: closing session {}, idle for more than {} s (idleTimeoutS)",
                    connection.getName(), idleTimeout.toSeconds());
            terminal.writer().println("\nIdle for more than " + idleTimeout.toSeconds() + " s; closing.");
            terminal.flush();
            connection.close();
        }

        @Override
        public void connectionLogoutRequest(ConnectionEvent event) {
            connection.close();
        }
    }

    /** Telnet input, IAC sequences already handled by {@link TelnetIO}; one byte per read. */
    private static final class TelnetInput extends InputStream {
        private final TelnetIO io;

        TelnetInput(TelnetIO io) {
            this.io = io;
        }

        @Override
        public int read() throws IOException {
            return io.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            // one byte per call: TelnetIO blocks per byte and the terminal's pump must see each key at once
            int b = read();
            if (b < 0) {
                return -1;
            }
            buffer[offset] = (byte) b;
            return 1;
        }
    }

    /** Telnet output; {@link TelnetIO} turns LF into CR LF. */
    private static final class TelnetOutput extends OutputStream {
        private final TelnetIO io;

        TelnetOutput(TelnetIO io) {
            this.io = io;
        }

        @Override
        public void write(int b) throws IOException {
            io.write(b);
        }

        @Override
        public void flush() throws IOException {
            io.flush();
        }
    }

    private static String terminalType(String negotiated) {
        return negotiated == null || negotiated.isBlank() || "default".equalsIgnoreCase(negotiated)
                ? UNNEGOTIATED_TYPE : negotiated.toLowerCase(Locale.ROOT);
    }

    /** JLine adds its disconnect delay to this; with idle timeouts off, about 12 days. */
    private static int warningMs(Duration idleTimeout) {
        long ms = idleTimeout.isZero() ? Integer.MAX_VALUE : idleTimeout.toMillis();
        return (int) Math.min(ms, Integer.MAX_VALUE / 2);
    }

    private static java.util.logging.Logger quietJLineTelnetLog() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(ConnectionManager.class.getPackageName());
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_MS);
            if (thread.isAlive()) {
                LOG.warn("Telnet console: thread {} did not stop within {} ms", thread.getName(), JOIN_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Telnet console: closing the server socket failed", e);
        }
    }
}
