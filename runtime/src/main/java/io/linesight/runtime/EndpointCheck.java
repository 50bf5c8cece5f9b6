package io.linesight.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Which of the runtime's listening ports could not be opened, for the final start-up line. Our components register
 * a service with {@code linesight.endpoint.*} properties once they have tried to bind (see
 * {@code io.linesight.api.runtime.ListeningEndpoint}); Felix HTTP is checked through its {@code HttpServiceRuntime}
 * service, which lists the endpoints Jetty actually listens on.
 */
final class EndpointCheck {

    static final String FAILURE = "linesight.endpoint.failure";
    static final String NAME = "linesight.endpoint.name";
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";
    private static final String HTTP_ENDPOINT = "osgi.http.endpoint";
    /** Jetty starts on its bundle's activation; this covers a slow machine. */
    private static final long HTTP_WAIT_MS = 3_000;

    private final BundleContext context;
    private final HttpPortSettings http;

    EndpointCheck(BundleContext context, HttpPortSettings http) {
        this.context = context;
        this.http = http;
    }

    /** "OPC UA port 4840 in use", one entry per endpoint that does not listen; empty when all do. */
    List<String> failures() throws InterruptedException {
        List<String> failures = new ArrayList<>(componentFailures());
        httpFailure().ifPresent(failures::add);
        return failures;
    }

    private List<String> componentFailures() {
        List<String> failures = new ArrayList<>();
        for (ServiceReference<?> ref : references(null, "(" + FAILURE + "=*)")) {
            failures.add(ref.getProperty(NAME) + " " + ref.getProperty(FAILURE));
        }
        failures.sort(null);
        return failures;
    }

    private java.util.Optional<String> httpFailure() throws InterruptedException {
        if (!http.enabled()) {
            return java.util.Optional.empty();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HTTP_WAIT_MS);
        while (true) {
            if (httpListens()) {
                return java.util.Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                return java.util.Optional.of("HTTP " + (portTaken(http.host(), http.port())
                        ? "port " + http.port() + " in use" : "port " + http.port() + " not listening (see the log)"));
            }
            Thread.sleep(50);
        }
    }

    /** Whether Felix HTTP lists an endpoint on the configured port (0: any port it chose). */
    private boolean httpListens() {
        for (ServiceReference<?> ref : references(HTTP_RUNTIME, null)) {
            for (String endpoint : strings(ref.getProperty(HTTP_ENDPOINT))) {
                if (http.port() == 0 || endpoint.contains(":" + http.port() + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when another process holds the address (so the failure can say "in use"). */
    static boolean portTaken(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private List<ServiceReference<?>> references(String clazz, String filter) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(clazz, filter);
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(Object property) {
        if (property instanceof String[] array) {
            return List.of(array);
        }
        if (property instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return property == null ? List.of() : List.of(property.toString());
    }
}
