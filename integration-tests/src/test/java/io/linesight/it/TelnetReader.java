package io.linesight.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reads a telnet stream as a person reads the screen: never answers option negotiation (like
 * {@code nc}), drops IAC sequences, ANSI escapes and carriage returns.
 */
final class TelnetReader {
    private static final java.util.regex.Pattern ANSI =
            java.util.regex.Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B.");
    private final java.io.InputStream in;
    private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    private int consumed;
    private int pendingCommandBytes;
    private boolean inSubnegotiation;
    private int previous;

    TelnetReader(Socket socket) throws IOException {
        this.in = socket.getInputStream();
    }

    /** Returns the screen text since the last call, once it contains {@code marker}. */
    String readUntil(String marker, long seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (screen().indexOf(marker, consumed) < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + marker + "' from the console; got:\n" + screen().substring(consumed));
            }
            try {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("console closed the connection; got:\n" + screen().substring(consumed));
                }
                accept(b);
            } catch (java.net.SocketTimeoutException e) {
                // keep waiting until the deadline
            }
        }
        String text = screen();
        int end = text.indexOf(marker, consumed) + marker.length();
        String since = text.substring(consumed, end);
        consumed = end;
        return since;
    }

    private String screen() {
        return ANSI.matcher(data.toString(StandardCharsets.UTF_8)).replaceAll("").replace("\r", "");
    }

    /** Telnet commands: IAC x, IAC WILL/WONT/DO/DONT option, IAC SB ... IAC SE. */
    private void accept(int b) {
        if (inSubnegotiation) {
            inSubnegotiation = !(previous == 255 && b == 240);
        } else if (pendingCommandBytes > 0) {
            pendingCommandBytes--;
            if (b == 250) {
                inSubnegotiation = true;
                pendingCommandBytes = 0;
            } else if (b >= 251 && b <= 254) {
                pendingCommandBytes = 1;
            } else if (b == 255 && previous == 255) {
                data.write(b);
            }
        } else if (b == 255) {
            pendingCommandBytes = 1;
        } else {
            data.write(b);
        }
        previous = b;
    }
}
