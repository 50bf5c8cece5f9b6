package io.linesight.sparkplug;

import io.linesight.api.inspection.LineState;
import io.linesight.sparkplug.journal.JournalFigures;
import java.util.Collection;
import java.util.Date;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * The edge node's own metrics (NBIRTH/NDATA): node control, how many lines run and how many are in FAULT, the
 * journal's figures (so a host sees a backlog and what was dropped), the publisher's counts, alarms that belong to no
 * line or output, and the result of the last node command.
 */
final class NodeDevice {

    static final String LAST_COMMAND_RESULT = "Last Command Result";

    private NodeDevice() {
    }

    static DeviceMetrics define(SparkplugSettings settings) {
        DeviceMetrics d = new DeviceMetrics("");
        CommandMetrics.defineForNode(d);
        d.define("Properties/Software", MetricDataType.String, software())
                .define("Properties/Group", MetricDataType.String, settings.groupId())
                .define("Lines/Count", MetricDataType.Int32, 0)
                .define("Lines/Running", MetricDataType.Int32, 0)
                .define("Lines/Fault", MetricDataType.Int32, 0)
                .define("Journal/Entries", MetricDataType.Int64, 0L)
                .define("Journal/Bytes", MetricDataType.Int64, 0L)
                .define("Journal/Oldest", MetricDataType.DateTime, null)
                .define("Journal/Dropped For Size", MetricDataType.Int64, 0L)
                .define("Journal/Dropped For Age", MetricDataType.Int64, 0L)
                .define("Publisher/Sent Live", MetricDataType.Int64, 0L)
                .define("Publisher/Journaled", MetricDataType.Int64, 0L)
                .define("Publisher/Replayed", MetricDataType.Int64, 0L)
                .define("Publisher/Replay Discarded", MetricDataType.Int64, 0L)
                .define("Publisher/Frames Dropped", MetricDataType.Int64, 0L)
                .define("Publisher/Journal Failures", MetricDataType.Int64, 0L);
        d.define(FleetMetrics.LAST_REFUSAL, MetricDataType.String, "");
        AlarmMetrics.define(d);
        d.define(LAST_COMMAND_RESULT, MetricDataType.String, "");
        return d.baseline();
    }

    static void update(DeviceMetrics d, Collection<DeviceMetrics> lines, JournalFigures journal,
                       Outbound.Figures out, long framesDropped) {
        int running = 0;
        int fault = 0;
        for (DeviceMetrics line : lines) {
            Object state = line.value(LineDevice.STATE);
            if (LineState.RUNNING.name().equals(state)) {
                running++;
            } else if (LineState.FAULT.name().equals(state)) {
                fault++;
            }
        }
        d.set("Lines/Count", lines.size());
        d.set("Lines/Running", running);
        d.set("Lines/Fault", fault);
        d.set("Journal/Entries", journal.entries());
        d.set("Journal/Bytes", journal.bytes());
        d.set("Journal/Oldest", journal.oldest().map(t -> new Date(t.toEpochMilli())).orElse(null));
        d.set("Journal/Dropped For Size", journal.droppedForSize());
        d.set("Journal/Dropped For Age", journal.droppedForAge());
        d.set("Publisher/Sent Live", out.sentLive());
        d.set("Publisher/Journaled", out.journaled());
        d.set("Publisher/Replayed", out.replayed());
        d.set("Publisher/Replay Discarded", out.replayDiscarded());
        d.set("Publisher/Frames Dropped", framesDropped);
        d.set("Publisher/Journal Failures", out.journalFailures());
    }

    private static String software() {
        Package p = NodeDevice.class.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return "LineSight" + (version == null ? "" : " " + version);
    }
}
