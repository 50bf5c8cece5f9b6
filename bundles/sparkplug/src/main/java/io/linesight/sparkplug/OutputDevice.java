package io.linesight.sparkplug;

import io.linesight.api.event.Alarm;
import io.linesight.api.output.OutputStatus;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * An output (a PLC link) as a Sparkplug device, id {@code output-<output id>} (outputs and lines have ids of their
 * own, often the same word, so the prefix keeps them apart): its connection, what it serves, its counters and alarms.
 * Its counters are the names the output reports; a name that appears later needs a new DBIRTH of this device.
 */
final class OutputDevice {

    static final String PREFIX = "output-";

    private OutputDevice() {
    }

    static String deviceId(String outputId) {
        return PREFIX + outputId;
    }

    static DeviceMetrics define(OutputStatus status) {
        DeviceMetrics d = new DeviceMetrics(deviceId(status.outputId()))
                .define("State", MetricDataType.String, "")
                .define("Kind", MetricDataType.String, status.kind())
                .define("Target", MetricDataType.String, status.target())
                .define("Lines", MetricDataType.String, "")
                .define("Detail", MetricDataType.String, "")
                .define("Last Heartbeat", MetricDataType.DateTime, null);
        for (String counter : status.counters().keySet()) {
            d.define(counterMetric(counter), MetricDataType.Int64, 0L);
        }
        AlarmMetrics.define(d);
        update(d, status);
        return d.baseline();
    }

    /** True when the status has a counter the birth did not list. */
    static boolean needsRebirth(DeviceMetrics d, OutputStatus status) {
        for (String counter : status.counters().keySet()) {
            if (!d.defines(counterMetric(counter))) {
                return true;
            }
        }
        return false;
    }

    static void update(DeviceMetrics d, OutputStatus s) {
        d.set("State", s.state().name());
        d.set("Target", s.target());
        d.set("Lines", s.lines().isEmpty() ? "all" : String.join(",", s.lines()));
        d.set("Detail", s.detail());
        d.set("Last Heartbeat", s.lastHeartbeat().map(t -> new Date(t.toEpochMilli())).orElse(null));
        for (Map.Entry<String, Long> e : s.counters().entrySet()) {
            if (d.defines(counterMetric(e.getKey()))) {
                d.set(counterMetric(e.getKey()), e.getValue());
            }
        }
    }

    static void alarms(DeviceMetrics d, List<Alarm> listed) {
        AlarmMetrics.update(d, listed);
    }

    private static String counterMetric(String name) {
        return "Counters/" + name;
    }
}
