package io.linesight.scada.opcua;

import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The nodes of one line's folder. Written only by the {@link AddressSpaceUpdater} thread; Milo reads
 * the values concurrently, which is safe because a Milo node synchronizes access to its attributes.
 */
final class LineNodes {

    private final String lineId;
    private final List<UaNode> nodes;
    private final Map<LineVariable, UaVariableNode> variables;

    /**
     * @param lineId    the line
     * @param nodes     every node of the subtree, folders included, so {@link #delete()} finds them all
     * @param variables the variables by meaning
     */
    LineNodes(String lineId, List<UaNode> nodes, Map<LineVariable, UaVariableNode> variables) {
        this.lineId = lineId;
        this.nodes = List.copyOf(nodes);
        this.variables = Map.copyOf(variables);
    }

    String lineId() {
        return lineId;
    }

    /**
     * Sets the given variables, all with the same timestamps.
     *
     * @param values     new values by variable
     * @param sourceTime when the value came to be (the frame's capture time, or the status snapshot time)
     * @param serverTime when the server learned it (now)
     */
    void apply(Map<LineVariable, Variant> values, DateTime sourceTime, DateTime serverTime) {
        values.forEach((variable, value) ->
                variables.get(variable).setValue(new DataValue(value, StatusCode.GOOD, sourceTime, serverTime)));
    }

    /** True while the line's StateCode says FAULT. */
    boolean isFault() {
        Object code = variables.get(LineVariable.STATE_CODE).getValue().getValue().getValue();
        return code instanceof Integer value && value == io.linesight.api.inspection.LineState.FAULT.code();
    }

    /** Removes every node of the line and all references to them (the Lines folder's included). */
    void delete() {
        // UaNode.delete() cascades only along HasChild; our folders use Organizes, so delete each node.
        nodes.forEach(UaNode::delete);
    }
}
