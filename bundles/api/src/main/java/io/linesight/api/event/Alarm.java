package io.linesight.api.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An alarm as an operator sees it (ISA-18.2 style): raised by a condition or a latching event, cleared when the
 * condition is gone (a latching alarm at once), acknowledged by a person. It is listed while it is active or
 * not yet acknowledged. Immutable: each change gives a new value with the same {@link #id()}.
 *
 * @param id             number of the alarm, increasing, unique within the runtime's journal
 * @param kind           the raising kind
 * @param source         what it is about: {@code line/<id>}, {@code output/<id>}
 * @param message        the raising event's sentence (the latest, for a latching alarm raised again)
 * @param raisedAt       when it was raised
 * @param occurrences    how often it was raised while listed (latching alarms count repeats here)
 * @param clearedAt      when the condition went away; null while active
 * @param acknowledgedAt when an operator acknowledged it; null until then
 * @param acknowledgedBy who acknowledged it ({@code console}, {@code web:<token name>}, {@code opcua:<user>}); null
 *                       until then
 */
public record Alarm(long id, EventKind kind, String source, String message, Instant raisedAt, int occurrences,
                    Instant clearedAt, Instant acknowledgedAt, String acknowledgedBy) {

    public Alarm {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }

    /** The condition is still there. */
    public boolean active() {
        return clearedAt == null;
    }

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }

    /** Listed: active, or not yet acknowledged. */
    public boolean listed() {
        return active() || !acknowledged();
    }

    /** Key of the condition: raising kind and source, as {@link RuntimeEvent#conditionKey()}. */
    public String key() {
        return kind.name() + "@" + source;
    }

    public Optional<Instant> cleared() {
        return Optional.ofNullable(clearedAt);
    }

    /** The same alarm, cleared now. */
    public Alarm clear(Instant at) {
        return new Alarm(id, kind, source, message, raisedAt, occurrences, at, acknowledgedAt, acknowledgedBy);
    }

    /** The same alarm, acknowledged. */
    public Alarm acknowledge(Instant at, String who) {
        return new Alarm(id, kind, source, message, raisedAt, occurrences, clearedAt, at, who);
    }

    /**
     * Raised again while listed: one more occurrence, the newest message; a condition is active again, a latching
     * alarm stays inactive (it marks the moment).
     */
    public Alarm repeat(String newMessage, Instant at) {
        return new Alarm(id, kind, source, newMessage, raisedAt, occurrences + 1, kind.latching() ? at : null,
                acknowledgedAt, acknowledgedBy);
    }
}
