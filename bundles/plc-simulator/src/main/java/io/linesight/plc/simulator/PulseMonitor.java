package io.linesight.plc.simulator;

import java.util.Optional;

/**
 * Watches one coil the way a PLC input card would: counts rising edges and measures how long the
 * coil stayed ON. Writes that repeat the current value are not edges. Thread-safe.
 */
final class PulseMonitor {

    /** A finished pulse: its number (1-based, counted at the rising edge) and its width. */
    record Pulse(long number, long widthNanos) {
        long widthMillis() {
            return Math.round(widthNanos / 1e6);
        }
    }

    private boolean high;
    private long risingNanos;
    private long risingEdges;
    private Pulse last;

    /**
     * A write reached the coil.
     *
     * @return the pulse this write ended (a falling edge), or empty
     */
    synchronized Optional<Pulse> onWrite(boolean value, long nanos) {
        if (value == high) {
            return Optional.empty();
        }
        high = value;
        if (value) {
            risingEdges++;
            risingNanos = nanos;
            return Optional.empty();
        }
        last = new Pulse(risingEdges, nanos - risingNanos);
        return Optional.of(last);
    }

    synchronized long risingEdges() {
        return risingEdges;
    }

    /** The last finished pulse, if any. */
    synchronized Optional<Pulse> lastPulse() {
        return Optional.ofNullable(last);
    }
}
