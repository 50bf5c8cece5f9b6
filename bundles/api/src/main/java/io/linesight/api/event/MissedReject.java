package io.linesight.api.event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link EventKind#REJECT_MISSED} event says, in a fixed form so that every reader (metrics, SCADA, upstream)
 * gets the part, the output and the reason without guessing: the event's source is {@code line/<lineId>} and its
 * message starts {@code reject of part <sequence> missed by output/<outputId> (<REASON>): }, then the figures and
 * what to do.
 *
 * @param lineId   the line whose part it was
 * @param sequence the frame sequence (the part's id on the PLC)
 * @param outputId the output that could not pulse
 * @param reason   LATE_VERDICT, QUEUE_FULL, TIMER_LATE, PLC_DISCONNECTED, WRITE_FAILED or LINES_AMBIGUOUS
 */
public record MissedReject(String lineId, long sequence, String outputId, String reason) {

    private static final Pattern MESSAGE =
            Pattern.compile("^reject of part (\\d+) missed by output/(\\S+) \\(([A-Z_]+)\\): ");

    /** The event for a missed reject, with {@code detail} (the figures and what to do) after the fixed part. */
    public RuntimeEvent event(String detail) {
        return RuntimeEvent.of(EventKind.REJECT_MISSED, "line/" + lineId,
                "reject of part " + sequence + " missed by output/" + outputId + " (" + reason + "): " + detail);
    }

    /** Reads a REJECT_MISSED event; empty for any other event or a message not in the fixed form. */
    public static Optional<MissedReject> of(RuntimeEvent event) {
        if (event.kind() != EventKind.REJECT_MISSED || !event.source().startsWith("line/")) {
            return Optional.empty();
        }
        Matcher m = MESSAGE.matcher(event.message());
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new MissedReject(event.source().substring(5), Long.parseLong(m.group(1)), m.group(2),
                m.group(3)));
    }
}
