package io.linesight.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A plain-socket telnet client for tests: it never answers option negotiation (like {@code nc}), drops
 * the IAC sequences the server sends, drops ANSI escapes and CRs, and keeps the whole transcript.
 */
final class TelnetClient implements AutoCloseable {

    private static final int IAC = 255;
    private static final int SB = 250;
    private static final int SE = 240;
    private static final int WILL = 251;
    private static final int DONT = 254;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B.");

    private enum State { DATA, IAC, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private State state = State.DATA;
    private boolean closedByServer;

    TelnetClient(int port) throws IOException {
        this(InetAddress.getLoopbackAddress(), port);
    }

    TelnetClient(InetAddress address, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), 5_000);
        socket.setSoTimeout(100);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Reads until the transcript contains {@code expected}; fails with the transcript after the timeout. */
    String await(String expected, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!transcript().contains(expected)) {
            if (closedByServer || System.nanoTime() > deadline) {
                throw new AssertionError("expected '" + expected + "' (server closed: " + closedByServer
                        + ") in transcript:\n" + transcript());
            }
            readSome();
        }
        return transcript();
    }

    /** Reads until the server closes the connection; false if it is still open after the timeout. */
    boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closedByServer && System.nanoTime() < deadline) {
            readSome();
        }
        return closedByServer;
    }

    /** Sends one line as a telnet client does, ending in CR LF. */
    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Everything received so far, as text. */
    String transcript() {
        String text = data.toString(StandardCharsets.UTF_8);
        return ANSI.matcher(text).replaceAll("").replace("\r", "");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readSome() throws IOException {
        byte[] buffer = new byte[4096];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                closedByServer = true;
                return;
            }
            for (int i = 0; i < n; i++) {
                accept(buffer[i] & 0xff);
            }
        } catch (SocketTimeoutException e) {
            // nothing yet; the caller checks its deadline
        } catch (IOException e) {
            // a reset by the server counts as closed
            closedByServer = true;
        }
    }

    /** The telnet byte stream, minus commands: IAC x, IAC WILL/WONT/DO/DONT o, IAC SB ... IAC SE. */
    private void accept(int b) {
        switch (state) {
            case DATA -> {
                if (b == IAC) {
                    state = State.IAC;
                } else {
                    data.write(b);
                }
            }
            case IAC -> {
                if (b == IAC) {
                    data.write(b);
                    state = State.DATA;
                } else if (b == SB) {
                    state = State.SUBNEGOTIATION;
                } else if (b >= WILL && b <= DONT) {
                    state = State.OPTION;
                } else {
                    state = State.DATA;
                }
            }
            case OPTION -> state = State.DATA;
            case SUBNEGOTIATION -> state = b == IAC ? State.SUBNEGOTIATION_IAC : State.SUBNEGOTIATION;
            case SUBNEGOTIATION_IAC -> state = b == SE ? State.DATA : State.SUBNEGOTIATION;
            default -> throw new IllegalStateException(state.name());
        }
    }
}
