package io.linesight.scada.opcua;

import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The variables of {@code Lines/<lineId>/Output}: the PLC outputs that serve the line, summarised. Pure
 * functions of the outputs' status snapshots, computed on every read.
 */
enum LineOutputVariable {
    IDS("Ids", Identifiers.String, "Ids of the outputs serving this line, comma-separated (see Outputs/<id>); empty when none"),
    CONNECTED("Connected", Identifiers.Boolean, "True when at least one output serves this line and every one is connected"),
    LAST_HEARTBEAT("LastHeartbeat", Identifiers.DateTime, "The oldest of the serving outputs' last acknowledged heartbeats (the one to worry about); Bad_WaitingForInitialData before one has any");

    private final String browseName;
    private final NodeId dataType;
    private final String meaning;

    LineOutputVariable(String browseName, NodeId dataType, String meaning) {
        this.browseName = browseName;
        this.dataType = dataType;
        this.meaning = meaning;
    }

    String browseName() {
        return browseName;
    }

    NodeId dataType() {
        return dataType;
    }

    String meaning() {
        return meaning;
    }

    /** The value from the serving outputs' snapshots; the source timestamp is the oldest snapshot's. */
    DataValue value(List<OutputStatus> serving, DateTime serverTime) {
        DateTime source = serving.stream().map(OutputStatus::taken).min(Instant::compareTo).map(DateTime::new)
                .orElse(serverTime);
        return switch (this) {
            case IDS -> good(new Variant(String.join(",", serving.stream().map(OutputStatus::outputId).toList())),
                    source, serverTime);
            case CONNECTED -> good(new Variant(!serving.isEmpty()
                    && serving.stream().allMatch(s -> s.state() == OutputState.CONNECTED)), source, serverTime);
            case LAST_HEARTBEAT -> oldestHeartbeat(serving)
                    .map(beat -> good(new Variant(new DateTime(beat)), source, serverTime))
                    .orElseGet(() -> new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData)));
        };
    }

    /** Empty unless every serving output has had a heartbeat; then the oldest. */
    private static Optional<Instant> oldestHeartbeat(List<OutputStatus> serving) {
        if (serving.isEmpty() || serving.stream().anyMatch(s -> s.lastHeartbeat().isEmpty())) {
            return Optional.empty();
        }
        return serving.stream().map(s -> s.lastHeartbeat().orElseThrow()).min(Instant::compareTo);
    }

    private static DataValue good(Variant value, DateTime source, DateTime server) {
        return new DataValue(value, StatusCode.GOOD, source, server);
    }
}
