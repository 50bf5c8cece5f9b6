package io.linesight.sparkplug;

import java.util.Locale;
import org.eclipse.tahu.message.model.MetricDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metric of an NCMD or DCMD, carried out or refused: Node Control first (always answered), then the allow-list,
 * the value's type, and the {@link CommandHandler}. The outcome is the device's {@code Last Command Result}
 * ({@code OK: ...} or {@code REFUSED: ...}), which goes out with the next data; a refusal is logged with who and why.
 */
final class CommandCall {

    private static final Logger LOG = LoggerFactory.getLogger(CommandCall.class);

    private CommandCall() {
    }

    static void run(EdgeNode node, DeviceMetrics target, String deviceId, String metric, Object value, String who) {
        if (target.isNode() && metric.equals(CommandMetrics.REBIRTH)) {
            if (Boolean.TRUE.equals(value)) {
                node.rebirth();
            }
            return;
        }
        if (target.isNode() && metric.equals(CommandMetrics.NEXT_SERVER)) {
            if (Boolean.TRUE.equals(value)) {
                node.nextServer();
            }
            return;
        }
        String where = target.isNode() ? "the node" : "line " + deviceId;
        String resultMetric = target.isNode() ? NodeDevice.LAST_COMMAND_RESULT : LineDevice.LAST_COMMAND_RESULT;
        Command command = byMetric(metric);
        String refusal = refusal(node, target, command, metric, value);
        if (refusal != null) {
            LOG.warn("Sparkplug command {} = {} to {} from {} refused: {}", metric, value, where, who, refusal);
            target.set(resultMetric, "REFUSED: " + metric + ": " + refusal);
            return;
        }
        try {
            String done = node.commands().apply(target.isNode() ? null : deviceId, command, value, who);
            LOG.info("Sparkplug command {} = {} to {} from {}: {}", metric, value, where, who, done);
            target.set(resultMetric, "OK: " + metric + ": " + done);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warn("Sparkplug command {} = {} to {} from {} refused: {}", metric, value, where, who, e.getMessage());
            target.set(resultMetric, "REFUSED: " + metric + ": " + e.getMessage());
        }
    }

    private static String refusal(EdgeNode node, DeviceMetrics target, Command command, String metric,
                                  Object value) {
        if (command == null || !target.defines(metric)) {
            return "not a command of " + (target.isNode() ? "the node" : "a line");
        }
        if (!node.settings().commandsAllowed().contains(command)) {
            return "commands.allowed does not list " + command.configName() + " (commands are off unless"
                    + " listed in " + SparkplugConfig.PID + ".cfg)";
        }
        MetricDataType type = target.typeOf(metric);
        Class<?> expected = type == MetricDataType.Boolean ? Boolean.class
                : type == MetricDataType.Int64 ? Long.class : String.class;
        if (value == null || !expected.isInstance(value)) {
            return "value " + value + " is not a " + target.typeOf(metric).toString().toLowerCase(Locale.ROOT);
        }
        if (Boolean.FALSE.equals(value)) {
            return "write true to carry it out";
        }
        return null;
    }

    private static Command byMetric(String metric) {
        for (Command c : Command.values()) {
            if (c.metricName().equals(metric)) {
                return c;
            }
        }
        return null;
    }
}
