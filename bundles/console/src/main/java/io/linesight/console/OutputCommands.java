package io.linesight.console;

import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gogo command {@code inspect:outputs [outputId]}: the outputs that talk to other machines (the PLC
 * links), whether they are connected, when the peer last acknowledged a heartbeat, and the alarms that
 * stand (PLC unreachable, rejects missed, writes refused); with an id, every counter of that output.
 *
 * <p>Outputs are the {@link MonitoredOutput} services, tracked dynamically. Their statuses are asked when
 * the command runs (a snapshot, no I/O). An output whose status fails is reported on its own line.
 */
@Component(service = Object.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=inspect",
    CommandProcessor.COMMAND_FUNCTION + "=outputs"})
public final class OutputCommands {

    private static final Logger LOG = LoggerFactory.getLogger(OutputCommands.class);

    private final Set<MonitoredOutput> outputs = new CopyOnWriteArraySet<>();

    /** Outputs come and go with their configurations and bundles; the command follows them. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindOutput(MonitoredOutput output) {
        outputs.add(output);
    }

    void unbindOutput(MonitoredOutput output) {
        outputs.remove(output);
    }

    static final String OUTPUTS_USAGE = "inspect:outputs [output], e.g. inspect:outputs default";

    /** The table of all monitored outputs, sorted by id. */
    @Descriptor("list outputs (PLC links): target, connection state, heartbeat, alarms. Usage: " + OUTPUTS_USAGE)
    public String outputs() {
        List<OutputStatus> statuses = new ArrayList<>();
        int failures = 0;
        for (MonitoredOutput output : outputs) {
            Optional<OutputStatus> status = statusOf(output);
            status.ifPresent(statuses::add);
            failures += status.isPresent() ? 0 : 1;
        }
        if (statuses.isEmpty() && failures == 0) {
            return OutputTable.NO_OUTPUT;
        }
        statuses.sort(Comparator.comparing(OutputStatus::outputId));
        String table = statuses.isEmpty() ? "" : OutputTable.format(statuses) + "\n";
        String failed = failures == 0 ? "" : failures + " output(s): status unavailable (see the log)";
        return (table + failed).stripTrailing();
    }

    /** The detail page of one output, with every counter. */
    @Descriptor("show one output with all its counters. Usage: " + OUTPUTS_USAGE)
    public String outputs(@Descriptor("output id, as listed by inspect:outputs") String outputId) {
        List<OutputStatus> statuses = outputs.stream().map(OutputCommands::statusOf).flatMap(Optional::stream)
                .sorted(Comparator.comparing(OutputStatus::outputId)).toList();
        return statuses.stream().filter(s -> s.outputId().equals(outputId)).findFirst()
                .map(OutputTable::detail)
                .orElseGet(() -> OutputTable.unknownOutput(outputId,
                        statuses.stream().map(OutputStatus::outputId).toList()));
    }

    /** Extra arguments: the usage (see {@link Usage}). */
    public String _main(Object... nameAndArguments) {
        return Usage.wrongArguments(nameAndArguments, Map.of("outputs", OUTPUTS_USAGE));
    }

    private static Optional<OutputStatus> statusOf(MonitoredOutput output) {
        try {
            return Optional.ofNullable(output.outputStatus());
        } catch (RuntimeException e) {
            // one broken output must not hide the others from the operator
            LOG.warn("Status of output {} failed", output.getClass().getName(), e);
            return Optional.empty();
        }
    }
}
