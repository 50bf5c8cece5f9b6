package io.linesight.scada.opcua;

import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #NAMESPACE_URI} namespace: {@code Objects/LineSight} with a {@code Runtime} folder, one
 * folder per line under {@code Lines} and one per monitored output under {@code Outputs}. Each method adds
 * one subtree. Variables are read-only for clients. Line values are pushed by the
 * {@link AddressSpaceUpdater}; output values are read from the output's status on every read (a cheap
 * snapshot), so they are never stale. The updater is the only caller of the add and remove methods.
 * Monitored items are sampled by Milo's {@link SubscriptionModel}, which reads the current values at each
 * item's sampling interval.
 */
final class LineSightNamespace extends ManagedNamespaceWithLifecycle {

    /** The namespace URI; its index is in the server's NamespaceArray (2 with this server). */
    static final String NAMESPACE_URI = "urn:linesight";

    private static final DataValue WAITING = new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData));
    private static final Logger LOG = LoggerFactory.getLogger(LineSightNamespace.class);

    private final SubscriptionModel subscriptionModel;
    private final Map<String, LineNodes> lines = new ConcurrentHashMap<>();
    private final Map<MonitoredOutput, OutputNodes> outputs = new ConcurrentHashMap<>();
    private final UaFolderNode linesFolder;
    private final UaFolderNode outputsFolder;
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
        outputsFolder = addFolder(root, NodePaths.OUTPUTS, NodePaths.OUTPUTS);
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

    /**
     * Adds {@code Outputs/<outputId>} for {@code output}, with the counters {@code first} reports.
     *
     * @return false, with one WARN, if another output already shows under that id
     */
    boolean addOutput(MonitoredOutput output, OutputStatus first) {
        String id = first.outputId();
        if (outputs.containsKey(output)) {
            return true;
        }
        if (outputs.values().stream().anyMatch(nodes -> nodes.outputId().equals(id))) {
            LOG.warn("OPC UA: two outputs claim the id '{}'; only the first is shown under {}. Give each its own"
                    + " 'outputId'", id, NodePaths.output(id));
            return false;
        }
        outputs.put(output, addOutputSubtree(output, first));
        return true;
    }

    /** Removes the output's folder and everything below it; nothing happens for an output not shown. */
    void removeOutput(MonitoredOutput output) {
        OutputNodes removed = outputs.remove(output);
        if (removed != null) {
            removed.delete();
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

    /** Outputs/<outputId> with its fixed variables and a Counters folder. */
    private OutputNodes addOutputSubtree(MonitoredOutput output, OutputStatus first) {
        String id = first.outputId();
        List<UaNode> nodes = new ArrayList<>();
        UaFolderNode folder = addFolder(outputsFolder, NodePaths.output(id), id);
        nodes.add(folder);
        for (OutputVariable variable : OutputVariable.values()) {
            nodes.add(addComputed(folder, NodePaths.output(id, variable.browseName()), variable.browseName(),
                    variable.dataType(), variable.meaning(), output, s -> OutputValues.of(variable, s, DateTime.now())));
        }
        UaFolderNode counters = addFolder(folder, NodePaths.output(id, NodePaths.COUNTERS), NodePaths.COUNTERS);
        nodes.add(counters);
        for (String name : first.counters().keySet()) {
            nodes.add(addComputed(counters, NodePaths.output(id, NodePaths.COUNTERS + "/" + name), name,
                    Identifiers.Int64, "Counter " + name + " since the output started", output,
                    s -> OutputValues.counter(name, s, DateTime.now())));
        }
        return new OutputNodes(id, nodes);
    }

    /** A variable whose value is computed from the output's status on every read. */
    private UaVariableNode addComputed(UaFolderNode parent, String id, String browseName, NodeId dataType,
                                       String description, MonitoredOutput output,
                                       Function<OutputStatus, DataValue> value) {
        UaVariableNode node = addVariable(parent, id, browseName, dataType, description);
        node.getFilterChain().addLast(AttributeFilters.getValue(context -> read(output, value)));
        return node;
    }

    private static DataValue read(MonitoredOutput output, Function<OutputStatus, DataValue> value) {
        try {
            return value.apply(output.outputStatus());
        } catch (RuntimeException e) {
            LOG.debug("OPC UA: status of output {} failed", output, e);
            return new DataValue(new StatusCode(StatusCodes.Bad_InternalError));
        }
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
