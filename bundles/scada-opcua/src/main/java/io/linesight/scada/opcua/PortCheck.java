package io.linesight.scada.opcua;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the operating system whether a TCP port can be listened on, by binding and closing it. Used
 * before Milo binds (Milo only logs a failed bind with a stack trace and starts anyway) and after Milo
 * unbinds (Milo closes its listening channel without waiting for the close to finish).
 */
final class PortCheck {

    private PortCheck() {
    }

    /** Why {@code host:port} cannot be listened on now, or empty if it can. */
    static Optional<String> whyUnavailable(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same option as Netty's server channel, so the probe and Milo see the port alike.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * Waits until {@code host:port} can be listened on again.
     *
     * @return true if it became free within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    static boolean awaitFree(String host, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (whyUnavailable(host, port).isPresent()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
