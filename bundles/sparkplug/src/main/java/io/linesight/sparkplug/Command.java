package io.linesight.sparkplug;

import java.util.EnumSet;
import java.util.Set;

/**
 * The commands a host may send (DCMD to a line, NCMD to the node), each off until the configuration allows it. The
 * metric a host writes is {@code Commands/<metric name>}.
 */
enum Command {
    RESET_COUNTERS("resetCounters", "Reset Counters"),
    ACKNOWLEDGE_ALARM("acknowledgeAlarm", "Acknowledge Alarm"),
    ACTIVATE_MODEL("activateModel", "Activate Model"),
    ROLL_BACK_MODEL("rollBackModel", "Roll Back Model"),
    SHADOW_MODEL("shadowModel", "Shadow Model"),
    STOP_SHADOW("stopShadow", "Stop Shadow"),
    PROMOTE_SHADOW("promoteShadow", "Promote Shadow"),
    SET_THRESHOLDS("setThresholds", "Set Thresholds");

    private final String configName;
    private final String metricName;

    Command(String configName, String metricName) {
        this.configName = configName;
        this.metricName = metricName;
    }

    String configName() {
        return configName;
    }

    /** The metric under {@code Commands/} that carries it. */
    String metricName() {
        return "Commands/" + metricName;
    }

    static Set<Command> parse(String[] allowed) {
        EnumSet<Command> out = EnumSet.noneOf(Command.class);
        for (String entry : allowed == null ? new String[0] : allowed) {
            for (String part : entry.split(",")) {
                String name = part.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (name.equalsIgnoreCase("all")) {
                    out.addAll(EnumSet.allOf(Command.class));
                    continue;
                }
                out.add(byConfigName(name));
            }
        }
        return out;
    }

    private static Command byConfigName(String name) {
        for (Command c : values()) {
            if (c.configName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Command c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.configName);
        }
        throw SparkplugSettings.invalid("commands.allowed", name,
                "is not a command; known: " + known + ", all");
    }
}
