package io.linesight.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The HTTP service's address, read by the launcher from {@code config/org.apache.felix.http.cfg} before the
 * framework starts. Felix HTTP listens on its framework-property defaults as soon as its bundle starts and only
 * moves once Config Admin delivers the file; without this it would hold port 8080 for a moment on every start,
 * and a second runtime configured elsewhere would still collide there. A JVM system property
 * ({@code -Dorg.osgi.service.http.port=...}) still wins over the file.
 *
 * @param host    the interface to listen on
 * @param port    the TCP port
 * @param enabled whether plain HTTP is on ({@code org.apache.felix.http.enable})
 */
record HttpPortSettings(String host, int port, boolean enabled) {

    static final String FILE = "org.apache.felix.http.cfg";
    static final String HOST = "org.apache.felix.http.host";
    static final String PORT = "org.osgi.service.http.port";
    static final String ENABLE = "org.apache.felix.http.enable";
    private static final String DEFAULT_HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 8080;

    /** From the file in {@code configFolder} (if any), overridden by system properties; unreadable values: defaults. */
    static HttpPortSettings read(Path configFolder) {
        Properties file = new Properties();
        Path cfg = configFolder.resolve(FILE);
        if (Files.isRegularFile(cfg)) {
            try (Reader in = Files.newBufferedReader(cfg)) {
                file.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // Config Admin will refuse the same file with its own message; start on the defaults meanwhile
                file.clear();
            }
        }
        String host = System.getProperty(HOST, file.getProperty(HOST, DEFAULT_HOST)).trim();
        int port = parsePort(System.getProperty(PORT, file.getProperty(PORT)));
        boolean enabled = !"false".equalsIgnoreCase(file.getProperty(ENABLE, "true").trim());
        return new HttpPortSettings(host.isEmpty() ? DEFAULT_HOST : host, port, enabled);
    }

    private static int parsePort(String value) {
        try {
            int port = value == null ? DEFAULT_PORT : Integer.parseInt(value.trim());
            return port >= 0 && port <= 65535 ? port : DEFAULT_PORT;
        } catch (NumberFormatException e) {
            return DEFAULT_PORT;
        }
    }
}
