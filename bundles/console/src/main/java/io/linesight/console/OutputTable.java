package io.linesight.console;

import io.linesight.api.output.OutputStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code inspect:outputs} prints: a table with one row per monitored output (the PLC links), and
 * the detail page of one output with all its counters. Plain aligned text like {@link LineTable}. Pure
 * functions: a heartbeat's age is measured against the snapshot's own time, not a clock.
 */
final class OutputTable {

    /** The factory PID of the PLC output, the one kind of monitored output today. */
    static final String PLC_FACTORY_PID = "io.linesight.plc.modbus";

    /** What {@code inspect:outputs} says when no output is monitored. */
    static final String NO_OUTPUT = "No output is monitored. A PLC output appears here once a configuration for"
            + " factory PID " + PLC_FACTORY_PID + " exists, for example config/" + PLC_FACTORY_PID + "-default.cfg.";

    private static final String GAP = "  ";

    private record Column(String header, Function<OutputStatus, String> cell) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("OUTPUT", OutputStatus::outputId),
            new Column("KIND", OutputStatus::kind),
            new Column("TARGET", OutputStatus::target),
            new Column("STATE", s -> StatusFormatter.name(s.state())),
            new Column("HEARTBEAT", OutputTable::heartbeat),
            new Column("LINES", OutputTable::lines),
            new Column("DETAIL", s -> text(s.detail())));

    private OutputTable() {
    }

    /** The table for these snapshots, in the order given; {@link #NO_OUTPUT} when there are none. */
    static String format(Collection<OutputStatus> statuses) {
        if (statuses.isEmpty()) {
            return NO_OUTPUT;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS.stream().map(Column::header).toArray(String[]::new));
        for (OutputStatus status : statuses) {
            rows.add(COLUMNS.stream().map(c -> c.cell().apply(status)).toArray(String[]::new));
        }
        return render(rows);
    }

    /** Every field of one output, counters last, labels aligned. */
    static String detail(OutputStatus status) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"output", status.outputId()});
        rows.add(new String[] {"kind", status.kind()});
        rows.add(new String[] {"target", status.target()});
        rows.add(new String[] {"lines", lines(status)});
        rows.add(new String[] {"state", StatusFormatter.name(status.state())});
        rows.add(new String[] {"detail", text(status.detail())});
        rows.add(new String[] {"last heartbeat", status.lastHeartbeat().map(t -> t + " (" + heartbeat(status) + ")")
                .orElse(StatusFormatter.NONE)});
        for (Map.Entry<String, Long> counter : status.counters().entrySet()) {
            rows.add(new String[] {"  " + counter.getKey(), Long.toString(counter.getValue())});
        }
        rows.add(new String[] {"snapshot taken", status.taken().toString()});
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s  %s\n", row[0], row[1]));
        }
        return text.toString().stripTrailing();
    }

    /** The answer for an id no monitored output has. */
    static String unknownOutput(String outputId, Collection<String> knownIds) {
        if (knownIds.isEmpty()) {
            return "No output '" + outputId + "'. " + NO_OUTPUT;
        }
        return "No output '" + outputId + "'. Known outputs: " + String.join(", ", knownIds);
    }

    /** How long before the snapshot the peer last acknowledged a heartbeat, for example {@code 0.4 s ago}. */
    static String heartbeat(OutputStatus status) {
        return status.lastHeartbeat().map(at -> {
            Duration age = Duration.between(at, status.taken());
            return String.format(Locale.ROOT, "%.1f s ago", Math.max(0, age.toMillis()) / 1000.0);
        }).orElse("never");
    }

    private static String lines(OutputStatus status) {
        return status.lines().isEmpty() ? "all" : String.join(",", status.lines());
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? StatusFormatter.NONE : value.strip();
    }

    private static String render(List<String[]> rows) {
        int[] widths = new int[COLUMNS.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : GAP).append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString().stripTrailing();
    }
}
