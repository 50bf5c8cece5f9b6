package io.linesight.console;

import static io.linesight.console.StatusReporterTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Boots a real Felix with SCR, Config Admin, Gogo (runtime, command, jline), JLine, the API bundle and
 * this module's jar, then talks to the telnet console over a plain socket, as an engineer with
 * {@code nc} would.
 *
 * <p>Runs in failsafe's integration-test phase: it installs {@code target/linesight-console-*.jar},
 * which exists only after {@code package}. The pom passes the jar and the folder of runtime bundles
 * (copied in pre-integration-test) as system properties.
 */
class TelnetConsoleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROMPT = "g! ";

    @TempDir
    Path storage;

    private Framework framework;
    private Bundle console;
    private int port;

    @BeforeEach
    void bootFramework() throws Exception {
        port = freePort();
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(frameworkProperties());
        framework.start();
        BundleContext context = framework.getBundleContext();
        List<Bundle> runtime = new ArrayList<>();
        for (Path jar : runtimeBundles()) {
            runtime.add(context.installBundle(jar.toUri().toString()));
        }
        console = context.installBundle(Path.of(systemProperty("linesight.it.console.jar")).toUri().toString());
        for (Bundle bundle : runtime) {
            bundle.start();
        }
        // the port before the console starts, so it never tries the default 6666 of this machine
        configure(context, TelnetConsole.PID, Map.of("port", port));
        console.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(WAIT.toMillis());
        }
    }

    @Test
    void gogoShellOverTelnetListsBundlesAndRunsInspectCommands() throws IOException {
        try (TelnetClient client = connectWhenListening()) {
            client.await("Welcome to Apache Felix Gogo", WAIT);
            client.await(PROMPT, WAIT);

            client.send("lb -s");
            String bundles = client.await("|io.linesight.console", WAIT);
            client.await(PROMPT, WAIT);

            String consoleRow = bundles.lines().filter(l -> l.contains("|io.linesight.console")).findFirst()
                    .orElseThrow();
            assertTrue(consoleRow.contains("|Active"), "console bundle active in: " + consoleRow);

            client.send("inspect:lines");
            String afterLines = client.await("No line is configured", WAIT);
            assertTrue(afterLines.contains("factory PID io.linesight.line"), afterLines);

            client.send("inspect:status nope");
            client.await("No line 'nope'. No line is configured", WAIT);

            client.send("inspect:outputs");
            client.await("No output is monitored", WAIT);
        }
    }

    @Test
    void stoppingTheBundleClosesSessionsAndFreesThePort() throws Exception {
        try (TelnetClient client = connectWhenListening()) {
            client.await(PROMPT, WAIT);

            console.stop();

            assertTrue(client.awaitClosed(WAIT), "session closed when the component deactivated");
        }
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    private TelnetClient connectWhenListening() {
        TelnetClient[] client = new TelnetClient[1];
        awaitTrue(() -> {
            try {
                client[0] = new TelnetClient(port);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }, "telnet console listening on 127.0.0.1:" + port);
        return client[0];
    }

    private Map<String, String> frameworkProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // slf4j-api (and slf4j-simple as provider) come from the test class path, as in the launcher
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17");
        // gogo.jline's own console must not take this JVM's stdin
        properties.put("gosh.args", "--nointeractive");
        return properties;
    }

    private static List<Path> runtimeBundles() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(systemProperty("linesight.it.bundles")))) {
            List<Path> sorted = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            assertTrue(sorted.size() >= 10, "runtime bundles copied by pre-integration-test: " + sorted);
            return sorted;
        }
    }

    /**
     * Sets a configuration through Config Admin. By reflection: the test's class path has no
     * org.osgi.service.cm, and a copy of it would not be the class the framework's bundles use.
     */
    private static void configure(BundleContext context, String pid, Map<String, Object> values) throws Exception {
        awaitTrue(() -> context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin") != null,
                "Config Admin service");
        ServiceReference<?> reference = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object admin = context.getService(reference);
        Bundle cm = reference.getBundle();
        Object configuration = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin")
                .getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>(values);
        cm.loadClass("org.osgi.service.cm.Configuration").getMethod("update", Dictionary.class)
                .invoke(configuration, properties);
        context.ungetService(reference);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String systemProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run this test through Maven's failsafe"
                    + " (mvn verify), which sets it");
        }
        return value;
    }

}
