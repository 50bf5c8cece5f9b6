package io.linesight.scada.opcua;

import io.linesight.api.event.MissedReject;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves values from the lines' inference threads into the address space on one thread of its own.
 *
 * <p>The calling side only stores the newest (event, status) of a line in a map and, if none was
 * pending, queues one "flush this line" task: a few hundred nanoseconds, never blocking. Updates
 * arriving faster than the thread applies them are coalesced per line (counters are cumulative, so the
 * newest status is complete; an older event's verdict is superseded by a newer one). Adding and removing
 * line folders go through the same single thread, so they are ordered with the updates. The task queue is
 * bounded; if it is ever full the update is dropped and counted.
 */
final class AddressSpaceUpdater implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AddressSpaceUpdater.class);
    private static final int QUEUE_CAPACITY = 1024;

    private final LineSightNamespace namespace;
    private final ThreadPoolExecutor thread;
    private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /**
     * Missed rejects per line id since this server started. Updater thread only. Kept when a line's folder goes, so a
     * line restarted by a configuration change still shows what it missed before; one entry per line id ever seen.
     */
    private final Map<String, Long> rejectsMissed = new HashMap<>();

    /** The newest not yet applied inspection (may be null) and status of one line. */
    private record Pending(InspectionEvent event, LineStatus status) {
        Pending mergeInto(Pending older) {
            return new Pending(event != null ? event : older.event, status != null ? status : older.status);
        }
    }

    AddressSpaceUpdater(LineSightNamespace namespace) {
        this.namespace = namespace;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    Thread t = new Thread(runnable, "linesight-opcua-updater");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** One frame was judged; called on the line's inference thread. */
    void inspected(InspectionEvent event, LineStatus status) {
        offer(event.lineId(), new Pending(event, status));
    }

    /** A line's state changed without an inspection. */
    void statusChanged(LineStatus status) {
        offer(status.lineId(), new Pending(null, status));
    }

    /** A line appeared; {@code status} is asked on the updater thread, not the caller's. */
    void lineAdded(String lineId, Supplier<LineStatus> status) {
        submit("add line " + lineId, () -> addLine(lineId, status));
    }

    /** A line went away: its folder goes too, and so does any update still pending for it. */
    void lineRemoved(String lineId) {
        submit("remove line " + lineId, () -> {
            pending.remove(lineId);
            namespace.removeLine(lineId);
        });
    }

    /** An output appeared; its status is asked on the updater thread, not the caller's. */
    void outputAdded(MonitoredOutput output) {
        submit("add an output", () -> {
            OutputStatus status = output.outputStatus();
            if (namespace.addOutput(output, status)) {
                LOG.info("OPC UA: output {} added at {}", status.outputId(), NodePaths.output(status.outputId()));
            }
        });
    }

    /** An output went away: so does its folder. */
    void outputRemoved(MonitoredOutput output) {
        submit("remove an output", () -> namespace.removeOutput(output));
    }

    /**
     * A runtime event: emitted as an OPC UA event on this thread, in the order the board published them; a missed
     * reject also counts in its line's {@code Counters/RejectsMissed}.
     */
    void eventRaised(RuntimeEvent event) {
        submit("event " + event.kind() + " " + event.source(), () -> {
            MissedReject.of(event).ifPresent(this::countMissed);
            namespace.emit(event);
        });
    }

    private void countMissed(MissedReject missed) {
        long count = rejectsMissed.merge(missed.lineId(), 1L, Long::sum);
        namespace.line(missed.lineId()).ifPresent(nodes -> showMissed(nodes, count));
    }

    private static void showMissed(LineNodes nodes, long count) {
        DateTime now = DateTime.now();
        nodes.apply(Map.of(LineVariable.COUNTERS_REJECTS_MISSED, new Variant(count)), now, now);
    }

    /** The drift watch's latest figures: each line's Drift variables, on this thread like every update. */
    void drift(List<io.linesight.api.watch.DriftFigures> figures) {
        submit("drift figures", () -> {
            DateTime now = DateTime.now();
            figures.forEach(f -> namespace.line(f.lineId()).ifPresent(nodes -> nodes.apply(LineValues.ofDrift(f), now, now)));
        });
    }

    /** Updates dropped because the task queue was full (expected to stay 0). */
    long dropped() {
        return dropped.get();
    }

    /**
     * Stops the thread after the tasks already queued; waits at most {@code timeout}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void close(Duration timeout) throws InterruptedException {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The OPC UA updater did not finish within {} ms; interrupting it", timeout.toMillis());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(2));
    }

    private void offer(String lineId, Pending update) {
        Pending merged = pending.merge(lineId, update, (older, newer) -> newer.mergeInto(older));
        if (merged == update && !submit(null, () -> flush(lineId))) {
            // Nobody will flush this entry; forget it so the next update schedules a flush again.
            pending.remove(lineId);
        }
    }

    private boolean submit(String what, Runnable task) {
        try {
            thread.execute(() -> runSafely(task));
            return true;
        } catch (RejectedExecutionException e) {
            if (!thread.isShutdown()) {
                long count = dropped.incrementAndGet();
                LOG.warn("OPC UA update queue full; dropped {} ({} dropped so far)", what == null ? "an update" : what, count);
            }
            return false;
        }
    }

    private void flush(String lineId) {
        Pending update = pending.remove(lineId);
        if (update == null) {
            return;
        }
        LineNodes nodes = namespace.line(lineId).orElseGet(() -> newLine(lineId, update.status()));
        DateTime now = DateTime.now();
        if (update.status() != null) {
            nodes.apply(LineValues.ofStatus(update.status()), taken(update.status()), now);
        }
        if (update.event() != null) {
            InspectionEvent event = update.event();
            nodes.apply(LineValues.ofInspection(event), new DateTime(event.captureTime()), now);
            LOG.debug("line {} frame {}: {} shown over OPC UA", lineId, event.sequence(), event.verdict());
        }
    }

    private void addLine(String lineId, Supplier<LineStatus> status) {
        if (namespace.line(lineId).isEmpty()) {
            LineStatus current = status.get();
            LineNodes nodes = newLine(lineId, current);
            if (current != null) {
                nodes.apply(LineValues.ofStatus(current), taken(current), DateTime.now());
            }
        }
    }

    /** Adds the line's folder; its verdict variables start from the status's last verdict, if any. */
    private LineNodes newLine(String lineId, LineStatus status) {
        LineNodes nodes = namespace.addLine(lineId);
        showMissed(nodes, rejectsMissed.getOrDefault(lineId, 0L));
        if (status != null) {
            nodes.apply(LineValues.initialVerdict(status), taken(status), DateTime.now());
        }
        LOG.info("OPC UA: line {} added at {}", lineId, NodePaths.line(lineId));
        return nodes;
    }

    private static DateTime taken(LineStatus status) {
        return status.taken() == null ? DateTime.now() : new DateTime(status.taken());
    }

    /** A failure on one update must not end the thread that serves every line. */
    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("OPC UA address space update failed", e);
        }
    }
}
