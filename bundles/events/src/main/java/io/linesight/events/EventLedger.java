package io.linesight.events;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.AlarmTransition;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The board's memory, without threads or files: numbers events, keeps the listed alarms (active, or not yet
 * acknowledged) and a bounded list of recent events, and decides which events are news and what each does to the
 * alarms. Not thread-safe; the board synchronises.
 */
final class EventLedger {

    /**
     * What one event did: the event numbered (null: not news), the alarm changes it made, and whether it only
     * repeated a latching alarm that is still listed (a PLC down misses a reject per part: one WARN is enough).
     */
    record Outcome(RuntimeEvent event, List<AlarmTransition> transitions, boolean repeat) {
        static final Outcome NOTHING = new Outcome(null, List.of(), false);
    }

    private final int capacity;
    private final Deque<RuntimeEvent> recent = new ArrayDeque<>();
    /** Listed alarms by condition key, in the order they were first raised. */
    private final Map<String, Alarm> listed = new LinkedHashMap<>();
    /** The raising event of each active condition, for {@link #activeAlarms()}. */
    private final Map<String, RuntimeEvent> activeRaises = new LinkedHashMap<>();
    private long sequence;
    private long alarmIds;

    EventLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Takes back what the journal remembers across a restart: alarm ids continue after the highest one, and
     * latching alarms not yet acknowledged are listed again (conditions are raised again by their owners if the
     * cause is still there).
     */
    void restore(long highestAlarmId, List<Alarm> unacknowledgedLatching) {
        alarmIds = Math.max(alarmIds, highestAlarmId);
        for (Alarm a : unacknowledgedLatching) {
            listed.put(a.key(), a);
        }
    }

    /** Records the event if it is news; returns it numbered with the alarm changes it made. */
    Outcome record(RuntimeEvent event) {
        String key = event.conditionKey();
        List<AlarmTransition> transitions = new ArrayList<>(1);
        Alarm before = key == null ? null : listed.get(key);
        boolean repeat = event.kind().latching() && before != null && !before.acknowledged();
        if (key != null && !applyToAlarms(event, key, transitions)) {
            return Outcome.NOTHING;
        }
        RuntimeEvent numbered = event.withSequence(++sequence);
        if (key != null && event.kind().raisesAlarm() && !event.kind().latching()) {
            activeRaises.put(key, numbered);
        } else if (key != null) {
            activeRaises.remove(key);
        }
        recent.addLast(numbered);
        while (recent.size() > capacity) {
            recent.removeFirst();
        }
        return new Outcome(numbered, transitions, repeat);
    }

    /**
     * Returns false when the event is not news: it repeats an active condition, or only clears one that is not
     * active.
     */
    private boolean applyToAlarms(RuntimeEvent event, String key, List<AlarmTransition> transitions) {
        Alarm existing = listed.get(key);
        EventKind kind = event.kind();
        if (kind.raisesAlarm()) {
            if (existing != null && existing.active() && !kind.latching()) {
                return false;
            }
            Alarm raised = existing == null || existing.acknowledged() ? newAlarm(event)
                    : existing.repeat(event.message(), event.time());
            listed.put(key, raised);
            transitions.add(transition(raised, AlarmTransition.Change.RAISED, "runtime", event.message(), event.time()));
            return true;
        }
        if (existing == null || !existing.active()) {
            return !kind.onlyClears();
        }
        Alarm cleared = existing.clear(event.time());
        if (cleared.acknowledged()) {
            listed.remove(key);
        } else {
            listed.put(key, cleared);
        }
        transitions.add(transition(cleared, AlarmTransition.Change.CLEARED, "runtime", event.message(), event.time()));
        return true;
    }

    private Alarm newAlarm(RuntimeEvent event) {
        Instant cleared = event.kind().latching() ? event.time() : null;
        return new Alarm(++alarmIds, event.kind(), event.source(), event.message(), event.time(), 1, cleared, null, null);
    }

    /** Acknowledges a listed, unacknowledged alarm; empty if there is none with that id. */
    Optional<Acknowledged> acknowledge(long alarmId, String who, Instant at) {
        for (Map.Entry<String, Alarm> e : listed.entrySet()) {
            Alarm alarm = e.getValue();
            if (alarm.id() == alarmId && !alarm.acknowledged()) {
                Alarm acknowledged = alarm.acknowledge(at, who);
                if (acknowledged.active()) {
                    e.setValue(acknowledged);
                } else {
                    listed.remove(e.getKey());
                }
                return Optional.of(new Acknowledged(acknowledged, transition(acknowledged,
                        AlarmTransition.Change.ACKNOWLEDGED, who, alarm.message(), at)));
            }
        }
        return Optional.empty();
    }

    /** An acknowledged alarm and its journal line. */
    record Acknowledged(Alarm alarm, AlarmTransition transition) {
    }

    private static AlarmTransition transition(Alarm alarm, AlarmTransition.Change change, String who, String message,
                                              Instant at) {
        return new AlarmTransition(at, alarm.id(), alarm.kind(), alarm.source(), change, who, message);
    }

    List<RuntimeEvent> activeAlarms() {
        return List.copyOf(activeRaises.values());
    }

    List<Alarm> alarms() {
        return List.copyOf(listed.values());
    }

    List<RuntimeEvent> recent(int limit) {
        List<RuntimeEvent> all = new ArrayList<>(recent);
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
    }
}
