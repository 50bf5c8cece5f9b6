package io.linesight.runtime;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what changes in the running system after startup: bundles installed, started, updated,
 * stopped or uninstalled (from the deploy folder or the shell), and framework errors. Silent while
 * the launcher starts the bundles (the startup lines say it all) and once shutdown has begun.
 * Synchronous, so an event is judged by the phase in which it happened, not when it is delivered.
 */
final class RuntimeEventLogger implements SynchronousBundleListener, FrameworkListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.linesight.runtime.bundles");

    private volatile boolean live;

    /** From now on, bundle changes are logged. */
    void startupDone() {
        live = true;
    }

    /** From now on, bundle changes are expected (the framework is stopping) and not logged. */
    void shutdownBegun() {
        live = false;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
            shutdownBegun(); // stop 0 from the shell, or any other stop of the framework
        }
        String what = describe(event.getType());
        if (live && what != null) {
            LOG.info("Bundle {}: {} ({})", what, BundleNames.of(event.getBundle()), event.getBundle().getLocation());
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        Throwable t = event.getThrowable();
        String source = event.getBundle() == null ? "framework" : BundleNames.of(event.getBundle());
        if (event.getType() == FrameworkEvent.ERROR) {
            LOG.error("Error in {}: {}", source, t == null ? "(no detail)" : FailureReasons.describe(t));
            LOG.debug("Error detail", t);
        } else if (event.getType() == FrameworkEvent.WARNING) {
            LOG.warn("Warning from {}: {}", source, t == null ? "(no detail)" : FailureReasons.describe(t));
        }
    }

    private static String describe(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "installed";
            case BundleEvent.STARTED -> "started";
            case BundleEvent.STOPPED -> "stopped";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.UNINSTALLED -> "uninstalled";
            default -> null;
        };
    }
}
