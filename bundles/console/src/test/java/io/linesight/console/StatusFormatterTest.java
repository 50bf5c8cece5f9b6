package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StatusFormatterTest {

    @Test
    void logLineOfARunningLine() {
        assertEquals("line default RUNNING fps=9.8 pass=120 reject=11 review=2 dropped=0 p50=23.1ms"
                        + " model=defect-mobilenetv2:0.1.0",
                StatusFormatter.logLine(Statuses.running("default")));
    }

    @Test
    void logLineOfAFaultedLineSaysWhy() {
        assertEquals("line line-2 FAULT fps=- pass=5 reject=0 review=0 dropped=1241 p50=- model=-"
                        + " detail=\"camera cam-2 lost: connection refused\"",
                StatusFormatter.logLine(Statuses.faulted("line-2")));
    }

    @Test
    void detailShowsEveryFieldOfTheSnapshot() {
        Map<String, String> fields = fields(StatusFormatter.detail(Statuses.running("default")));

        assertEquals("default", fields.get("line"));
        assertEquals("RUNNING", fields.get("state"));
        assertEquals("-", fields.get("state detail"));
        assertEquals("cam-1 (STREAMING)", fields.get("camera"));
        assertEquals("defect-mobilenetv2:0.1.0", fields.get("model"));
        assertEquals(Statuses.SHA, fields.get("model sha256"));
        assertEquals("CLASSIFY [good, defect]", fields.get("model task"));
        assertEquals("9.8", fields.get("fps"));
        assertEquals("23.1 ms", fields.get("latency p50"));
        assertEquals("31.0 ms", fields.get("latency p95"));
        assertEquals("PASS", fields.get("last verdict"));
        assertEquals("133", fields.get("inspected"));
        assertEquals("120", fields.get("pass"));
        assertEquals("11", fields.get("reject"));
        assertEquals("2", fields.get("review"));
        assertEquals("2026-11-22T08:30:00Z", fields.get("snapshot taken"));
    }

    @Test
    void detailCountsDroppedFramesPerCause() {
        String detail = StatusFormatter.detail(Statuses.faulted("line-2"));
        Map<String, String> fields = fields(detail);

        assertEquals("1241", fields.get("dropped"));
        assertEquals("1234", fields.get("OVERRUN"));
        assertEquals("7", fields.get("NO_MODEL"));
        assertEquals("0", fields.get("INFERENCE_ERROR"));
        assertEquals("0", fields.get("SHUTDOWN"));
        assertEquals("camera cam-2 lost: connection refused", fields.get("state detail"));
        assertEquals("-", fields.get("model"));
        assertEquals("-", fields.get("latency p50"));
        assertEquals("-", fields.get("last verdict"));
        assertFalse(detail.contains("model sha256"), "no digest without a model:\n" + detail);
    }

    @Test
    void valuesStartInOneColumn() {
        String detail = StatusFormatter.detail(Statuses.faulted("line-2"));
        // the longest label is "  INFERENCE_ERROR"; every value starts two spaces after it
        int column = "  INFERENCE_ERROR".length() + 2;
        for (String line : detail.lines().toList()) {
            assertEquals(' ', line.charAt(column - 1), line);
            assertNotEquals(' ', line.charAt(column), line);
        }
    }

    @Test
    void unknownLineListsTheKnownOnes() {
        assertEquals("No line 'lin1'. Known lines: default, line-2",
                StatusFormatter.unknownLine("lin1", List.of("default", "line-2")));
        assertTrue(StatusFormatter.unknownLine("x", List.of()).contains("No line is configured"));
    }

    /** "label   value" rows; indented sub-rows keyed by their label without the indent. */
    private static Map<String, String> fields(String detail) {
        return detail.lines()
                .map(line -> line.strip().split("\\s{2,}", 2))
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (a, b) -> a));
    }
}
