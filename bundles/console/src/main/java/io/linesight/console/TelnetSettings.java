package io.linesight.console;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The validated configuration of the telnet console, built once per activation.
 *
 * @param enabled     whether to listen at all
 * @param address     where to listen
 * @param allowRemote whether a non-loopback address was explicitly allowed
 * @param maxSessions how many shells may be open at once
 * @param idleTimeout a session without a keystroke for this long is closed; zero never closes
 */
record TelnetSettings(boolean enabled, InetSocketAddress address, boolean allowRemote, int maxSessions,
                      Duration idleTimeout) {

    /**
     * Validates raw configuration values.
     *
     * @throws IllegalArgumentException naming the property and configuration PID, for a bad value or a
     *                                  non-loopback address without {@code allowRemote=true}
     */
    static TelnetSettings of(boolean enabled, String bindAddress, int port, boolean allowRemote,
                             int maxSessions, int idleTimeoutS) {
        if (port < 1 || port > 65535) {
            throw invalid("port", port, "must be 1..65535");
        }
        if (maxSessions < 1) {
            throw invalid("maxSessions", maxSessions, "must be >= 1");
        }
        if (idleTimeoutS < 0) {
            throw invalid("idleTimeoutS", idleTimeoutS, "must be >= 0 (0 never closes an idle session)");
        }
        InetAddress address = resolve(bindAddress);
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw invalid("bindAddress", bindAddress, "is not a loopback address. The telnet console has no"
                    + " authentication and no encryption; bind it to 127.0.0.1 (reach it over SSH), or set"
                    + " allowRemote=true to accept that risk");
        }
        return new TelnetSettings(enabled, new InetSocketAddress(address, port), allowRemote, maxSessions,
                Duration.ofSeconds(idleTimeoutS));
    }

    /** Whether the console listens on more than the loopback interface. */
    boolean remote() {
        return !address.getAddress().isLoopbackAddress();
    }

    /** {@code 127.0.0.1:6666}, as people write it. */
    String endpoint() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static InetAddress resolve(String bindAddress) {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw invalid("bindAddress", bindAddress, "must name an interface address, e.g. 127.0.0.1");
        }
        try {
            return InetAddress.getByName(bindAddress.strip());
        } catch (UnknownHostException e) {
            throw invalid("bindAddress", bindAddress, "cannot be resolved");
        }
    }

    private static IllegalArgumentException invalid(String property, Object value, String why) {
        return new IllegalArgumentException(property + "='" + value + "' in configuration "
                + TelnetConsole.PID + " " + why);
    }
}
