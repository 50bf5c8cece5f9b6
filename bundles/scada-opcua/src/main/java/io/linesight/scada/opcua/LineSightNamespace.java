package io.linesight.scada.opcua;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilters;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The {@value #NAMESPACE_URI} namespace: {@code Objects/LineSight} with a {@code Runtime} folder and one
 * folder per line under {@code Lines}. Each method adds one subtree. Variables are read-only for clients;
 * their values are pushed by the {@link AddressSpaceUpdater}, which is also the only caller of
 * {@link #addLine} and {@link #removeLine}. Monitored items are sampled by Milo's
 * {@link SubscriptionModel}, which reads the current values at each item's sampling interval.
 */
final class LineSightNamespace extends ManagedNamespaceWithLifecycle {

    /** The namespace URI; its index is in the server's NamespaceArray (2 with this server). */
    static final String NAMESPACE_URI = "urn:linesight";

    private static final DataValue WAITING = new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData));

    private final SubscriptionModel subscriptionModel;
    private final Map<String, LineNodes> lines = new ConcurrentHashMap<>();
    private final UaFolderNode linesFolder;
    private final UaVariableNode lineCount;

    LineSightNamespace(OpcUaServer server, RuntimeInfo runtime) {
        super(server, NAMESPACE_URI);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        UaFolderNode root = addRootFolder();
        UaFolderNode runtimeFolder = addFolder(root, NodePaths.RUNTIME, NodePaths.RUNTIME);
        addRuntimeVersion(runtimeFolder, runtime.version());
        addRuntimeUptime(runtimeFolder, runtime);
        lineCount = addRuntimeLineCount(runtimeFolder);
        linesFolder = addFolder(root, NodePaths.LINES, NodePaths.LINES);
    }

    /** The folder of {@code lineId}, if the line is shown. */
    Optional<LineNodes> line(String lineId) {
        return Optional.ofNullable(lines.get(lineId));
    }

    /** Adds {@code Lines/<lineId>} with every {@link LineVariable}, all waiting for initial data. */
    LineNodes addLine(String lineId) {
        LineNodes nodes = lines.computeIfAbsent(lineId, this::addLineSubtree);
        updateLineCount();
        return nodes;
    }

    /** Removes {@code Lines/<lineId>} and everything below it; nothing happens for an unknown line. */
    void removeLine(String lineId) {
        LineNodes removed = lines.remove(lineId);
        if (removed != null) {
            removed.delete();
            updateLineCount();
        }
    }

    /** Objects/LineSight. */
    private UaFolderNode addRootFolder() {
        UaFolderNode root = folderNode(NodePaths.ROOT, NodePaths.ROOT);
        // An inverse Organizes reference makes the folder show up under the standard Objects folder.
        root.addReference(new Reference(root.getNodeId(), Identifiers.Organizes, Identifiers.ObjectsFolder.expanded(), false));
        return root;
    }

    /** Runtime/Version: fixed for the life of this server. */
    private void addRuntimeVersion(UaFolderNode runtimeFolder, String version) {
        UaVariableNode node = addVariable(runtimeFolder, NodePaths.runtime("Version"), "Version",
                Identifiers.String, "LineSight runtime version");
        node.setValue(new DataValue(new Variant(version)));
    }

    /** Runtime/UptimeSeconds: computed on every read, so no timer has to push it. */
    private void addRuntimeUptime(UaFolderNode runtimeFolder, RuntimeInfo runtime) {
        UaVariableNode node = addVariable(runtimeFolder, NodePaths.runtime("UptimeSeconds"), "UptimeSeconds",
                Identifiers.Int64, "Seconds since the runtime started");
        node.getFilterChain().addLast(AttributeFilters.getValue(
                context -> new DataValue(new Variant(runtime.uptimeSeconds().getAsLong()))));
    }

    /** Runtime/LineCount: how many line folders exist. */
    private UaVariableNode addRuntimeLineCount(UaFolderNode runtimeFolder) {
        UaVariableNode node = addVariable(runtimeFolder, NodePaths.runtime("LineCount"), "LineCount",
                Identifiers.Int32, "Number of lines under Lines");
        node.setValue(new DataValue(new Variant(0)));
        return node;
    }

    /** Lines/<lineId> with its sub-folders and variables. */
    private LineNodes addLineSubtree(String lineId) {
        List<UaNode> nodes = new ArrayList<>();
        UaFolderNode lineFolder = addFolder(linesFolder, NodePaths.line(lineId), lineId);
        nodes.add(lineFolder);
        Map<String, UaFolderNode> folders = new LinkedHashMap<>();
        folders.put("", lineFolder);
        Map<LineVariable, UaVariableNode> variables = new EnumMap<>(LineVariable.class);
        for (LineVariable variable : LineVariable.values()) {
            UaFolderNode parent = folders.computeIfAbsent(variable.folder(), name -> {
                UaFolderNode folder = addFolder(lineFolder, NodePaths.line(lineId, name), name);
                nodes.add(folder);
                return folder;
            });
            UaVariableNode node = addVariable(parent, NodePaths.line(lineId, variable.path()),
                    variable.browseName(), variable.dataType(), variable.meaning());
            nodes.add(node);
            variables.put(variable, node);
        }
        return new LineNodes(lineId, nodes, variables);
    }

    private void updateLineCount() {
        lineCount.setValue(new DataValue(new Variant(lines.size())));
    }

    private UaFolderNode addFolder(UaFolderNode parent, String id, String browseName) {
        UaFolderNode folder = folderNode(id, browseName);
        parent.addOrganizes(folder);
        return folder;
    }

    private UaFolderNode folderNode(String id, String browseName) {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(browseName),
                LocalizedText.english(browseName));
        getNodeManager().addNode(folder);
        return folder;
    }

    private UaVariableNode addVariable(UaFolderNode parent, String id, String browseName, NodeId dataType,
                                       String description) {
        UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(id))
                .setBrowseName(newQualifiedName(browseName))
                .setDisplayName(LocalizedText.english(browseName))
                .setDescription(LocalizedText.english(description))
                .setDataType(dataType)
                .setAccessLevel(AccessLevel.READ_ONLY)
                .setUserAccessLevel(AccessLevel.READ_ONLY)
                .setValue(WAITING)
                .build();
        getNodeManager().addNode(node);
        parent.addOrganizes(node);
        return node;
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
