package io.linesight.console;

import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gogo commands {@code inspect:lines} and {@code inspect:status <lineId>}: what every inspection line
 * is doing, for the engineer at the console.
 *
 * <p>Commands return strings (Gogo prints them) and never throw for an operator's mistake: an unknown
 * line id or a line whose status fails becomes a message, not a stack trace.
 */
@Component(service = Object.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=inspect",
    CommandProcessor.COMMAND_FUNCTION + "=lines",
    CommandProcessor.COMMAND_FUNCTION + "=status"})
public final class InspectCommands {

    private static final Logger LOG = LoggerFactory.getLogger(InspectCommands.class);

    private final LineRegistry lines = new LineRegistry();

    /** Lines come and go with their configurations and bundles; the commands follow them. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindLine(InspectionLine line, Map<String, Object> properties) {
        lines.add(line, properties);
    }

    void unbindLine(InspectionLine line) {
        lines.remove(line);
    }

    static final String LINES_USAGE = "inspect:lines, without arguments";
    static final String STATUS_USAGE = "inspect:status <line>, e.g. inspect:status default";

    /** The table of all lines. */
    @Descriptor("list inspection lines: state, camera, model, fps, counters, latency. Usage: " + LINES_USAGE)
    public String lines() {
        List<LineStatus> statuses = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, InspectionLine> line : lines.snapshot().entrySet()) {
            statusOf(line.getKey(), line.getValue()).ifPresentOrElse(statuses::add,
                    () -> failures.add("line " + line.getKey() + ": status unavailable (see the log)"));
        }
        if (statuses.isEmpty() && failures.isEmpty()) {
            return LineTable.NO_LINE;
        }
        String table = statuses.isEmpty() ? "" : LineTable.format(statuses) + "\n";
        return (table + String.join("\n", failures)).stripTrailing();
    }

    /** The detail page of one line. */
    @Descriptor("show the detailed status of one inspection line. Usage: " + STATUS_USAGE)
    public String status(@Descriptor("line id, as listed by inspect:lines") String lineId) {
        SortedMap<String, InspectionLine> snapshot = lines.snapshot();
        InspectionLine line = snapshot.get(lineId);
        if (line == null) {
            return StatusFormatter.unknownLine(lineId, snapshot.keySet());
        }
        return statusOf(lineId, line).map(StatusFormatter::detail)
                .orElse("line " + lineId + ": status unavailable (see the log)");
    }

    /** Missing or extra arguments: the usage, with the lines there are (see {@link Usage}). */
    public String _main(Object... nameAndArguments) {
        return Usage.wrongArguments(nameAndArguments,
                Map.of("lines", LINES_USAGE, "status", STATUS_USAGE + "; lines: " + knownIds()));
    }

    private String knownIds() {
        SortedMap<String, InspectionLine> snapshot = lines.snapshot();
        return snapshot.isEmpty() ? "none" : String.join(", ", snapshot.keySet());
    }

    private static Optional<LineStatus> statusOf(String id, InspectionLine line) {
        try {
            return Optional.ofNullable(line.status());
        } catch (RuntimeException e) {
            // one broken line must not hide the others from the operator
            LOG.warn("Status of line {} failed", id, e);
            return Optional.empty();
        }
    }
}
