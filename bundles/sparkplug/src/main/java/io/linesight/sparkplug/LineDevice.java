package io.linesight.sparkplug;

import io.linesight.api.event.Alarm;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.watch.DriftFigures;
import java.util.List;
import java.util.Locale;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * A line as a Sparkplug device (device id = line id): its metric list and how a line's status, shadow trial, drift and
 * alarms fill it. The {@value InspectionTemplate#METRIC} template is sent per frame by the node, not here.
 */
final class LineDevice {

    static final String STATE = "State";
    static final String LAST_MISSED_REJECT = "Last Missed Reject";
    static final String MISSED_REJECTS = "Counters/Missed Rejects";
    static final String LAST_COMMAND_RESULT = "Last Command Result";

    private LineDevice() {
    }

    /** Every metric a line device will ever send, with the status it starts from. */
    static DeviceMetrics define(String lineId, LineStatus status) {
        DeviceMetrics d = new DeviceMetrics(lineId)
                .define(STATE, MetricDataType.String, "")
                .define("State Detail", MetricDataType.String, "")
                .define("Camera/Source", MetricDataType.String, "")
                .define("Camera/State", MetricDataType.String, "")
                .define("Camera/Connected", MetricDataType.Boolean, false)
                .define("Model/Name", MetricDataType.String, "")
                .define("Model/Version", MetricDataType.String, "")
                .define("Model/Digest", MetricDataType.String, "")
                .define("Counters/Inspected", MetricDataType.Int64, 0L)
                .define("Counters/Pass", MetricDataType.Int64, 0L)
                .define("Counters/Reject", MetricDataType.Int64, 0L)
                .define("Counters/Review", MetricDataType.Int64, 0L)
                .define("Counters/Dropped", MetricDataType.Int64, 0L);
        for (DropCause cause : DropCause.values()) {
            d.define(dropped(cause), MetricDataType.Int64, 0L);
        }
        d.define(MISSED_REJECTS, MetricDataType.Int64, 0L)
                .define(LAST_MISSED_REJECT, MetricDataType.String, "")
                .define("Rates/Frames Per Second", MetricDataType.Double, 0.0)
                .define("Rates/Reject Rate", MetricDataType.Double, 0.0)
                .define("Latency/P50 Ms", MetricDataType.Double, 0.0)
                .define("Latency/P95 Ms", MetricDataType.Double, 0.0)
                .define(InspectionTemplate.METRIC, MetricDataType.Template, InspectionTemplate.empty())
                .define("Shadow/State", MetricDataType.String, "NONE")
                .define("Shadow/Candidate", MetricDataType.String, "")
                .define("Shadow/Frames Judged", MetricDataType.Int64, 0L)
                .define("Shadow/Verdict Agreement", MetricDataType.Double, 0.0)
                .define("Shadow/Top1 Agreement", MetricDataType.Double, 0.0)
                .define("Drift/State", MetricDataType.String, "NONE")
                .define("Drift/Confidence PSI", MetricDataType.Double, 0.0)
                .define("Drift/Verdict PSI", MetricDataType.Double, 0.0)
                .define("Drift/Window Reject Rate", MetricDataType.Double, 0.0);
        FleetMetrics.defineForLine(d);
        AlarmMetrics.define(d);
        d.define(LAST_COMMAND_RESULT, MetricDataType.String, "");
        CommandMetrics.defineForLine(d);
        update(d, status);
        return d.baseline();
    }

    /** What makes a line's state: a change here is sent at once. */
    static String stateKey(DeviceMetrics d) {
        return d.value(STATE) + "|" + d.value("State Detail") + "|" + d.value("Camera/State");
    }

    /** Fills the metrics a status carries. */
    static void update(DeviceMetrics d, LineStatus s) {
        d.set(STATE, s.state().name());
        d.set("State Detail", s.stateDetail() == null ? "" : s.stateDetail());
        d.set("Camera/Source", s.sourceId() == null ? "" : s.sourceId());
        d.set("Camera/State", s.sourceState() == null ? "" : s.sourceState().name());
        d.set("Camera/Connected", s.sourceState() == io.linesight.api.frame.SourceState.STREAMING);
        ModelInfo m = s.model().orElse(null);
        d.set("Model/Name", m == null ? "" : m.name());
        d.set("Model/Version", m == null ? "" : m.version());
        d.set("Model/Digest", m == null ? "" : m.sha256());
        LineCounters c = s.counters();
        d.set("Counters/Inspected", c.inspected());
        d.set("Counters/Pass", c.pass());
        d.set("Counters/Reject", c.reject());
        d.set("Counters/Review", c.review());
        d.set("Counters/Dropped", c.droppedTotal());
        for (DropCause cause : DropCause.values()) {
            d.set(dropped(cause), c.dropped().get(cause));
        }
        d.set("Rates/Frames Per Second", round(s.framesPerSecond()));
        d.set("Rates/Reject Rate", c.inspected() == 0 ? 0.0 : round((double) c.reject() / c.inspected()));
        d.set("Latency/P50 Ms", round(s.latencyP50Ms()));
        d.set("Latency/P95 Ms", round(s.latencyP95Ms()));
    }

    static void shadow(DeviceMetrics d, ShadowFigures f) {
        d.set("Shadow/State", f.state().name());
        d.set("Shadow/Candidate", f.candidate().name() + "@" + f.candidate().version());
        d.set("Shadow/Frames Judged", f.framesJudged());
        d.set("Shadow/Verdict Agreement", round(f.verdictAgreement()));
        d.set("Shadow/Top1 Agreement", round(f.top1Agreement()));
    }

    static void drift(DeviceMetrics d, DriftFigures f) {
        d.set("Drift/State", f.state().name());
        d.set("Drift/Confidence PSI", round(f.confidencePsi()));
        d.set("Drift/Verdict PSI", round(f.verdictPsi()));
        d.set("Drift/Window Reject Rate", round(f.windowRejectRate()));
    }

    static void alarms(DeviceMetrics d, List<Alarm> alarmsOfThisLine) {
        AlarmMetrics.update(d, alarmsOfThisLine);
    }

    private static String dropped(DropCause cause) {
        return "Counters/Dropped/" + cause.name().charAt(0) + cause.name().substring(1).toLowerCase(Locale.ROOT);
    }

    /**
     * Rounded to 4 significant decimals: a rate that moves in its 10th decimal is not a change worth a message (report
     * by exception compares the rounded values).
     */
    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return 0.0;
        }
        return Math.round(v * 10_000.0) / 10_000.0;
    }
}
