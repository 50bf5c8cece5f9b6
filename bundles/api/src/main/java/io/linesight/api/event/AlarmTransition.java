package io.linesight.api.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the alarm journal: an alarm raised, cleared or acknowledged, when and by whom.
 *
 * @param time    when
 * @param alarmId the {@link Alarm#id()}
 * @param kind    the alarm's raising kind
 * @param source  what it is about
 * @param change  what happened to it
 * @param who     {@code runtime} for raise and clear, the operator for an acknowledgement
 * @param message the raising sentence, or what cleared it
 */
public record AlarmTransition(Instant time, long alarmId, EventKind kind, String source, Change change, String who,
                              String message) {

    /** What happened to an alarm. */
    public enum Change { RAISED, CLEARED, ACKNOWLEDGED }

    public AlarmTransition {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(message, "message");
    }
}
