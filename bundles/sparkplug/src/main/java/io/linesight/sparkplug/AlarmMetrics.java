package io.linesight.sparkplug;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.EventKind;
import java.util.List;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * Alarms as metrics: for each kind that raises an alarm, {@code Alarms/<KIND>/Active}, {@code /Acknowledged},
 * {@code /Id} (the alarm's number for Acknowledge Alarm, 0 when none is listed) and {@code /Message}, plus
 * {@code Alarms/Listed} (how many are active or unacknowledged). Every device lists all kinds at birth, so a kind that
 * shows up later needs no new birth.
 */
final class AlarmMetrics {

    static final String LISTED = "Alarms/Listed";

    private AlarmMetrics() {
    }

    static void define(DeviceMetrics d) {
        d.define(LISTED, MetricDataType.Int32, 0);
        for (EventKind kind : EventKind.values()) {
            if (!kind.raisesAlarm()) {
                continue;
            }
            String base = "Alarms/" + kind.name();
            d.define(base + "/Active", MetricDataType.Boolean, false)
                    .define(base + "/Acknowledged", MetricDataType.Boolean, true)
                    .define(base + "/Id", MetricDataType.Int64, 0L)
                    .define(base + "/Message", MetricDataType.String, "");
        }
    }

    /** @param listed the listed alarms of this device's source, oldest first */
    static void update(DeviceMetrics d, List<Alarm> listed) {
        d.set(LISTED, listed.size());
        for (EventKind kind : EventKind.values()) {
            if (!kind.raisesAlarm()) {
                continue;
            }
            String base = "Alarms/" + kind.name();
            Alarm newest = null;
            for (Alarm a : listed) {
                if (a.kind() == kind) {
                    newest = a;
                }
            }
            d.set(base + "/Active", newest != null && newest.active());
            d.set(base + "/Acknowledged", newest == null || newest.acknowledged());
            d.set(base + "/Id", newest == null ? 0L : newest.id());
            d.set(base + "/Message", newest == null ? "" : newest.message());
        }
    }
}
