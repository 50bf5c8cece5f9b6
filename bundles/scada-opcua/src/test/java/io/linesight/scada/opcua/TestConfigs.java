package io.linesight.scada.opcua;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Builds a {@link ScadaOpcUaConfiguration} the way Config Admin would: from a map, defaults for the rest. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ScadaOpcUaConfiguration config(Map<String, Object> values) {
        return (ScadaOpcUaConfiguration) Proxy.newProxyInstance(ScadaOpcUaConfiguration.class.getClassLoader(),
                new Class<?>[] {ScadaOpcUaConfiguration.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> ScadaOpcUaConfiguration.class;
                        case "toString" -> "config" + values;
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    /** The demo profile (anonymous, SecurityPolicy None) on loopback {@code port}, certificates in {@code pki}. */
    static ScadaOpcUaConfiguration loopback(int port, Path pki) {
        Map<String, Object> values = base(port, pki);
        values.put("allowAnonymous", true);
        values.put("allowSecurityPolicyNone", true);
        return config(values);
    }

    /** The production profile (the defaults) on loopback {@code port} with {@code users} entries. */
    static ScadaOpcUaConfiguration production(int port, Path pki, String... users) {
        Map<String, Object> values = base(port, pki);
        values.put("users", users);
        return config(values);
    }

    /** A user entry with a cheap (minimum-iteration) hash, so logins stay fast in tests. */
    static String user(String name, String role, String password) {
        return name + ":" + role + ":" + PasswordHash.create(password, PasswordHash.MIN_ITERATIONS);
    }

    private static Map<String, Object> base(int port, Path pki) {
        Map<String, Object> values = new HashMap<>();
        values.put("port", port);
        values.put("pkiDirectory", pki.toString());
        values.put("shutdownTimeoutMs", 3000);
        return values;
    }

    /** A port nobody listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
