package io.linesight.plc.modbus;

import io.linesight.api.inspection.LineState;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which of the lines this output serves cannot inspect. The line fault coil is ON while at least one of
 * them is in {@link LineState#FAULT}: with one output per line that is that line's fault; an output that
 * serves several lines raises it for any of them (the PLC cannot tell which; give each line its own
 * output when it must). A line that is removed no longer counts. Thread-safe; lines report from their
 * own threads.
 */
final class LineFaults {

    /** The key under which an output that names no lines records that it drives no ejector (see LineWiring). */
    static final String WIRING = "(output wiring)";

    /** The faulted lines and why, by line id. */
    private final Map<String, String> faulted = new TreeMap<>();

    /**
     * Records a line's state.
     *
     * @return the new answer of {@link #any()} if this changed it, else empty
     */
    synchronized Optional<Boolean> update(String lineId, LineState state, String detail) {
        boolean before = !faulted.isEmpty();
        if (state == LineState.FAULT) {
            faulted.put(lineId, detail == null ? "" : detail);
        } else {
            faulted.remove(lineId);
        }
        return changed(before);
    }

    /** The line is gone; as {@link #update}. */
    synchronized Optional<Boolean> remove(String lineId) {
        boolean before = !faulted.isEmpty();
        faulted.remove(lineId);
        return changed(before);
    }

    synchronized boolean any() {
        return !faulted.isEmpty();
    }

    private Optional<Boolean> changed(boolean before) {
        boolean now = !faulted.isEmpty();
        return before == now ? Optional.empty() : Optional.of(now);
    }

    /** "line-1 (camera lost)" for the first faulted line, for the log. */
    synchronized Optional<String> describeFirst() {
        return faulted.entrySet().stream().findFirst()
                .map(e -> e.getKey() + (e.getValue().isEmpty() ? "" : " (" + e.getValue() + ")"));
    }
}
