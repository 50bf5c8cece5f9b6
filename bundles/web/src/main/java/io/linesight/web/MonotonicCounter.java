package io.linesight.web;

/**
 * Turns a counter that an operator can reset (the line's drop counts) into one that only grows, as
 * Prometheus expects: when a reading is lower than the previous one, the previous total is carried over.
 */
final class MonotonicCounter {

    private long lastReading;
    private long carried;

    synchronized void update(long reading) {
        if (reading < lastReading) {
            carried += lastReading;
        }
        lastReading = reading;
    }

    synchronized long value() {
        return carried + lastReading;
    }
}
