package io.linesight.console;

import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one INFO line per inspection line every {@code statusIntervalS} seconds to the SLF4J logger
 * {@value #STATUS_LOGGER}, so a file shows what every line did over time:
 * {@code line default RUNNING fps=9.8 pass=120 reject=11 review=2 dropped=0 p50=23.1ms model=m:0.1.0}.
 *
 * <p>The shipped logging configuration sends that logger to its own rolling file, {@code <data>/logs/status.log},
 * and neither to the terminal nor to {@code linesight.log}: a line's changes of state are logged by the line itself,
 * once each. Route or silence the logger in {@code logback.xml}; {@code statusIntervalS=0} turns the reporter off.
 * One daemon thread, stopped (and waited for) on deactivation.
 */
@Component(configurationPid = StatusReporter.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StatusReporter.Config.class)
public final class StatusReporter {

    /** Configuration PID. */
    public static final String PID = "io.linesight.console.status";

    /** Name of the logger the status lines go to. */
    public static final String STATUS_LOGGER = "linesight.status";

    static final String THREAD_NAME = "linesight-status-log";

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    /** Typed configuration of {@value #PID}. */
    @ObjectClassDefinition(name = "LineSight status log",
            description = "Periodic one-line status of every inspection line, logged to 'linesight.status'"
                    + " (the shipped logback.xml writes it to <data>/logs/status.log only).")
    public @interface Config {

        @AttributeDefinition(name = "Status interval (s)", min = "0",
                description = "Seconds between two status lines per inspection line; 0 turns the status log off.")
        int statusIntervalS() default 1;
    }

    private final LineRegistry lines = new LineRegistry();
    private final int intervalS;
    private final Consumer<String> sink;
    private ScheduledExecutorService scheduler;
    /** The scheduler's one thread, joined on stop: a terminated executor's thread may still be exiting. */
    private volatile Thread thread;

    /** Validates the configuration; a negative interval fails activation with a message naming it. */
    @Activate
    public StatusReporter(Config config) {
        this(config.statusIntervalS(), LoggerFactory.getLogger(STATUS_LOGGER)::info);
    }

    StatusReporter(int intervalS, Consumer<String> sink) {
        if (intervalS < 0) {
            throw new IllegalArgumentException("statusIntervalS of configuration " + PID
                    + " must be >= 0 (0 turns the status log off), but is " + intervalS);
        }
        this.intervalS = intervalS;
        this.sink = sink;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindLine(InspectionLine line, Map<String, Object> properties) {
        lines.add(line, properties);
    }

    void unbindLine(InspectionLine line) {
        lines.remove(line);
    }

    /** Starts the status thread, unless the interval is 0. */
    @Activate
    synchronized void start() {
        if (intervalS == 0) {
            LOG.info("Status log off (statusIntervalS=0 in {})", PID);
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(this::daemonThread);
        scheduler.scheduleWithFixedDelay(this::logAll, intervalS, intervalS, TimeUnit.SECONDS);
        LOG.info("Status log every {} s to logger '{}' (statusIntervalS in {})", intervalS, STATUS_LOGGER, PID);
    }

    /** Stops the status thread and waits for it, so no line is logged after deactivation. */
    @Deactivate
    synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            Thread worker = thread;
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS) || !joined(worker)) {
                LOG.warn("Status log thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
        thread = null;
    }

    synchronized boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }

    /** One tick: one line per bound inspection line, in id order. */
    void logAll() {
        for (Map.Entry<String, InspectionLine> line : lines.snapshot().entrySet()) {
            try {
                LineStatus status = line.getValue().status();
                if (status != null) {
                    sink.accept(StatusFormatter.logLine(status));
                }
            } catch (RuntimeException e) {
                // an exception escaping a scheduled task would cancel every later tick; no stack trace
                // at WARN, a broken line would print one every interval
                LOG.warn("Status of line {} failed: {}", line.getKey(), e.toString());
                LOG.debug("Status of line {} failed", line.getKey(), e);
            }
        }
    }

    private Thread daemonThread(Runnable task) {
        Thread worker = new Thread(task, THREAD_NAME);
        worker.setDaemon(true);
        thread = worker;
        return worker;
    }

    private static boolean joined(Thread worker) throws InterruptedException {
        if (worker != null) {
            worker.join(5_000);
        }
        return worker == null || !worker.isAlive();
    }
}
