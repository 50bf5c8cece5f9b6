package io.linesight.web;

import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything {@code /metrics} reports. Counters are fed from the inspections and runtime events this
 * bundle receives (cheap, lock-free on the line's thread); gauges are read from the live statuses at
 * scrape time. Counters count since this bundle started; Prometheus' {@code rate()} handles restarts.
 */
final class Metrics {

    private final double[] bucketsMs;
    private final Map<String, LineMetrics> lines = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> modelSwaps = new ConcurrentHashMap<>();
    private final Map<EventKind, LongAdder> events = new EnumMap<>(EventKind.class);
    /** Missed rejects by output, line and reason, from the REJECT_MISSED events (sorted for stable output). */
    private final Map<List<String>, LongAdder> missedRejects = new ConcurrentHashMap<>();

    Metrics(double[] bucketsMs) {
        this.bucketsMs = bucketsMs.clone();
        for (EventKind k : EventKind.values()) {
            events.put(k, new LongAdder());
        }
    }

    void inspected(InspectionEvent event, LineStatus status) {
        LineMetrics m = line(event.lineId());
        m.record(event);
        m.follow(status.counters());
    }

    void status(LineStatus status) {
        line(status.lineId()).follow(status.counters());
    }

    void event(RuntimeEvent event) {
        events.get(event.kind()).increment();
        if (event.kind() == EventKind.MODEL_ACTIVATED && event.source().startsWith("line/")) {
            modelSwaps.computeIfAbsent(event.source().substring(5), k -> new LongAdder()).increment();
        }
        io.linesight.api.event.MissedReject.of(event).ifPresent(m -> missedRejects
                .computeIfAbsent(List.of(m.outputId(), m.lineId(), m.reason()), k -> new LongAdder()).increment());
    }

    private LineMetrics line(String lineId) {
        return lines.computeIfAbsent(lineId, k -> new LineMetrics(bucketsMs));
    }

    /** The exposition for one scrape. */
    String render(List<LineStatus> statuses, List<OutputStatus> outputs, List<io.linesight.api.event.Alarm> alarms) {
        return render(statuses, outputs, alarms, List.of());
    }

    /** As above, with the drift watch's figures (empty when the watch is not running). */
    String render(List<LineStatus> statuses, List<OutputStatus> outputs, List<io.linesight.api.event.Alarm> alarms,
            List<io.linesight.api.watch.DriftFigures> drift) {
        return render(statuses, outputs, alarms, drift, List.of());
    }

    /** As above, with the health windows (empty when the model watch is not running). */
    String render(List<LineStatus> statuses, List<OutputStatus> outputs, List<io.linesight.api.event.Alarm> alarms,
            List<io.linesight.api.watch.DriftFigures> drift, List<io.linesight.api.watch.HealthWindowStatus> windows) {
        PrometheusText t = new PrometheusText();
        Map<String, LineMetrics> sorted = new TreeMap<>(lines);
        statuses.forEach(s -> sorted.computeIfAbsent(s.lineId(), this::line));
        counters(t, sorted);
        histograms(t, sorted);
        swapsAndEvents(t, sorted);
        lineGauges(t, statuses);
        outputGauges(t, outputs);
        alarmGauges(t, alarms);
        missedRejects(t);
        driftGauges(t, drift);
        healthWindowGauges(t, windows);
        return t.toString();
    }

    /** The drift watch's latest figures per line; a line still learning its reference shows 0 and drifting 0. */
    private static void driftGauges(PrometheusText t, List<io.linesight.api.watch.DriftFigures> drift) {
        t.family("linesight_model_drift_psi", "gauge", "Population stability index of the active model's outputs, latest"
                + " window against the frames after its activation, by measure (confidence, verdicts, classes)");
        drift.forEach(f -> {
            t.sample("linesight_model_drift_psi", f.confidencePsi(), "line", f.lineId(), "measure", "confidence");
            t.sample("linesight_model_drift_psi", f.verdictPsi(), "line", f.lineId(), "measure", "verdicts");
            t.sample("linesight_model_drift_psi", f.classPsi(), "line", f.lineId(), "measure", "classes");
        });
        t.family("linesight_model_drift_ks", "gauge", "Two-sample Kolmogorov-Smirnov statistic of the active model's"
                + " top-1 confidence, latest window against the frames after its activation");
        drift.forEach(f -> t.sample("linesight_model_drift_ks", f.confidenceKs(), "line", f.lineId()));
        t.family("linesight_model_drifting", "gauge", "1 while the line's model drifts beyond the watch's thresholds");
        drift.forEach(f -> t.sample("linesight_model_drifting",
                f.state() == io.linesight.api.watch.DriftFigures.State.DRIFTING ? 1 : 0, "line", f.lineId()));
    }

    /** 1 while a line's health window is open (its new model can still be rolled back on its own), else 0. */
    private static void healthWindowGauges(PrometheusText t, List<io.linesight.api.watch.HealthWindowStatus> windows) {
        t.family("linesight_model_health_window_open", "gauge", "1 while the health window after the line's last model"
                + " switch is open: a broken rule rolls the line back");
        windows.forEach(w -> t.sample("linesight_model_health_window_open", w.open() ? 1 : 0, "line", w.lineId()));
    }

    private void missedRejects(PrometheusText t) {
        t.family("linesight_plc_rejects_missed_total", "counter", "Rejects a PLC output could not pulse (a bad part may"
                + " have passed), by output, line and reason");
        missedRejects.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Object::toString)))
                .forEach(e -> t.sample("linesight_plc_rejects_missed_total", e.getValue().sum(), "output", e.getKey().get(0),
                        "line", e.getKey().get(1), "reason", e.getKey().get(2)));
    }

    private static void counters(PrometheusText t, Map<String, LineMetrics> lines) {
        t.family("linesight_frames_inspected_total", "counter", "Frames that received a verdict");
        lines.forEach((id, m) -> t.sample("linesight_frames_inspected_total", m.inspected(), "line", id));
        t.family("linesight_verdicts_total", "counter", "Verdicts by kind");
        lines.forEach((id, m) -> {
            for (Verdict v : Verdict.values()) {
                t.sample("linesight_verdicts_total", m.verdicts(v), "line", id, "verdict", v.name());
            }
        });
        t.family("linesight_frames_dropped_total", "counter", "Frames not inspected, by cause (never decreases on a counter reset)");
        lines.forEach((id, m) -> {
            for (DropCause c : DropCause.values()) {
                t.sample("linesight_frames_dropped_total", m.drops(c), "line", id, "cause", c.name());
            }
        });
    }

    private static void histograms(PrometheusText t, Map<String, LineMetrics> lines) {
        t.family("linesight_inspection_latency_seconds", "histogram", "Capture to verdict, per inspected frame");
        lines.forEach((id, m) -> t.histogram("linesight_inspection_latency_seconds", m.totalLatency(), "line", id));
        t.family("linesight_inference_latency_seconds", "histogram", "Time inside the inference engine, per inspected frame");
        lines.forEach((id, m) -> t.histogram("linesight_inference_latency_seconds", m.inferenceLatency(), "line", id));
    }

    private void swapsAndEvents(PrometheusText t, Map<String, LineMetrics> lines) {
        t.family("linesight_model_swaps_total", "counter", "Models activated on a line (MODEL_ACTIVATED events)");
        Map<String, Long> swaps = new TreeMap<>();
        lines.keySet().forEach(id -> swaps.put(id, 0L));
        modelSwaps.forEach((id, n) -> swaps.put(id, n.sum()));
        swaps.forEach((id, n) -> t.sample("linesight_model_swaps_total", n, "line", id));
        t.family("linesight_runtime_events_total", "counter", "Runtime events published on the event board, by kind");
        events.forEach((kind, n) -> t.sample("linesight_runtime_events_total", n.sum(), "kind", kind.name()));
    }

    private static void lineGauges(PrometheusText t, List<LineStatus> statuses) {
        t.family("linesight_line_state", "gauge", "1 for the state each line is in, 0 for the others");
        statuses.forEach(s -> {
            for (LineState state : LineState.values()) {
                t.sample("linesight_line_state", s.state() == state ? 1 : 0, "line", s.lineId(), "state", state.name());
            }
        });
        t.family("linesight_line_frames_per_second", "gauge", "Inspected frames per second over the last few seconds");
        statuses.forEach(s -> t.sample("linesight_line_frames_per_second", Json.round(s.framesPerSecond(), 3), "line", s.lineId()));
        t.family("linesight_camera_streaming", "gauge", "1 while the line's camera delivers frames");
        statuses.forEach(s -> t.sample("linesight_camera_streaming", s.sourceState() == SourceState.STREAMING ? 1 : 0,
                "line", s.lineId(), "source", s.sourceId()));
        t.family("linesight_model_info", "gauge", "The model active on each line (value 1)");
        statuses.forEach(s -> s.model().ifPresent(m -> t.sample("linesight_model_info", 1, "line", s.lineId(),
                "name", m.name(), "version", m.version(), "sha256", m.sha256())));
    }

    private static void outputGauges(PrometheusText t, List<OutputStatus> outputs) {
        t.family("linesight_output_connected", "gauge", "1 while an output (PLC) is connected to its peer");
        outputs.forEach(o -> t.sample("linesight_output_connected", o.state() == OutputState.CONNECTED ? 1 : 0,
                "output", o.outputId(), "kind", o.kind(), "target", o.target()));
    }

    private static void alarmGauges(PrometheusText t, List<io.linesight.api.event.Alarm> alarms) {
        t.family("linesight_active_alarms", "gauge", "Conditions active now (camera lost, no camera, no frames, no model,"
                + " PLC lost, inference error)");
        t.sample("linesight_active_alarms", alarms.stream().filter(io.linesight.api.event.Alarm::active).count());
        t.family("linesight_unacknowledged_alarms", "gauge", "Alarms no operator has acknowledged yet (missed rejects"
                + " stay here until acknowledged)");
        t.sample("linesight_unacknowledged_alarms", alarms.stream().filter(a -> !a.acknowledged()).count());
        t.family("linesight_alarm_active", "gauge", "1 for each active condition");
        alarms.stream().filter(io.linesight.api.event.Alarm::active)
                .forEach(a -> t.sample("linesight_alarm_active", 1, "kind", a.kind().name(), "source", a.source()));
    }
}
