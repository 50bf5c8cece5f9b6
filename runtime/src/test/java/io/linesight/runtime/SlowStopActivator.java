package io.linesight.runtime;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Packed into a test bundle by {@link LauncherIT}: a bundle that takes far too long to stop. */
public final class SlowStopActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        // nothing to start
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        Thread.sleep(60_000);
    }
}
