package io.linesight.plc.modbus;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a PLC link's timing: eject pulses, heartbeat, result writes, reconnects,
 * request timeouts. Delays run on the monotonic clock ({@link System#nanoTime()}), the clock frames
 * are stamped with. Tasks must not block (Modbus calls are asynchronous). A task that throws is logged,
 * not lost silently. After {@link #shutdown()} new tasks are ignored.
 */
final class TimerThread {

    private static final Logger LOG = LoggerFactory.getLogger(TimerThread.class);

    private final ScheduledThreadPoolExecutor executor;
    private final Queue<Runnable> handOver = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean handOverScheduled = new AtomicBoolean();

    TimerThread(String name) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        // cancelled timeouts leave the queue at once, so it holds only live work
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs the task soon on the timer thread. */
    void run(Runnable task) {
        after(task, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs the task soon, like {@link #run}, but tasks handed over in a burst (one {@code publish} hands
     * over a reject and a result write) share one wake-up of the timer thread: on a virtual machine a
     * wake-up costs the caller tens of microseconds. Not bounded here: every caller bounds what it hands
     * over (pending ejects, one drain request at a time).
     */
    void soon(Runnable task) {
        handOver.add(task);
        if (handOverScheduled.compareAndSet(false, true)) {
            run(this::runHandedOver);
        }
    }

    /** Runs the task after the delay; returns null once shut down. */
    ScheduledFuture<?> after(Runnable task, long delay, TimeUnit unit) {
        try {
            return executor.schedule(guarded(task), delay, unit);
        } catch (RejectedExecutionException shutDown) {
            return null;
        }
    }

    /** Runs the task every period, first after one period. */
    void every(Runnable task, long periodMs) {
        try {
            executor.scheduleAtFixedRate(guarded(task), periodMs, periodMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            LOG.debug("timer shut down, periodic task not started");
        }
    }

    boolean isShutdown() {
        return executor.isShutdown();
    }

    /** Drops every pending task and waits for the thread to end. */
    void shutdown() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("PLC timer thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runHandedOver() {
        // reset first: a task added after this point schedules another run, so none is left behind
        handOverScheduled.set(false);
        for (Runnable task = handOver.poll(); task != null; task = handOver.poll()) {
            guarded(task).run();
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("PLC timer task failed", e);
            }
        };
    }
}
