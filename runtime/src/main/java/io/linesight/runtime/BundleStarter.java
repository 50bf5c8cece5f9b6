package io.linesight.runtime;

import io.linesight.runtime.BundleFolders.BundleJar;
import io.linesight.runtime.StartupReport.Failure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the launcher's bundles with their start levels and starts them, lowest level first.
 *
 * <p>Everything is installed before anything starts, and resolved in one pass, so optional imports
 * between levels wire the same way on every start. A bundle that fails to install, resolve or start
 * is reported as one ERROR line naming it and the reason; the others still start. Bundles are
 * started persistently, so stopping the framework stops them in reverse start-level order.
 */
final class BundleStarter {

    private static final Logger LOG = LoggerFactory.getLogger(BundleStarter.class);
    /** Property of io.linesight.api.runtime.StartingLine (read by name: the launcher has no bundle classes). */
    static final String STARTING_LINE = "linesight.starting.line";
    static final long STARTING_LINES_WAIT_MS = 3_000;

    private final BundleContext context;
    private final List<String> active = new ArrayList<>();
    private final List<Failure> failed = new ArrayList<>();
    private final List<String> fragments = new ArrayList<>();

    /** @param context the system bundle's context of a started framework */
    BundleStarter(BundleContext context) {
        this.context = context;
    }

    /** Installs and starts the jars (already in start order) and reports the outcome. */
    StartupReport installAndStart(List<BundleJar> jars) {
        long begin = System.nanoTime();
        Map<Bundle, Integer> installed = install(jars);
        long installedAt = System.nanoTime();
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(installed.keySet());
        // the start-up path's first two steps, for the start-up benchmark's reader
        LOG.debug("Installed {} bundles in {} ms, resolved in {} ms",
                installed.size(), (installedAt - begin) / 1_000_000, (System.nanoTime() - installedAt) / 1_000_000);
        TreeMap<Integer, List<Bundle>> levels = byLevel(installed);
        int last = levels.isEmpty() ? 0 : levels.lastKey();
        levels.forEach((level, bundles) -> {
            if (level == last && level > 1) {
                awaitStartingLines();
            }
            startLevel(level, bundles);
        });
        return new StartupReport(List.copyOf(active), List.copyOf(failed), List.copyOf(fragments));
    }

    private Map<Bundle, Integer> install(List<BundleJar> jars) {
        Map<Bundle, Integer> installed = new LinkedHashMap<>();
        for (BundleJar jar : jars) {
            try {
                Bundle bundle = context.installBundle(jar.path().toUri().toString());
                bundle.adapt(BundleStartLevel.class).setStartLevel(jar.startLevel());
                installed.put(bundle, jar.startLevel());
            } catch (BundleException | RuntimeException e) {
                fail(jar.fileName(), "cannot be installed: " + FailureReasons.describe(e), e);
            }
        }
        return installed;
    }

    /**
     * Before the last level (what people and SCADA look through): waits while a line is still loading and warming
     * its model (it registers a {@code linesight.starting.line} service until it leaves STARTING), at most
     * {@value #STARTING_LINES_WAIT_MS} ms, so the first verdict has the machine to itself.
     */
    private void awaitStartingLines() {
        long begin = System.nanoTime();
        long deadline = begin + TimeUnit.MILLISECONDS.toNanos(STARTING_LINES_WAIT_MS);
        try {
            while (startingLines() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        int left = startingLines();
        if (left > 0) {
            LOG.info("{} line(s) still starting after {} ms; starting the rest beside them", left, waited);
        } else {
            LOG.debug("Lines out of STARTING after {} ms", waited);
        }
    }

    private int startingLines() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(" + STARTING_LINE + "=*)");
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TreeMap<Integer, List<Bundle>> byLevel(Map<Bundle, Integer> installed) {
        TreeMap<Integer, List<Bundle>> levels = new TreeMap<>();
        installed.forEach((bundle, level) -> levels.computeIfAbsent(level, l -> new ArrayList<>()).add(bundle));
        return levels;
    }

    private void startLevel(int level, List<Bundle> bundles) {
        List<String> started = new ArrayList<>();
        for (Bundle bundle : bundles) {
            if (BundleNames.isFragment(bundle)) {
                checkFragment(bundle);
            } else if (start(bundle)) {
                started.add(BundleNames.of(bundle));
            }
        }
        active.addAll(started);
        LOG.info("Start level {}: {} active: {}", level, started.size(), String.join(", ", started));
    }

    private boolean start(Bundle bundle) {
        try {
            // honours Bundle-ActivationPolicy: lazy bundles wait in STARTING for their first class load
            bundle.start(Bundle.START_ACTIVATION_POLICY);
            return true;
        } catch (BundleException | RuntimeException e) {
            fail(BundleNames.of(bundle), "failed to start: " + FailureReasons.describe(e), e);
            return false;
        }
    }

    private void checkFragment(Bundle fragment) {
        if (fragment.getState() == Bundle.RESOLVED) {
            fragments.add(BundleNames.of(fragment));
        } else {
            String host = fragment.getHeaders("").get(org.osgi.framework.Constants.FRAGMENT_HOST);
            fail(BundleNames.of(fragment), "fragment did not attach to its host " + host, null);
        }
    }

    private void fail(String bundle, String reason, Throwable cause) {
        failed.add(new Failure(bundle, reason));
        LOG.error("Bundle {} {}", bundle, reason);
        if (cause != null) {
            LOG.debug("Bundle {} failure detail", bundle, cause);
        }
    }
}
