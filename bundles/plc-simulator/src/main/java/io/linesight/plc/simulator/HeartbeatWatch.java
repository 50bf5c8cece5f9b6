package io.linesight.plc.simulator;

/**
 * Watches the heartbeat register the way a PLC program would: the master is alive while the value
 * keeps changing, and dead once it has not changed for the timeout. Thread-safe; time is passed in
 * (monotonic nanoseconds) so the rules can be tested without waiting.
 */
final class HeartbeatWatch {

    /** What a write or a check changed. */
    enum Transition { NONE, ALIVE, STOPPED }

    private final long timeoutNanos;
    private boolean seen;
    private int lastValue;
    private long lastChangeNanos;
    private long changes;
    private boolean alive;

    HeartbeatWatch(long timeoutMillis) {
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    /** The register was written; a different value (or the very first one) is a beat. */
    synchronized Transition onWrite(int value, long nanos) {
        if (seen && value == lastValue) {
            return Transition.NONE;
        }
        seen = true;
        lastValue = value;
        lastChangeNanos = nanos;
        changes++;
        if (alive) {
            return Transition.NONE;
        }
        alive = true;
        return Transition.ALIVE;
    }

    /** Called periodically: reports {@link Transition#STOPPED} once when the beats stop. */
    synchronized Transition check(long nanos) {
        if (alive && nanos - lastChangeNanos > timeoutNanos) {
            alive = false;
            return Transition.STOPPED;
        }
        return Transition.NONE;
    }

    synchronized long changes() {
        return changes;
    }

    synchronized boolean alive() {
        return alive;
    }

    synchronized int lastValue() {
        return lastValue;
    }
}
