package io.linesight.scada.opcua;

import io.linesight.api.event.Alarm;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How an alarm reads in {@code Runtime/ActiveAlarms}. Pure functions. */
final class AlarmTexts {

    private AlarmTexts() {
    }

    /**
     * {@code #12 2026-11-22T08:15:30.123Z CAMERA_LOST line/line-1 (700) ACTIVE, unacknowledged: <message>}, one per
     * listed alarm, oldest first; a latching alarm raised several times ends with {@code (3 times)}.
     */
    static String[] of(List<Alarm> alarms) {
        return alarms.stream().map(AlarmTexts::of).toArray(String[]::new);
    }

    static String of(Alarm alarm) {
        return "#" + alarm.id() + " " + DateTimeFormatter.ISO_INSTANT.format(alarm.raisedAt()) + " " + alarm.kind() + " "
                + alarm.source() + " (" + alarm.kind().severity() + ") " + (alarm.active() ? "ACTIVE" : "CLEARED") + ", "
                + (alarm.acknowledged() ? "acknowledged by " + alarm.acknowledgedBy() : "unacknowledged") + ": "
                + alarm.message() + (alarm.occurrences() > 1 ? " (" + alarm.occurrences() + " times)" : "");
    }

    /**
     * The runtime's health: {@code FAULT} (code 2) when a line is in FAULT, else {@code ALARM} (1) while an
     * alarm is listed (active, or not yet acknowledged), else {@code OK} (0).
     */
    static int healthCode(boolean lineFault, int listedAlarms) {
        return lineFault ? 2 : listedAlarms > 0 ? 1 : 0;
    }

    static String healthName(int code) {
        return switch (code) {
            case 2 -> "FAULT";
            case 1 -> "ALARM";
            default -> "OK";
        };
    }
}
