package io.linesight.scada.opcua;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;

/**
 * The validated, immutable form of {@link ScadaOpcUaConfiguration}: what one server instance runs with.
 *
 * @param bindAddress     address the endpoint listens on, as configured
 * @param port            TCP port
 * @param endpointPath    "" or a path starting with "/"
 * @param hostname        host name advertised in endpoint URLs and the certificate
 * @param applicationName name shown by clients
 * @param applicationUri  unique URI of this instance
 * @param pkiDirectory    folder holding the application certificate and key
 * @param shutdownTimeout how long deactivation waits for the server to stop
 * @param security        endpoints' security, anonymous access and users
 */
record ServerSettings(
        String bindAddress,
        int port,
        String endpointPath,
        String hostname,
        String applicationName,
        String applicationUri,
        Path pkiDirectory,
        Duration shutdownTimeout,
        SecuritySettings security) {

    /** System property the launcher sets to the runtime's data folder. */
    static final String DATA_DIR_PROPERTY = "linesight.data";

    /**
     * Validates a configuration. Every bad value fails with a message naming the property of
     * {@value OpcUaScadaComponent#PID}; nothing is silently replaced by a default.
     *
     * @param config           the configuration as Config Admin (or a test) gives it
     * @param systemProperties system property lookup, for the default PKI folder
     * @throws IllegalArgumentException naming the property that is wrong and why
     */
    static ServerSettings from(ScadaOpcUaConfiguration config, UnaryOperator<String> systemProperties) {
        InetAddress bind = parseBindAddress(config.bindAddress());
        return new ServerSettings(
                config.bindAddress().trim(),
                checkPort(config.port()),
                checkPath(config.endpointPath()),
                advertisedHostname(config.advertisedHostname(), config.bindAddress().trim(), bind),
                checkNotBlank("applicationName", config.applicationName()),
                checkApplicationUri(config.applicationUri()),
                pkiDirectory(config.pkiDirectory(), systemProperties),
                checkShutdownTimeout(config.shutdownTimeoutMs()),
                SecuritySettings.from(config, bind));
    }

    /** The URL clients connect to, for example {@code opc.tcp://127.0.0.1:4840}. */
    String endpointUrl() {
        String host = hostname.contains(":") ? "[" + hostname + "]" : hostname;
        return "opc.tcp://" + host + ":" + port + endpointPath;
    }

    private static InetAddress parseBindAddress(String value) {
        checkNotBlank("bindAddress", value);
        try {
            return InetAddress.getByName(value.trim());
        } catch (UnknownHostException e) {
            throw invalid("bindAddress", value, "not an IP address or a resolvable host name");
        }
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw invalid("port", port, "must be between 1 and 65535");
        }
        return port;
    }

    private static String checkPath(String path) {
        String trimmed = path == null ? "" : path.trim();
        if (!trimmed.isEmpty() && (!trimmed.startsWith("/") || trimmed.chars().anyMatch(Character::isWhitespace))) {
            throw invalid("endpointPath", path, "must be empty or start with '/' and contain no spaces");
        }
        // Milo treats "/x/" and "/x" as the same path; keep the form without the trailing slash.
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String advertisedHostname(String configured, String bindAddress, InetAddress bind) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        // A wildcard address cannot be dialled; advertise the machine's name instead.
        return bind.isAnyLocalAddress() ? HostnameUtil.getHostname() : bindAddress;
    }

    private static String checkApplicationUri(String value) {
        checkNotBlank("applicationUri", value);
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null) {
                throw invalid("applicationUri", value, "needs a scheme, for example urn:linesight:opcua:server");
            }
            return value.trim();
        } catch (URISyntaxException e) {
            throw invalid("applicationUri", value, "not a URI: " + e.getReason());
        }
    }

    private static Path pkiDirectory(String configured, UnaryOperator<String> systemProperties) {
        try {
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured.trim()).toAbsolutePath();
            }
            String data = systemProperties.apply(DATA_DIR_PROPERTY);
            Path base = data != null && !data.isBlank()
                    ? Path.of(data)
                    : Path.of(systemProperties.apply("java.io.tmpdir"), "linesight");
            return base.resolve("opcua-pki").toAbsolutePath();
        } catch (InvalidPathException e) {
            throw invalid("pkiDirectory", configured, "not a valid path: " + e.getReason());
        }
    }

    private static Duration checkShutdownTimeout(int millis) {
        if (millis < 100) {
            throw invalid("shutdownTimeoutMs", millis, "must be at least 100");
        }
        return Duration.ofMillis(millis);
    }

    private static String checkNotBlank(String property, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(property, value, "must not be empty");
        }
        return value.trim();
    }

    /** An exception naming {@code property} of this PID and why its value is wrong (without echoing secrets). */
    static IllegalArgumentException invalidProperty(String property, String why) {
        return new IllegalArgumentException(OpcUaScadaComponent.PID + ": property '" + property + "' " + why);
    }

    private static IllegalArgumentException invalid(String property, Object value, String why) {
        return new IllegalArgumentException(
                OpcUaScadaComponent.PID + ": property '" + property + "' = '" + value + "' " + why);
    }
}
