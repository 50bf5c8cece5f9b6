package io.linesight.events;

import io.linesight.api.event.RuntimeEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The board's memory, without threads: numbers events, keeps the active conditions and a bounded list of
 * recent events, and decides which events are news. Not thread-safe; the board synchronises.
 */
final class EventLedger {

    private final int capacity;
    private final Deque<RuntimeEvent> recent = new ArrayDeque<>();
    private final Map<String, RuntimeEvent> active = new LinkedHashMap<>();
    private long sequence;

    EventLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records the event if it is news and returns it numbered; returns null when it repeats an active
     * condition or clears one that is not active.
     */
    RuntimeEvent record(RuntimeEvent event) {
        String key = event.conditionKey();
        if (key != null) {
            boolean raising = event.kind().raisesAlarm();
            if (raising && active.containsKey(key) || !raising && !active.containsKey(key)) {
                return null;
            }
        }
        RuntimeEvent numbered = event.withSequence(++sequence);
        if (key != null) {
            if (event.kind().raisesAlarm()) {
                active.put(key, numbered);
            } else {
                active.remove(key);
            }
        }
        recent.addLast(numbered);
        while (recent.size() > capacity) {
            recent.removeFirst();
        }
        return numbered;
    }

    List<RuntimeEvent> activeAlarms() {
        return List.copyOf(active.values());
    }

    List<RuntimeEvent> recent(int limit) {
        List<RuntimeEvent> all = new ArrayList<>(recent);
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
    }
}
