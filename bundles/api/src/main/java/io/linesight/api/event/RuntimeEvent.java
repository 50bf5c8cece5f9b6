package io.linesight.api.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened, immutable.
 *
 * @param sequence number given by the {@link EventBoard}, increasing; 0 before publication
 * @param time     when it happened
 * @param kind     what happened
 * @param source   what it happened to: {@code line/<id>}, {@code output/<id>}, {@code model/<name>}
 * @param message  one sentence for an operator, saying what to do where there is something to do
 */
public record RuntimeEvent(long sequence, Instant time, EventKind kind, String source, String message) {

    public RuntimeEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    /** An event to publish now; the board assigns the sequence number. */
    public static RuntimeEvent of(EventKind kind, String source, String message) {
        return new RuntimeEvent(0, Instant.now(), kind, source, message);
    }

    /** The same event with the board's sequence number. */
    public RuntimeEvent withSequence(long number) {
        return new RuntimeEvent(number, time, kind, source, message);
    }

    /** Key of the condition this event raises or clears: the raising kind plus the source. */
    public String conditionKey() {
        EventKind raising = kind.raisesAlarm() ? kind : EventKind.raisingKindFor(kind);
        return raising == null ? null : raising.name() + "@" + source;
    }
}
