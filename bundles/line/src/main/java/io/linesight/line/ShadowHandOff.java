package io.linesight.line;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One slot between the line's inference thread and a shadow trial's thread: the newest sample wins. The inference
 * thread never waits (an offer takes the lock for a field write); a sample replaced before the trial took it is
 * reported so it can be counted as skipped.
 */
final class ShadowHandOff {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition filled = lock.newCondition();
    private ShadowTrial.Sample slot;

    /** Puts the sample in the slot; true when it replaced one the trial never took. */
    boolean offer(ShadowTrial.Sample sample) {
        lock.lock();
        try {
            boolean replaced = slot != null;
            slot = sample;
            filled.signal();
            return replaced;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the sample, waiting at most {@code timeoutMs}; null if none came. */
    ShadowTrial.Sample take(long timeoutMs) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (slot == null && remaining > 0) {
                remaining = filled.awaitNanos(remaining);
            }
            ShadowTrial.Sample taken = slot;
            slot = null;
            return taken;
        } finally {
            lock.unlock();
        }
    }
}
