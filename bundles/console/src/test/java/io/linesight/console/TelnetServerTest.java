package io.linesight.console;

import static io.linesight.console.StatusReporterTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The telnet listener with a small echo session over real sockets; no OSGi, no Gogo. */
class TelnetServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private TelnetServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runsASessionPerConnectionOverTheTelnetProtocol() throws IOException {
        server = TelnetServer.start(LOOPBACK_ANY_PORT, 4, Duration.ZERO, TelnetServerTest::echo);

        try (TelnetClient client = new TelnetClient(port())) {
            client.await("hello, terminal type dumb", WAIT);
            client.send("ping");
            client.await("you said: ping", WAIT);
            assertEquals(1, server.openSessions());
            client.send("bye");
            assertTrue(client.awaitClosed(WAIT), "session ended, server closed the socket");
        }
        awaitTrue(() -> server.openSessions() == 0, "no open session");
    }

    @Test
    void listensOnlyOnTheGivenAddress() throws IOException {
        server = TelnetServer.start(LOOPBACK_ANY_PORT, 4, Duration.ZERO, TelnetServerTest::echo);
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this host has a non-loopback IPv4 address to try");

        assertTrue(server.localAddress().getAddress().isLoopbackAddress(), server.localAddress().toString());
        assertThrows(ConnectException.class, () -> new TelnetClient(external.get(), port()).close(),
                "nothing listens on " + external.get() + ":" + port());
    }

    @Test
    void aBusyPortFailsStartWithABindException() throws IOException {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(LOOPBACK_ANY_PORT);
            InetSocketAddress busy = new InetSocketAddress(InetAddress.getLoopbackAddress(), other.getLocalPort());

            assertThrows(BindException.class, () -> TelnetServer.start(busy, 4, Duration.ZERO, TelnetServerTest::echo));
        }
    }

    @Test
    void closeEndsSessionsStopsThreadsAndFreesThePort() throws IOException {
        server = TelnetServer.start(LOOPBACK_ANY_PORT, 4, Duration.ZERO, TelnetServerTest::echo);
        int port = port();
        try (TelnetClient client = new TelnetClient(port)) {
            client.await("hello", WAIT);

            server.close();

            assertTrue(client.awaitClosed(WAIT), "the session's socket was closed");
        }
        awaitTrue(() -> !threadAlive("linesight-telnet-") && !threadAlive("input pump thread"),
                "telnet threads ended");
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void refusesSessionsBeyondTheLimit() throws IOException {
        server = TelnetServer.start(LOOPBACK_ANY_PORT, 1, Duration.ZERO, TelnetServerTest::echo);
        try (TelnetClient first = new TelnetClient(port()); TelnetClient second = new TelnetClient(port())) {
            first.await("hello", WAIT);

            second.await("Too many telnet sessions (maxSessions=1)", WAIT);
            assertTrue(second.awaitClosed(WAIT), "refused client disconnected");

            first.send("still here");
            first.await("you said: still here", WAIT);
        }
    }

    @Test
    void closesAnIdleSession() throws IOException {
        server = TelnetServer.start(LOOPBACK_ANY_PORT, 4, Duration.ofSeconds(1), TelnetServerTest::echo);
        try (TelnetClient client = new TelnetClient(port())) {
            client.await("hello", WAIT);

            client.await("Idle for more than 1 s; closing.", WAIT);
            assertTrue(client.awaitClosed(WAIT), "idle session closed");
        }
    }

    private int port() {
        return server.localAddress().getPort();
    }

    /** Greets, then echoes each line until "bye". */
    private static void echo(Terminal terminal, Map<String, String> environment) throws IOException {
        PrintWriter out = terminal.writer();
        out.println("hello, terminal type " + terminal.getType());
        out.flush();
        NonBlockingReader in = terminal.reader();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c != '\n') {
                line.append((char) c);
            } else if ("bye".contentEquals(line)) {
                return;
            } else {
                out.println("you said: " + line);
                out.flush();
                line.setLength(0);
            }
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Optional<InetAddress> v4 = nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
                if (v4.isPresent()) {
                    return v4;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean threadAlive(String nameContains) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().contains(nameContains));
    }
}
