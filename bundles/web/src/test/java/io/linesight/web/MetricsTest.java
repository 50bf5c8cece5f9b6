package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    /** One parsed sample. */
    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Parses the exposition strictly: every line is HELP, TYPE or a sample of the family declared last. */
    private static List<Sample> parse(String text) {
        List<Sample> samples = new java.util.ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        String family = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
                assertTrue(helped.add(family), "one HELP per family: " + line);
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertEquals(family, p[2], "TYPE follows its HELP: " + line);
                assertTrue(Set.of("counter", "gauge", "histogram").contains(p[3]), line);
                types.put(p[2], p[3]);
            } else {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "not a sample line: '" + line + "'");
                String name = m.group(1);
                assertTrue(name.equals(family) || (types.get(family).equals("histogram")
                        && (name.equals(family + "_bucket") || name.equals(family + "_sum") || name.equals(family + "_count"))),
                        "sample " + name + " outside its family " + family);
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                double value = m.group(4).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(4));
                samples.add(new Sample(name, labels, value));
            }
        }
        assertTrue(text.endsWith("\n"), "the exposition ends with a newline");
        return samples;
    }

    private static double value(List<Sample> samples, String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + want)).value();
    }

    @Test
    void countersHistogramsAndGaugesFollowTheEventsInValidExpositionFormat() {
        Metrics m = new Metrics(new double[] {5, 10, 50});
        m.inspected(Fakes.event("default", 1, Verdict.PASS, 0.1f, 3), Fakes.status("default", LineState.RUNNING, 1, 0, 0));
        m.inspected(Fakes.event("default", 2, Verdict.REJECT, 0.9f, 7), Fakes.status("default", LineState.RUNNING, 1, 1, 2));
        m.inspected(Fakes.event("default", 3, Verdict.REJECT, 0.95f, 70), Fakes.status("default", LineState.RUNNING, 1, 2, 5));
        m.event(RuntimeEvent.of(EventKind.MODEL_ACTIVATED, "line/default", "model x active"));
        m.event(RuntimeEvent.of(EventKind.MODEL_ACTIVATED, "line/default", "model y active"));
        m.event(new io.linesight.api.event.MissedReject("default", 41, "plc-1", "PLC_DISCONNECTED").event("PLC down"));
        m.event(new io.linesight.api.event.MissedReject("default", 42, "plc-1", "PLC_DISCONNECTED").event("PLC down"));
        m.event(new io.linesight.api.event.MissedReject("default", 57, "plc-1", "LATE_VERDICT").event("120 ms late"));
        OutputStatus plc = new OutputStatus("default", "plc", "127.0.0.1:1502", List.of(), OutputState.DISCONNECTED,
                "PLC \"unreachable\"\nretrying", Optional.empty(), Map.of(), Instant.now());
        io.linesight.api.event.Alarm alarm = new io.linesight.api.event.Alarm(1, EventKind.PLC_LOST, "output/default",
                "PLC lost", Instant.now(), 1, null, null, null);
        io.linesight.api.event.Alarm missed = new io.linesight.api.event.Alarm(2, EventKind.REJECT_MISSED, "line/default",
                "reject missed", Instant.now(), 3, Instant.now(), null, null);

        List<Sample> s = parse(m.render(List.of(Fakes.status("default", LineState.FAULT, 1, 2, 5)), List.of(plc),
                List.of(alarm, missed)));

        assertEquals(3, value(s, "linesight_frames_inspected_total", "line", "default"));
        assertEquals(2, value(s, "linesight_verdicts_total", "line", "default", "verdict", "REJECT"));
        assertEquals(0, value(s, "linesight_verdicts_total", "line", "default", "verdict", "REVIEW"));
        assertEquals(5, value(s, "linesight_frames_dropped_total", "line", "default", "cause", "OVERRUN"));
        assertEquals(1, value(s, "linesight_inspection_latency_seconds_bucket", "line", "default", "le", "0.005"));
        assertEquals(2, value(s, "linesight_inspection_latency_seconds_bucket", "line", "default", "le", "0.01"));
        assertEquals(2, value(s, "linesight_inspection_latency_seconds_bucket", "line", "default", "le", "0.05"));
        assertEquals(3, value(s, "linesight_inspection_latency_seconds_bucket", "line", "default", "le", "+Inf"));
        assertEquals(3, value(s, "linesight_inspection_latency_seconds_count", "line", "default"));
        assertEquals(0.080, value(s, "linesight_inspection_latency_seconds_sum", "line", "default"), 1e-9);
        assertEquals(2, value(s, "linesight_model_swaps_total", "line", "default"));
        assertEquals(1, value(s, "linesight_line_state", "line", "default", "state", "FAULT"));
        assertEquals(0, value(s, "linesight_line_state", "line", "default", "state", "RUNNING"));
        assertEquals(1, value(s, "linesight_camera_streaming", "line", "default", "source", "conveyor"));
        assertEquals(0, value(s, "linesight_output_connected", "output", "default", "kind", "plc", "target", "127.0.0.1:1502"));
        assertEquals(1, value(s, "linesight_active_alarms"), "the missed reject is not active, only unacknowledged");
        assertEquals(2, value(s, "linesight_unacknowledged_alarms"));
        assertEquals(2, value(s, "linesight_plc_rejects_missed_total", "output", "plc-1", "line", "default", "reason",
                "PLC_DISCONNECTED"));
        assertEquals(1, value(s, "linesight_plc_rejects_missed_total", "output", "plc-1", "line", "default", "reason",
                "LATE_VERDICT"));
        assertEquals(1, value(s, "linesight_alarm_active", "kind", "PLC_LOST", "source", "output/default"));
        assertEquals(1, value(s, "linesight_model_info", "line", "default", "name", "defect-mobilenetv2", "version", "0.2.0",
                "sha256", "df216f22"));
    }

    @Test
    void dropsNeverDecreaseWhenAnOperatorResetsTheLine() {
        Metrics m = new Metrics(new double[] {10});
        m.status(Fakes.status("a", LineState.RUNNING, 0, 0, 7));
        m.status(Fakes.status("a", LineState.RUNNING, 0, 0, 0)); // reset
        m.status(Fakes.status("a", LineState.RUNNING, 0, 0, 2));
        List<Sample> s = parse(m.render(List.of(), List.of(), List.of()));
        assertEquals(9, value(s, "linesight_frames_dropped_total", "line", "a", "cause", "OVERRUN"));
    }

    @Test
    void driftFiguresAreGaugesPerLineAndMeasure() {
        Metrics m = new Metrics(new double[] {10});
        io.linesight.api.watch.DriftFigures drifting = new io.linesight.api.watch.DriftFigures("a", "m:1.0.0",
                io.linesight.api.watch.DriftFigures.State.DRIFTING, 500, 500, 0.31, 0.22, 0.05, 0.07, 0.02, 0.12, Instant.now());
        io.linesight.api.watch.DriftFigures learning = new io.linesight.api.watch.DriftFigures("b", "m:1.0.0",
                io.linesight.api.watch.DriftFigures.State.LEARNING, 120, 0, 0, 0, 0, 0, 0.03, 0, Instant.now());
        List<Sample> s = parse(m.render(List.of(), List.of(), List.of(), List.of(drifting, learning)));
        assertEquals(0.31, value(s, "linesight_model_drift_psi", "line", "a", "measure", "confidence"));
        assertEquals(0.05, value(s, "linesight_model_drift_psi", "line", "a", "measure", "verdicts"));
        assertEquals(0.07, value(s, "linesight_model_drift_psi", "line", "a", "measure", "classes"));
        assertEquals(0.22, value(s, "linesight_model_drift_ks", "line", "a"));
        assertEquals(1, value(s, "linesight_model_drifting", "line", "a"));
        assertEquals(0, value(s, "linesight_model_drifting", "line", "b"));
    }

    @Test
    void anOpenHealthWindowIsOneAndAClosedOneZero() {
        Metrics m = new Metrics(new double[] {10});
        List<Sample> s = parse(m.render(List.of(), List.of(), List.of(), List.of(),
                List.of(window("a", io.linesight.api.watch.HealthWindowStatus.State.OPEN),
                        window("b", io.linesight.api.watch.HealthWindowStatus.State.ROLLED_BACK))));
        assertEquals(1, value(s, "linesight_model_health_window_open", "line", "a"));
        assertEquals(0, value(s, "linesight_model_health_window_open", "line", "b"));
    }

    private static io.linesight.api.watch.HealthWindowStatus window(String line,
            io.linesight.api.watch.HealthWindowStatus.State state) {
        return new io.linesight.api.watch.HealthWindowStatus(line, "m:2.0.0", "m:1.0.0", state, 120, 1000, 0.1, 0.02, 500,
                0, 4.0, 3.5, "", Instant.now());
    }

    @Test
    void labelValuesAreEscaped() {
        PrometheusText t = new PrometheusText().family("x", "gauge", "help");
        t.sample("x", 1.5, "a", "q\"uote\\back\nline");
        assertEquals("# HELP x help\n# TYPE x gauge\nx{a=\"q\\\"uote\\\\back\\nline\"} 1.5\n", t.toString());
        parse(t.toString());
    }
}
