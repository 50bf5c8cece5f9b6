package io.linesight.scada.opcua;

import io.linesight.api.event.RuntimeEvent;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How an alarm reads in {@code Runtime/ActiveAlarms}. Pure functions. */
final class AlarmTexts {

    private AlarmTexts() {
    }

    /** {@code 2026-11-22T08:15:30.123Z CAMERA_LOST line/line-1 (700): <message>}, one per alarm, oldest first. */
    static String[] of(List<RuntimeEvent> alarms) {
        return alarms.stream().map(AlarmTexts::of).toArray(String[]::new);
    }

    static String of(RuntimeEvent alarm) {
        return DateTimeFormatter.ISO_INSTANT.format(alarm.time()) + " " + alarm.kind() + " " + alarm.source()
                + " (" + alarm.kind().severity() + "): " + alarm.message();
    }

    /**
     * The runtime's health: {@code FAULT} (code 2) when a line is in FAULT, else {@code ALARM} (1) while an
     * alarm is active, else {@code OK} (0).
     */
    static int healthCode(boolean lineFault, int activeAlarms) {
        return lineFault ? 2 : activeAlarms > 0 ? 1 : 0;
    }

    static String healthName(int code) {
        return switch (code) {
            case 2 -> "FAULT";
            case 1 -> "ALARM";
            default -> "OK";
        };
    }
}
