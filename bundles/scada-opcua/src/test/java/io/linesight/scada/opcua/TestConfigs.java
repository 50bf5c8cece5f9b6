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

    /** Loopback on {@code port}, certificates in {@code pki}, everything else default. */
    static ScadaOpcUaConfiguration loopback(int port, Path pki) {
        Map<String, Object> values = new HashMap<>();
        values.put("port", port);
        values.put("pkiDirectory", pki.toString());
        values.put("shutdownTimeoutMs", 3000);
        return config(values);
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
