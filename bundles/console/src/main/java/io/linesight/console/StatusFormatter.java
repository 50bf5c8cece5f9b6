package io.linesight.console;

import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.model.ModelInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Turns {@link LineStatus} snapshots into text for people: the detail page of {@code inspect:status},
 * the one-line status log, and the cell values {@link LineTable} shares. Pure functions, no state.
 *
 * <p>A line implementation may leave optional parts out (no detail, no camera id yet); they print as
 * {@value #NONE} rather than failing the whole command.
 */
final class StatusFormatter {

    /** What an absent value prints as. */
    static final String NONE = "-";

    private StatusFormatter() {
    }

    /** The multi-line detail page of one line: every field of the snapshot, labels aligned. */
    static String detail(LineStatus status) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("line", text(status.lineId())));
        rows.add(row("state", name(status.state())));
        rows.add(row("state detail", text(status.stateDetail())));
        rows.add(row("camera", camera(status)));
        addModel(rows, status);
        rows.add(row("fps", decimal(status.framesPerSecond())));
        rows.add(row("latency p50", millis(status.latencyP50Ms())));
        rows.add(row("latency p95", millis(status.latencyP95Ms())));
        rows.add(row("last verdict", status.lastVerdict() == null ? NONE
                : status.lastVerdict().map(Enum::name).orElse(NONE)));
        addCounters(rows, status.counters());
        rows.add(row("snapshot taken", status.taken() == null ? NONE : status.taken().toString()));
        return aligned(rows);
    }

    /**
     * One line for the status log, for example
     * {@code line default RUNNING fps=9.8 pass=120 reject=11 review=2 dropped=0 p50=23.1ms model=m:1.0}.
     * The state detail is appended when there is one (a FAULT line says why).
     */
    static String logLine(LineStatus status) {
        LineCounters counters = status.counters();
        StringBuilder line = new StringBuilder(128)
                .append("line ").append(text(status.lineId()))
                .append(' ').append(name(status.state()))
                .append(" fps=").append(decimal(status.framesPerSecond()))
                .append(" pass=").append(count(counters, LineCounters::pass))
                .append(" reject=").append(count(counters, LineCounters::reject))
                .append(" review=").append(count(counters, LineCounters::review))
                .append(" dropped=").append(count(counters, LineCounters::droppedTotal))
                .append(" p50=").append(unit(status.latencyP50Ms(), "ms"))
                .append(" model=").append(model(status));
        String detail = status.stateDetail();
        if (detail != null && !detail.isBlank()) {
            line.append(" detail=\"").append(detail.strip()).append('"');
        }
        return line.toString();
    }

    /** The answer to {@code inspect:status} for an id no bound line has. */
    static String unknownLine(String lineId, Collection<String> knownIds) {
        if (knownIds.isEmpty()) {
            return "No line '" + lineId + "'. " + LineTable.NO_LINE;
        }
        return "No line '" + lineId + "'. Known lines: " + String.join(", ", knownIds);
    }

    /** Camera id and state, for example {@code cam-1 (STREAMING)}. */
    static String camera(LineStatus status) {
        return text(status.sourceId()) + " (" + name(status.sourceState()) + ")";
    }

    /** {@code name:version} of the active model, or {@value #NONE}. */
    static String model(LineStatus status) {
        return status.model() == null ? NONE : status.model().map(ModelInfo::displayName).orElse(NONE);
    }

    /** One decimal, dot as separator whatever the JVM's locale; {@value #NONE} for NaN or infinity. */
    static String decimal(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : NONE;
    }

    /** One counter, or {@value #NONE} when the line gave no counters. */
    static String count(LineCounters counters, ToLongFunction<LineCounters> counter) {
        return counters == null ? NONE : Long.toString(counter.applyAsLong(counters));
    }

    static String name(Enum<?> value) {
        return value == null ? NONE : value.name();
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? NONE : value.strip();
    }

    private static String millis(double value) {
        return unit(value, " ms");
    }

    private static String unit(double value, String unit) {
        return Double.isFinite(value) ? decimal(value) + unit : NONE;
    }

    private static void addModel(List<String[]> rows, LineStatus status) {
        ModelInfo info = status.model() == null ? null : status.model().orElse(null);
        rows.add(row("model", model(status)));
        if (info != null) {
            rows.add(row("model sha256", info.sha256()));
            rows.add(row("model task", info.task() + " " + info.labels()));
        }
    }

    private static void addCounters(List<String[]> rows, LineCounters counters) {
        rows.add(row("inspected", count(counters, LineCounters::inspected)));
        rows.add(row("  pass", count(counters, LineCounters::pass)));
        rows.add(row("  reject", count(counters, LineCounters::reject)));
        rows.add(row("  review", count(counters, LineCounters::review)));
        rows.add(row("dropped", count(counters, LineCounters::droppedTotal)));
        if (counters != null) {
            for (Map.Entry<DropCause, Long> cause : counters.dropped().entrySet()) {
                rows.add(row("  " + cause.getKey().name(), Long.toString(cause.getValue())));
            }
        }
    }

    private static String[] row(String label, String value) {
        return new String[] {label, value};
    }

    private static String aligned(List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] r : rows) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s  %s\n", r[0], r[1]));
        }
        return text.toString().stripTrailing();
    }
}
