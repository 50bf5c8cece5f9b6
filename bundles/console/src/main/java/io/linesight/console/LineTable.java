package io.linesight.console;

import static io.linesight.console.StatusFormatter.count;
import static io.linesight.console.StatusFormatter.decimal;

import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The table {@code inspect:lines} prints: one row per line, columns aligned with spaces, numbers
 * right-aligned, plain text (no colours, so it survives {@code nc}, logs and copy-paste). Pure function.
 */
final class LineTable {

    /** The factory PID a line's configuration is created under. */
    static final String LINE_FACTORY_PID = "io.linesight.line";

    /** What {@code inspect:lines} says when no line service is bound. */
    static final String NO_LINE = "No line is configured. Add a configuration for factory PID "
            + LINE_FACTORY_PID + " to the config/ folder, for example config/" + LINE_FACTORY_PID
            + "-default.cfg.";

    private static final String GAP = "  ";

    private record Column(String header, boolean rightAligned, Function<LineStatus, String> cell) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("LINE", false, s -> s.lineId() == null ? StatusFormatter.NONE : s.lineId()),
            new Column("STATE", false, s -> StatusFormatter.name(s.state())),
            new Column("CAMERA", false, StatusFormatter::camera),
            new Column("MODEL", false, StatusFormatter::model),
            new Column("FPS", true, s -> decimal(s.framesPerSecond())),
            new Column("PASS", true, s -> count(s.counters(), LineCounters::pass)),
            new Column("REJECT", true, s -> count(s.counters(), LineCounters::reject)),
            new Column("REVIEW", true, s -> count(s.counters(), LineCounters::review)),
            new Column("DROPPED", true, s -> count(s.counters(), LineCounters::droppedTotal)),
            new Column("P50 MS", true, s -> decimal(s.latencyP50Ms())));

    private LineTable() {
    }

    /** The table for these snapshots, in the order given; {@link #NO_LINE} when there are none. */
    static String format(Collection<LineStatus> statuses) {
        if (statuses.isEmpty()) {
            return NO_LINE;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS.stream().map(Column::header).toArray(String[]::new));
        for (LineStatus status : statuses) {
            rows.add(COLUMNS.stream().map(c -> c.cell().apply(status)).toArray(String[]::new));
        }
        return render(rows, widths(rows));
    }

    private static int[] widths(List<String[]> rows) {
        int[] widths = new int[COLUMNS.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        return widths;
    }

    private static String render(List<String[]> rows, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : GAP).append(pad(row[i], widths[i], COLUMNS.get(i).rightAligned()));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static String pad(String cell, int width, boolean right) {
        String fill = " ".repeat(width - cell.length());
        return right ? fill + cell : cell + fill;
    }
}
