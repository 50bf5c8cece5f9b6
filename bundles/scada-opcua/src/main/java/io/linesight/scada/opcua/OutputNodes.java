package io.linesight.scada.opcua;

import java.util.List;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;

/**
 * The nodes of one output's folder. Their values are not stored: each variable reads the output's
 * status when a client reads it (see {@link LineSightNamespace#addOutput}).
 *
 * @param outputId the output's id, as in its node ids
 * @param nodes    every node of the subtree, folders included, so {@link #delete()} finds them all
 */
record OutputNodes(String outputId, List<UaNode> nodes) {

    OutputNodes {
        nodes = List.copyOf(nodes);
    }

    /** Removes every node of the output and all references to them. */
    void delete() {
        nodes.forEach(UaNode::delete);
    }
}
