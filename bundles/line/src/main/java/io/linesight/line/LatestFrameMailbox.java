package io.linesight.line;

import io.linesight.api.frame.Frame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mailbox of one slot between a camera and a line's inference thread: the newest frame wins. The
 * camera never blocks; a frame that is replaced before the inference thread took it is handed back to
 * the caller so it can be counted as dropped.
 */
final class LatestFrameMailbox {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition filled = lock.newCondition();
    private Frame slot;

    /**
     * Puts {@code frame} in the slot.
     *
     * @return the frame it replaced (to be counted as dropped), or {@code null}
     */
    Frame offer(Frame frame) {
        lock.lock();
        try {
            Frame replaced = slot;
            slot = frame;
            filled.signal();
            return replaced;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the frame, waiting at most {@code timeoutMs}; {@code null} if none arrived. */
    Frame take(long timeoutMs) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (slot == null && remaining > 0) {
                remaining = filled.awaitNanos(remaining);
            }
            Frame taken = slot;
            slot = null;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the slot (line stopping) and returns what was there, or {@code null}. */
    Frame drain() {
        lock.lock();
        try {
            Frame left = slot;
            slot = null;
            return left;
        } finally {
            lock.unlock();
        }
    }
}
