package io.linesight.api.inspection;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts since the line started (or was last reset). {@code inspected = pass + reject + review}; every
 * frame the line received is either inspected or dropped.
 */
public record LineCounters(long pass, long reject, long review, Map<DropCause, Long> dropped) {

    public LineCounters {
        EnumMap<DropCause, Long> copy = new EnumMap<>(DropCause.class);
        for (DropCause cause : DropCause.values()) {
            copy.put(cause, dropped.getOrDefault(cause, 0L));
        }
        dropped = java.util.Collections.unmodifiableMap(copy);
    }

    /** Counters of a line that has seen nothing. */
    public static LineCounters zero() {
        return new LineCounters(0, 0, 0, Map.of());
    }

    /** Frames that received a verdict. */
    public long inspected() {
        return pass + reject + review;
    }

    /** Frames dropped for any cause. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
