package io.linesight.api.event;

import java.util.List;

/**
 * The runtime's board of events and active alarms, one service per runtime.
 *
 * <p>Publishing is cheap and never blocks on listeners (they are called on the board's own thread).
 * A raising event whose condition is already active is not repeated; a clearing event without an active
 * condition is ignored. Memory is bounded: the board keeps the active alarms and the most recent events.
 */
public interface EventBoard {

    /** Records the event and hands it to every {@link RuntimeEventListener}; returns it numbered. */
    RuntimeEvent publish(RuntimeEvent event);

    /** The raising events of the conditions active now, oldest first. */
    List<RuntimeEvent> activeAlarms();

    /** The most recent events, oldest first, at most {@code limit}. */
    List<RuntimeEvent> recent(int limit);
}
