package io.linesight.scada.opcua;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The fixed variables of one output's folder ({@code Outputs/<outputId>}), in browse order. Besides
 * these, the folder has a {@code Counters} sub-folder with one Int64 variable per counter the output
 * reports (for the PLC output: pulsesSent, rejectsMissed, ...).
 */
enum OutputVariable {
    KIND("Kind", Identifiers.String, "What sort of output: plc"),
    TARGET("Target", Identifiers.String, "What it talks to: host:port of the PLC"),
    LINES("Lines", Identifiers.String, "Ids of the lines it serves, comma-separated; empty for all lines"),
    STATE("State", Identifiers.String, "CONNECTED or DISCONNECTED"),
    CONNECTED("Connected", Identifiers.Boolean, "True while the connection to the peer is up"),
    DETAIL("Detail", Identifiers.String, "The alarms that stand now (peer unreachable, rejects missed, writes refused); empty when all is well"),
    LAST_HEARTBEAT("LastHeartbeat", Identifiers.DateTime, "When the peer last acknowledged a heartbeat; Bad_WaitingForInitialData before the first");

    private final String browseName;
    private final NodeId dataType;
    private final String meaning;

    OutputVariable(String browseName, NodeId dataType, String meaning) {
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
}
