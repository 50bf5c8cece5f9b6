package io.linesight.console;

import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Upgrades a camera, runner or output bundle while the lines keep running.
 *
 * <p>Cameras and runners ("beside"): the new version is installed and started next to the running one,
 * with the old bundle's configurations opened to both (multi-location {@code ?}), so its components come
 * up configured. Then the old bundle stops: its services leave, and every line, whose references are
 * dynamic and greedy, binds the new camera or runtime before it lets go of the old one. A line keeps
 * judging with its loaded model until the new runtime has loaded the model again and swapped it in
 * between two frames. Finally the old bundle is uninstalled and refreshed.
 *
 * <p>Outputs ("stop, then start"): two versions of a PLC output must never both drive the same PLC
 * (double reject pulses), so the old one stops before the new one starts; the PLC sees one reconnect.
 *
 * <p>Native-library wrappers ({@code io.linesight.lib.*}, or any bundle with native code) are refused:
 * a native library binds to one class loader, so they are updated with a restart.
 */
final class BundleUpgrade {

    /** What happened, step by step, for the console. */
    record Report(boolean done, List<String> steps) {
    }

    private static final long SETTLE_TIMEOUT_MS = 30_000;

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;

    BundleUpgrade(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    Report upgrade(String given) {
        List<String> steps = new ArrayList<>();
        // The framework installs from URLs: a plain path becomes a file: URL.
        String location = given.matches("^[a-z][a-z0-9+.-]*:.*") ? given : Path.of(given).toAbsolutePath().toUri().toString();
        Consumer<String> say = steps::add;
        try {
            Manifest manifest = readManifest(location);
            String bsn = symbolicName(manifest);
            Version version = Version.parseVersion(manifest.getMainAttributes().getValue("Bundle-Version"));
            Optional<String> refusal = refusal(bsn, manifest);
            if (refusal.isPresent()) {
                say.accept(refusal.get());
                return new Report(false, steps);
            }
            Bundle old = installed(bsn).orElse(null);
            if (old == null) {
                Bundle fresh = context.installBundle(location);
                fresh.start();
                say.accept("installed and started " + describe(fresh) + " (no earlier version was installed)");
                return new Report(true, steps);
            }
            if (version.compareTo(old.getVersion()) <= 0) {
                say.accept("refused: " + bsn + " " + version + " is not newer than the running " + old.getVersion());
                return new Report(false, steps);
            }
            boolean output = registers(old, ResultSink.class.getName());
            return output ? stopThenStart(old, location, say, steps) : beside(old, location, say, steps);
        } catch (IOException | BundleException | RuntimeException | InvalidSyntaxException e) {
            say.accept("failed: " + e.getMessage() + " -- the running version is unchanged unless a step above says otherwise");
            return new Report(false, steps);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            say.accept("interrupted");
            return new Report(false, steps);
        }
    }

    private Report beside(Bundle old, String location, Consumer<String> say, List<String> steps)
            throws IOException, BundleException, InvalidSyntaxException, InterruptedException {
        List<Configuration> shared = shareConfigurations(old);
        if (!shared.isEmpty()) {
            say.accept("opened " + shared.size() + " configuration(s) bound to " + describe(old) + " to the new version too");
        }
        Bundle next = context.installBundle(location);
        next.start();
        say.accept("started " + describe(next) + " beside " + describe(old));
        awaitServices(next, countServices(old));
        long stopped = System.nanoTime();
        old.stop();
        say.accept("stopped " + describe(old) + ": lines rebind to the new services");
        String lines = awaitLinesRunning();
        say.accept(lines + " (" + millisSince(stopped) + " ms after the old version stopped)");
        old.uninstall();
        refresh(old);
        restoreConfigurations(shared);
        say.accept("uninstalled and refreshed " + old.getSymbolicName() + " " + old.getVersion() + "; upgrade done");
        return new Report(true, steps);
    }

    private Report stopThenStart(Bundle old, String location, Consumer<String> say, List<String> steps)
            throws BundleException, InvalidSyntaxException, InterruptedException {
        say.accept(describe(old) + " is an output: stopping it before the new version starts (never two outputs on one PLC)");
        Bundle next = context.installBundle(location);
        long stopped = System.nanoTime();
        old.stop();
        old.uninstall();
        refresh(old);
        next.start();
        say.accept("started " + describe(next) + "; uninstalled " + old.getSymbolicName() + " " + old.getVersion());
        say.accept(awaitOutputsConnected() + "; output gap " + millisSince(stopped) + " ms from stopping the old version");
        say.accept(awaitLinesRunning());
        return new Report(true, steps);
    }

    static Optional<String> refusal(String bsn, Manifest manifest) {
        if (bsn == null) {
            return Optional.of("refused: the jar has no Bundle-SymbolicName, it is not an OSGi bundle");
        }
        if (bsn.startsWith("io.linesight.lib.") || manifest.getMainAttributes().getValue("Bundle-NativeCode") != null) {
            return Optional.of("refused: " + bsn + " is a native-library wrapper; a native library binds to one class"
                    + " loader, so wrappers are updated with a restart (README: Native libraries and updates)");
        }
        if (bsn.equals("io.linesight.api")) {
            return Optional.of("refused: the API bundle is what every bundle is wired to; update it with a restart");
        }
        return Optional.empty();
    }

    private static Manifest readManifest(String location) throws IOException {
        try (InputStream in = open(location); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                throw new IOException(location + " has no manifest");
            }
            return manifest;
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("file:")) {
            return Files.newInputStream(Path.of(URI.create(location)));
        }
        return URI.create(location).toURL().openStream();
    }

    static String symbolicName(Manifest manifest) {
        String value = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        return value == null ? null : value.split(";")[0].trim();
    }

    private Optional<Bundle> installed(String bsn) {
        return Arrays.stream(context.getBundles())
                .filter(b -> bsn.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED)
                .findFirst();
    }

    private static boolean registers(Bundle bundle, String service) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return false;
        }
        for (ServiceReference<?> ref : refs) {
            if (Arrays.asList((String[]) ref.getProperty("objectClass")).contains(service)) {
                return true;
            }
        }
        return false;
    }

    private static int countServices(Bundle bundle) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        return refs == null ? 0 : refs.length;
    }

    /** Configurations bound to the old bundle become multi-location, so the new version receives them too. */
    private List<Configuration> shareConfigurations(Bundle old) throws IOException, InvalidSyntaxException {
        List<Configuration> shared = new ArrayList<>();
        Configuration[] all = configAdmin.listConfigurations(null);
        for (Configuration c : all == null ? new Configuration[0] : all) {
            if (old.getLocation().equals(c.getBundleLocation())) {
                c.setBundleLocation("?");
                shared.add(c);
            }
        }
        return shared;
    }

    /** Back to dynamic binding: the configurations bind to the one version left. */
    private static void restoreConfigurations(List<Configuration> shared) {
        for (Configuration c : shared) {
            try {
                c.setBundleLocation(null);
            } catch (IllegalStateException deleted) {
                // removed meanwhile: nothing to restore
            }
        }
    }

    private static void awaitServices(Bundle bundle, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MS;
        while (countServices(bundle) < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Waits until every line runs again (new model loaded, camera streaming); says which did not. */
    private String awaitLinesRunning() throws InvalidSyntaxException, InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MS;
        List<String> notRunning;
        do {
            notRunning = new ArrayList<>();
            for (ServiceReference<InspectionLine> ref : context.getServiceReferences(InspectionLine.class, null)) {
                InspectionLine line = context.getService(ref);
                if (line != null) {
                    try {
                        if (line.status().state() != LineState.RUNNING) {
                            notRunning.add(line.id() + " " + line.status().state() + " (" + line.status().stateDetail() + ")");
                        }
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
            if (notRunning.isEmpty()) {
                return "every line is RUNNING";
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        return "lines not RUNNING after " + SETTLE_TIMEOUT_MS / 1000 + " s: " + String.join(", ", notRunning);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Waits until every monitored output is CONNECTED again; says which is not. */
    private String awaitOutputsConnected() throws InvalidSyntaxException, InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MS;
        List<String> waiting;
        do {
            waiting = new ArrayList<>();
            for (ServiceReference<MonitoredOutput> ref : context.getServiceReferences(MonitoredOutput.class, null)) {
                MonitoredOutput output = context.getService(ref);
                if (output != null) {
                    try {
                        OutputStatus status = output.outputStatus();
                        if (status.state() != OutputState.CONNECTED) {
                            waiting.add(status.outputId() + " " + status.state());
                        }
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
            if (waiting.isEmpty()) {
                return "every output is CONNECTED";
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        return "outputs not CONNECTED after " + SETTLE_TIMEOUT_MS / 1000 + " s: " + String.join(", ", waiting);
    }

    private void refresh(Bundle old) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(old), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                refreshed.countDown();
            }
        });
        refreshed.await(SETTLE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static String describe(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]";
    }
}
