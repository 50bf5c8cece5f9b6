package io.linesight.api.event;

import java.util.List;

/**
 * The runtime's board of events and active alarms, one service per runtime.
 *
 * <p>Publishing is cheap and never blocks on listeners (they are called on the board's own thread).
 * A raising event whose condition is already active is not repeated; a clearing event without an active
 * condition is ignored. Memory is bounded: the board keeps the listed alarms, the most recent events and a bounded
 * alarm journal on disk.
 */
public interface EventBoard {

    /** Records the event and hands it to every {@link RuntimeEventListener}; returns it numbered. */
    RuntimeEvent publish(RuntimeEvent event);

    /** The raising events of the conditions active now, oldest first. */
    List<RuntimeEvent> activeAlarms();

    /**
     * The alarms an operator must see: active, or cleared but not yet acknowledged, oldest first. Latching alarms
     * ({@link EventKind#latching()}) are never active and stay here until acknowledged.
     */
    List<Alarm> alarms();

    /**
     * Acknowledges a listed alarm on behalf of {@code who} (recorded in the journal, announced as an
     * {@link EventKind#ALARM_ACKNOWLEDGED} event). An alarm acknowledged and no longer active leaves the list.
     *
     * @return the alarm as acknowledged; empty when no listed alarm has that id (or it was already acknowledged)
     */
    java.util.Optional<Alarm> acknowledge(long alarmId, String who);

    /** The alarm journal, newest last, at most {@code limit} entries; it survives restarts and is bounded. */
    List<AlarmTransition> journal(int limit);

    /** The most recent events, oldest first, at most {@code limit}. */
    List<RuntimeEvent> recent(int limit);
}
