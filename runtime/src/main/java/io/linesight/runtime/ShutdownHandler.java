package io.linesight.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Clean shutdown of the framework, whichever way it is asked for.
 *
 * <ul>
 *   <li>SIGTERM and Ctrl-C (SIGINT) are trapped: the framework stops its bundles in reverse start
 *       order and the launcher then exits with status 0. The JVM's default handling would run the
 *       shutdown hooks and exit with 143/130, which service managers report as a failure.</li>
 *   <li>{@code stop 0} in the shell (or any bundle stopping the system bundle): the launcher notices
 *       the framework stopped and exits too.</li>
 *   <li>Any other exit of the JVM (SIGHUP, {@code System.exit} from a bundle): a shutdown hook stops
 *       the framework before the JVM goes.</li>
 * </ul>
 * In every case the launcher waits at most {@link #TIMEOUT} for the bundles to stop.
 */
final class ShutdownHandler {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final long POLL_MILLIS = 200;

    private final Framework framework;
    private final RuntimeEventLogger events;
    private final AtomicBoolean exitClaimed = new AtomicBoolean();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile long stopBeganNanos;

    ShutdownHandler(Framework framework, RuntimeEventLogger events) {
        this.framework = framework;
        this.events = events;
    }

    /** Traps SIGTERM and SIGINT and registers the JVM shutdown hook. */
    void install() {
        trap("TERM");
        trap("INT");
        Runtime.getRuntime().addShutdownHook(new Thread(this::onJvmExit, "linesight-shutdown-hook"));
    }

    private void trap(String signal) {
        try {
            Signal.handle(new Signal(signal), s -> requestStop("SIG" + s.getName()));
        } catch (IllegalArgumentException e) {
            // the JVM reserves the signal (-Xrs, or ignored by nohup): the shutdown hook still stops us
            LOG.debug("SIG{} not trapped: {}", signal, e.getMessage());
        }
    }

    /** Asks the framework to stop (asynchronously); repeated requests are only logged. */
    void requestStop(String reason) {
        if (!stopRequested.compareAndSet(false, true)) {
            LOG.info("Still stopping ({} again); giving up after {} s", reason, TIMEOUT.toSeconds());
            return;
        }
        LOG.info("Stopping LineSight ({})", reason);
        markStopping();
        try {
            framework.stop();
        } catch (BundleException e) {
            LOG.error("Cannot stop the framework: {}", e.getMessage());
        }
    }

    /**
     * Blocks until the framework has stopped, or until {@link #TIMEOUT} after it began stopping.
     *
     * @return the framework's stop event, or a {@code WAIT_TIMEDOUT} event if it did not stop in time
     */
    FrameworkEvent awaitStop() throws InterruptedException {
        while (true) {
            FrameworkEvent event = framework.waitForStop(POLL_MILLIS);
            if (event.getType() != FrameworkEvent.WAIT_TIMEDOUT) {
                return event;
            }
            if (framework.getState() != Bundle.ACTIVE) {
                markStopping();
            }
            if (stopBeganNanos != 0 && elapsed().compareTo(TIMEOUT) > 0) {
                return event;
            }
        }
    }

    /** Whoever claims the exit first (main or the shutdown hook) reports the end and flushes the logs. */
    boolean claimExit() {
        return exitClaimed.compareAndSet(false, true);
    }

    /**
     * Logs how the framework ended.
     *
     * @return the launcher's exit status: 0 after a clean stop, 1 after an error or a timeout
     */
    int report(FrameworkEvent event) {
        long millis = stopBeganNanos == 0 ? 0 : elapsed().toMillis();
        switch (event.getType()) {
            case FrameworkEvent.STOPPED -> LOG.info("LineSight stopped: framework stopped in {} ms", millis);
            case FrameworkEvent.STOPPED_UPDATE, FrameworkEvent.STOPPED_SYSTEM_REFRESHED ->
                    LOG.info("LineSight stopped: framework restart requested; start LineSight again to apply it");
            case FrameworkEvent.WAIT_TIMEDOUT -> {
                LOG.warn("Framework did not stop within {} s; exiting anyway. Stuck stopping: {}",
                        TIMEOUT.toSeconds(), stillStopping());
                return 1;
            }
            default -> {
                LOG.error("LineSight stopped: framework stopped with an error: {}",
                        event.getThrowable() == null ? "(no detail)" : FailureReasons.describe(event.getThrowable()));
                return 1;
            }
        }
        return 0;
    }

    private void onJvmExit() {
        if (!claimExit()) {
            return; // the launcher's main is already exiting after a stop it saw through
        }
        requestStop("JVM exit");
        try {
            report(framework.waitForStop(TIMEOUT.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LoggingSetup.stop();
        }
    }

    private void markStopping() {
        if (stopBeganNanos == 0) {
            stopBeganNanos = System.nanoTime();
            events.shutdownBegun();
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - stopBeganNanos);
    }

    private List<String> stillStopping() {
        try {
            return Arrays.stream(framework.getBundleContext().getBundles())
                    .filter(b -> b.getBundleId() != 0 && b.getState() == Bundle.STOPPING)
                    .map(BundleNames::of)
                    .toList();
        } catch (IllegalStateException e) {
            return List.of("(framework context gone)");
        }
    }
}
