package io.linesight.sparkplug;

import org.eclipse.tahu.message.model.MetricDataType;

/**
 * The command metrics a host writes (Sparkplug hosts such as Ignition write to metrics they saw in a birth): listed
 * in every birth whether or not the command is allowed, so the host knows the names; an unallowed command is refused
 * when it arrives.
 */
final class CommandMetrics {

    static final String REBIRTH = "Node Control/Rebirth";
    static final String NEXT_SERVER = "Node Control/Next Server";

    private CommandMetrics() {
    }

    static void defineForLine(DeviceMetrics d) {
        d.define(Command.RESET_COUNTERS.metricName(), MetricDataType.Boolean, false)
                .define(Command.ACKNOWLEDGE_ALARM.metricName(), MetricDataType.Int64, 0L)
                .define(Command.ACTIVATE_MODEL.metricName(), MetricDataType.String, "")
                .define(Command.ROLL_BACK_MODEL.metricName(), MetricDataType.Boolean, false)
                .define(Command.SHADOW_MODEL.metricName(), MetricDataType.String, "")
                .define(Command.STOP_SHADOW.metricName(), MetricDataType.Boolean, false)
                .define(Command.PROMOTE_SHADOW.metricName(), MetricDataType.Boolean, false)
                .define(Command.SET_THRESHOLDS.metricName(), MetricDataType.String, "");
    }

    static void defineForNode(DeviceMetrics d) {
        d.define(REBIRTH, MetricDataType.Boolean, false)
                .define(NEXT_SERVER, MetricDataType.Boolean, false)
                .define(Command.ACKNOWLEDGE_ALARM.metricName(), MetricDataType.Int64, 0L);
    }
}
