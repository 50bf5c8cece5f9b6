package io.linesight.scada.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.EventItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.model.nodes.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilters;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
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

    /** EventNotifier bit 0: clients may subscribe to the folder's events. */
    private static final UByte SUBSCRIBE_TO_EVENTS = ubyte(1);
    private static final DataValue WAITING = new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData));
    private static final Logger LOG = LoggerFactory.getLogger(LineSightNamespace.class);

    private final SubscriptionModel subscriptionModel;
    private final Map<String, LineNodes> lines = new ConcurrentHashMap<>();
    private final Map<MonitoredOutput, OutputNodes> outputs = new ConcurrentHashMap<>();
    private final UaFolderNode linesFolder;
    private final UaFolderNode outputsFolder;
    private final UaVariableNode lineCount;
    private final LineCommands commands;
    private final NodeId eventType;
    private final NodeId rootId;
    /** The relays of the event monitored items on our folders. */
    private final Map<EventItem, EventRelay> eventRelays = new ConcurrentHashMap<>();

    LineSightNamespace(OpcUaServer server, RuntimeInfo runtime, LineCommands commands) {
        super(server, NAMESPACE_URI);
        this.commands = commands;
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        UaFolderNode root = addRootFolder();
        rootId = root.getNodeId();
        UaFolderNode runtimeFolder = addFolder(root, NodePaths.RUNTIME, NodePaths.RUNTIME);
        addRuntimeVersion(runtimeFolder, runtime.version());
        addRuntimeUptime(runtimeFolder, runtime);
        lineCount = addRuntimeLineCount(runtimeFolder);
        addRuntimeAlarms(runtimeFolder, runtime);
        addRuntimeHealth(runtimeFolder, runtime);
        eventType = addEventType();
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
        root.setEventNotifier(SUBSCRIBE_TO_EVENTS);
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

    /**
     * Runtime/ActiveAlarms (String array: every alarm that is active or not yet acknowledged), ActiveAlarmCount
     * (active ones), UnacknowledgedAlarmCount, read from the event board on every read, and the operator method
     * AcknowledgeAlarm(AlarmId); beside them RemoveModel(Name, Version), the one model method not tied to a line.
     */
    private void addRuntimeAlarms(UaFolderNode runtimeFolder, RuntimeInfo runtime) {
        UaVariableNode alarms = addVariable(runtimeFolder, NodePaths.runtime("ActiveAlarms"), "ActiveAlarms",
                Identifiers.String, "The alarms an operator must see (active, or not yet acknowledged), oldest first:"
                        + " '#<id> <time> <KIND> <source> (<severity>) ACTIVE|CLEARED, acknowledged by <who>|unacknowledged: <message>'");
        alarms.setValueRank(ValueRanks.OneDimension);
        alarms.setArrayDimensions(new UInteger[] {uint(0)});
        alarms.getFilterChain().addLast(AttributeFilters.getValue(
                context -> new DataValue(new Variant(AlarmTexts.of(listedAlarms(runtime))))));
        UaVariableNode count = addVariable(runtimeFolder, NodePaths.runtime("ActiveAlarmCount"), "ActiveAlarmCount",
                Identifiers.Int32, "How many alarms are active now");
        count.getFilterChain().addLast(AttributeFilters.getValue(context -> new DataValue(new Variant(
                (int) listedAlarms(runtime).stream().filter(Alarm::active).count()))));
        UaVariableNode unacknowledged = addVariable(runtimeFolder, NodePaths.runtime("UnacknowledgedAlarmCount"),
                "UnacknowledgedAlarmCount", Identifiers.Int32, "How many alarms no operator has acknowledged yet");
        unacknowledged.getFilterChain().addLast(AttributeFilters.getValue(context -> new DataValue(new Variant(
                (int) listedAlarms(runtime).stream().filter(a -> !a.acknowledged()).count()))));
        addOperatorMethod(runtimeFolder, NodePaths.runtime(AcknowledgeAlarmMethod.NAME), AcknowledgeAlarmMethod.NAME,
                "Acknowledges the alarm with the given id (from ActiveAlarms) in the operator's name",
                node -> new AcknowledgeAlarmMethod(node, runtime.acknowledger()));
        addStoredModels(runtimeFolder, runtime);
        addOperatorMethod(runtimeFolder, NodePaths.runtime(RemoveModelMethod.NAME), RemoveModelMethod.NAME,
                "Deletes a stored model version (refused while it is active, shadow or a line's rollback target)",
                node -> new RemoveModelMethod(node, commands));
    }

    /**
     * Runtime/StoredModels (String array): every version in the model repository with its state, as model:list and
     * GET /api/models show them, read from the deployment on every read.
     */
    private void addStoredModels(UaFolderNode runtimeFolder, RuntimeInfo runtime) {
        UaVariableNode models = addVariable(runtimeFolder, NodePaths.runtime("StoredModels"), "StoredModels",
                Identifiers.String, "Every stored model version and its state: '<name>@<version> <STORED|REFUSED|SHADOW|"
                        + "ACTIVE|RETIRED>[: <lines, refusal reason or rollback target>]'");
        models.setValueRank(ValueRanks.OneDimension);
        models.setArrayDimensions(new UInteger[] {uint(0)});
        models.getFilterChain().addLast(AttributeFilters.getValue(context -> new DataValue(new Variant(
                storedModelTexts(runtime)))));
    }

    private static String[] storedModelTexts(RuntimeInfo runtime) {
        try {
            return runtime.storedModels().get().stream().map(m -> m.id() + " " + m.state()
                    + (m.stateDetail() == null || m.stateDetail().isEmpty() ? "" : ": " + m.stateDetail()))
                    .toArray(String[]::new);
        } catch (RuntimeException e) {
            LOG.warn("OPC UA: the model list cannot be read ({}); StoredModels reads empty", e.toString());
            return new String[0];
        }
    }

    /** Runtime/Health and Runtime/HealthCode: FAULT (2) if a line is in FAULT, ALARM (1) while alarms are active, else OK (0). */
    private void addRuntimeHealth(UaFolderNode runtimeFolder, RuntimeInfo runtime) {
        UaVariableNode name = addVariable(runtimeFolder, NodePaths.runtime("Health"), "Health", Identifiers.String,
                "OK, ALARM (an alarm is active) or FAULT (a line is in FAULT)");
        name.getFilterChain().addLast(AttributeFilters.getValue(
                context -> new DataValue(new Variant(AlarmTexts.healthName(healthCode(runtime))))));
        UaVariableNode code = addVariable(runtimeFolder, NodePaths.runtime("HealthCode"), "HealthCode", Identifiers.Int32,
                "0 OK, 1 ALARM, 2 FAULT");
        code.getFilterChain().addLast(AttributeFilters.getValue(
                context -> new DataValue(new Variant(healthCode(runtime)))));
    }

    private int healthCode(RuntimeInfo runtime) {
        boolean lineFault = lines.values().stream().anyMatch(LineNodes::isFault);
        return AlarmTexts.healthCode(lineFault, listedAlarms(runtime).size());
    }

    private static List<Alarm> listedAlarms(RuntimeInfo runtime) {
        try {
            List<Alarm> alarms = runtime.alarms().get();
            return alarms == null ? List.of() : alarms;
        } catch (RuntimeException e) {
            LOG.debug("OPC UA: the event board's alarms failed", e);
            return List.of();
        }
    }

    /**
     * {@code Types/LineSightEventType}, a subtype of BaseEventType with the properties Kind (the EventKind
     * name), Sequence (the board's number), Active (true for a raising event, false for a clearing or
     * one-shot one) and ConditionKey (KIND@source of the condition it raises or clears; empty for one-shot
     * events).
     */
    private NodeId addEventType() {
        UaObjectTypeNode type = UaObjectTypeNode.builder(getNodeContext())
                .setNodeId(newNodeId(NodePaths.EVENT_TYPE))
                .setBrowseName(newQualifiedName("LineSightEventType"))
                .setDisplayName(LocalizedText.english("LineSightEventType"))
                .setDescription(LocalizedText.english("A LineSight runtime event: camera, PLC, inference, model, configuration"))
                .setIsAbstract(false)
                .build();
        type.addReference(new Reference(type.getNodeId(), Identifiers.HasSubtype, Identifiers.BaseEventType.expanded(), false));
        getNodeManager().addNode(type);
        type.setProperty(EventProperties.KIND, "");
        type.setProperty(EventProperties.SEQUENCE, 0L);
        type.setProperty(EventProperties.ACTIVE, false);
        type.setProperty(EventProperties.CONDITION_KEY, "");
        getServer().getObjectTypeManager().registerObjectType(type.getNodeId(), BaseEventTypeNode.class, BaseEventTypeNode::new);
        return type.getNodeId();
    }

    /**
     * Emits {@code event} as a LineSightEventType event from the Server object, so every client subscribed
     * to the Server's events receives it. SourceNode is the line's or output's folder when the source names
     * one that is shown ({@code line/<id>}, {@code output/<id>}), else the Server object.
     */
    void emit(RuntimeEvent event) {
        BaseEventTypeNode node;
        try {
            node = getServer().getEventFactory().createEvent(newNodeId(UUID.randomUUID()), eventType);
        } catch (UaException e) {
            LOG.warn("OPC UA: cannot create the event for {} {}: {}", event.kind(), event.source(), e.getMessage());
            return;
        }
        try {
            node.setBrowseName(newQualifiedName("LineSightEvent"));
            node.setDisplayName(LocalizedText.english("LineSightEvent"));
            node.setEventId(ByteString.of(NodePaths.eventId(event)));
            node.setEventType(eventType);
            node.setSourceNode(sourceNode(event.source()));
            node.setSourceName(event.source());
            node.setTime(new DateTime(event.time()));
            node.setReceiveTime(DateTime.now());
            node.setMessage(LocalizedText.english(event.message()));
            node.setSeverity(ushort(event.kind().severity()));
            node.setProperty(EventProperties.KIND, event.kind().name());
            node.setProperty(EventProperties.SEQUENCE, event.sequence());
            node.setProperty(EventProperties.ACTIVE, event.kind().raisesAlarm());
            node.setProperty(EventProperties.CONDITION_KEY, event.conditionKey() == null ? "" : event.conditionKey());
            getServer().getEventBus().post(node);
        } finally {
            node.delete();
        }
    }

    private NodeId sourceNode(String source) {
        if (source.startsWith("line/") && lines.containsKey(source.substring(5))) {
            return newNodeId(NodePaths.line(source.substring(5)));
        }
        if (source.startsWith("output/")) {
            String id = source.substring(7);
            if (outputs.values().stream().anyMatch(nodes -> nodes.outputId().equals(id))) {
                return newNodeId(NodePaths.output(id));
            }
        }
        return Identifiers.Server;
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
        lineFolder.setEventNotifier(SUBSCRIBE_TO_EVENTS);
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
            if (variable.array()) {
                node.setValueRank(ValueRanks.OneDimension);
                node.setArrayDimensions(new UInteger[] {uint(0)});
            }
            nodes.add(node);
            variables.put(variable, node);
        }
        addLineOutputs(lineFolder, lineId, nodes);
        UaVariableNode lastResult = variables.get(LineVariable.LAST_COMMAND_RESULT);
        lastResult.setValue(new DataValue(new Variant("")));
        for (LineMethod.Kind kind : LineMethod.Kind.values()) {
            nodes.add(addMethod(lineFolder, lineId, kind,
                    text -> lastResult.setValue(new DataValue(new Variant(text)))));
        }
        return new LineNodes(lineId, nodes, variables);
    }

    /**
     * {@code Lines/<lineId>/<method>}: executable for operators only. UserExecutable is answered per
     * session, so a client shows observers the method greyed out, and Milo refuses their calls with
     * Bad_UserAccessDenied before the handler runs.
     */
    private UaMethodNode addMethod(UaFolderNode lineFolder, String lineId, LineMethod.Kind kind,
                                   Consumer<String> lastResult) {
        return addOperatorMethod(lineFolder, NodePaths.line(lineId, kind.browseName()), kind.browseName(), kind.meaning(),
                node -> new LineMethod(node, kind, lineId, commands, lastResult));
    }

    /** A method executable for operators only (see {@link #addMethod}), served by the handler made for its node. */
    private UaMethodNode addOperatorMethod(UaFolderNode folder, String path, String name, String meaning,
                                           java.util.function.Function<UaMethodNode,
                                                   org.eclipse.milo.opcua.sdk.server.api.methods.AbstractMethodInvocationHandler> handlerFor) {
        UaMethodNode method = UaMethodNode.builder(getNodeContext())
                .setNodeId(newNodeId(path))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(meaning + " (operator role only)"))
                .setExecutable(true)
                .setUserExecutable(true)
                .build();
        var handler = handlerFor.apply(method);
        method.setInputArguments(handler.getInputArguments());
        method.setOutputArguments(handler.getOutputArguments());
        method.setInvocationHandler(handler);
        method.getFilterChain().addLast(new AttributeFilter() {
            @Override
            public Object getAttribute(AttributeFilterContext.GetAttributeContext context, AttributeId attribute) {
                if (attribute == AttributeId.UserExecutable) {
                    return context.getSession().map(Session::getIdentityObject)
                            .map(user -> user instanceof ScadaUser scada && scada.mayCallMethods()).orElse(false);
                }
                return context.getAttribute(attribute);
            }
        });
        getNodeManager().addNode(method);
        folder.addComponent(method);
        return method;
    }

    /**
     * {@code Lines/<lineId>/Output}: the PLC outputs serving the line (an output serves the lines it lists,
     * or every line when it lists none), read from their status on every read like {@code Outputs/...}.
     */
    private void addLineOutputs(UaFolderNode lineFolder, String lineId, List<UaNode> nodes) {
        UaFolderNode folder = addFolder(lineFolder, NodePaths.line(lineId, NodePaths.OUTPUT), NodePaths.OUTPUT);
        nodes.add(folder);
        for (LineOutputVariable variable : LineOutputVariable.values()) {
            UaVariableNode node = addVariable(folder, NodePaths.line(lineId, NodePaths.OUTPUT + "/" + variable.browseName()),
                    variable.browseName(), variable.dataType(), variable.meaning());
            node.getFilterChain().addLast(AttributeFilters.getValue(
                    context -> variable.value(servingOutputs(lineId), DateTime.now())));
            nodes.add(node);
        }
    }

    /** Status snapshots of the outputs that serve {@code lineId}; an output whose status fails is skipped. */
    private List<OutputStatus> servingOutputs(String lineId) {
        List<OutputStatus> serving = new ArrayList<>();
        for (MonitoredOutput output : outputs.keySet()) {
            try {
                OutputStatus status = output.outputStatus();
                if (status.lines().isEmpty() || status.lines().contains(lineId)) {
                    serving.add(status);
                }
            } catch (RuntimeException e) {
                LOG.debug("OPC UA: status of output {} failed", output, e);
            }
        }
        return serving;
    }

    /** Outputs/<outputId> with its fixed variables and a Counters folder. */
    private OutputNodes addOutputSubtree(MonitoredOutput output, OutputStatus first) {
        String id = first.outputId();
        List<UaNode> nodes = new ArrayList<>();
        UaFolderNode folder = addFolder(outputsFolder, NodePaths.output(id), id);
        folder.setEventNotifier(SUBSCRIBE_TO_EVENTS);
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

    @Override
    public void onEventItemsCreated(List<EventItem> items) {
        items.forEach(this::relay);
    }

    @Override
    public void onEventItemsModified(List<EventItem> items) {
        items.forEach(item -> {
            unrelay(item);
            relay(item);
        });
    }

    @Override
    public void onEventItemsDeleted(List<EventItem> items) {
        items.forEach(this::unrelay);
    }

    private void relay(EventItem item) {
        if (!item.isSamplingEnabled()) {
            return;
        }
        NodeId folder = item.getReadValueId().getNodeId();
        EventRelay relay = new EventRelay(item, folder, folder.equals(rootId));
        if (eventRelays.putIfAbsent(item, relay) == null) {
            getServer().getEventBus().register(relay);
        }
    }

    private void unrelay(EventItem item) {
        EventRelay relay = eventRelays.remove(item);
        if (relay != null) {
            getServer().getEventBus().unregister(relay);
        }
    }
}
