package io.linesight.sparkplug;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.event.Alarm;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.event.RuntimeEventListener;
import io.linesight.api.fleet.DeploymentStatus;
import io.linesight.api.fleet.FleetAgent;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputStatus;
import io.linesight.api.watch.DriftFigures;
import io.linesight.api.watch.DriftWatch;
import io.linesight.sparkplug.journal.JournalException;
import io.linesight.sparkplug.journal.JournalSettings;
import io.linesight.sparkplug.journal.MessageJournal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge node in the runtime (PID {@value SparkplugConfig#PID}; no configuration, no node): a {@link ResultSink} for
 * every line's frames, a {@link RuntimeEventListener} for alarms and missed rejects, and the {@link Surroundings} and
 * {@link CommandHandler} of its {@link EdgeNode} through the services it tracks (lines, outputs, event board, model
 * deployment, drift watch). A changed configuration makes a new node: the old one says goodbye (NDEATH) first.
 */
@Component(configurationPid = SparkplugConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ResultSink.class, RuntimeEventListener.class, SparkplugEdgeNodeComponent.class}, immediate = true,
        property = {"osgi.command.scope=sparkplug", "osgi.command.function=status"})
@Designate(ocd = SparkplugConfig.class)
public final class SparkplugEdgeNodeComponent implements ResultSink, RuntimeEventListener, Surroundings,
        CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugEdgeNodeComponent.class);

    private final Map<String, InspectionLine> lines = new ConcurrentHashMap<>();
    private final List<MonitoredOutput> outputs = new CopyOnWriteArrayList<>();
    private volatile EventBoard board;
    private volatile ModelDeployment deployment;
    private volatile DriftWatch driftWatch;
    private volatile ConfigurationAdmin configAdmin;
    private volatile FleetAgent fleetAgent;
    private final MessageJournal journal;
    private final EdgeNode node;

    /**
     * Checks the configuration (a bad value fails here, naming the property), opens the journal and starts the node.
     */
    @Activate
    public SparkplugEdgeNodeComponent(SparkplugConfig config) {
        SparkplugSettings settings = SparkplugSettings.from(config, System::getProperty);
        // unreadable TLS files are a configuration error now, not a connection failure at every attempt later
        TlsContext.socketFactory(settings);
        try {
            journal = MessageJournal.open(settings.journalFile(), new JournalSettings(settings.journalMaxBytes(),
                    settings.journalMaxAge(), settings.fsyncInterval()), Clock.systemUTC());
        } catch (JournalException e) {
            throw new IllegalStateException(SparkplugConfig.PID + ": the journal " + settings.journalFile()
                    + " cannot be opened: " + e.getMessage(), e);
        }
        journal.figures().recoveredFrom().ifPresent(moved -> LOG.error("Sparkplug journal {} was damaged; it was"
                + " moved aside to {} and a new journal started (what it held is not replayed)",
                settings.journalFile(), moved));
        node = new EdgeNode(settings, journal, this, this);
        node.start();
    }

    @Deactivate
    void deactivate() {
        node.close();
        journal.close();
        LOG.info("Sparkplug edge node stopped");
    }

    /** Console: {@code sparkplug:status}. */
    @Descriptor("the Sparkplug edge node: connection, primary host, devices, what was sent, journaled and replayed,"
            + " the journal")
    public String status() {
        return node.describe();
    }

    // ---- what the runtime hands the node ---------------------------------------------------------------

    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        node.frameJudged(event, status);
    }

    @Override
    public void lineStatusChanged(LineStatus status) {
        node.lineStatusChanged(status);
    }

    @Override
    public void lineRemoved(String lineId) {
        node.lineRemoved(lineId);
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        node.event(event);
    }

    // ---- services --------------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLine(InspectionLine line) {
        lines.put(line.id(), line);
    }

    void unbindLine(InspectionLine line) {
        lines.remove(line.id(), line);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindOutput(MonitoredOutput output) {
        outputs.add(output);
    }

    void unbindOutput(MonitoredOutput output) {
        outputs.remove(output);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBoard(EventBoard b) {
        board = b;
    }

    void unbindBoard(EventBoard b) {
        if (board == b) {
            board = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeployment(ModelDeployment d) {
        deployment = d;
    }

    void unbindDeployment(ModelDeployment d) {
        if (deployment == d) {
            deployment = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriftWatch(DriftWatch w) {
        driftWatch = w;
    }

    void unbindDriftWatch(DriftWatch w) {
        if (driftWatch == w) {
            driftWatch = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigAdmin(ConfigurationAdmin c) {
        configAdmin = c;
    }

    void unbindConfigAdmin(ConfigurationAdmin c) {
        if (configAdmin == c) {
            configAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindFleetAgent(FleetAgent a) {
        fleetAgent = a;
    }

    void unbindFleetAgent(FleetAgent a) {
        if (fleetAgent == a) {
            fleetAgent = null;
        }
    }

    // ---- Surroundings ----------------------------------------------------------------------------------

    @Override
    public List<LineStatus> lines() {
        List<LineStatus> out = new ArrayList<>(lines.size());
        lines.values().forEach(l -> out.add(l.status()));
        return out;
    }

    @Override
    public Optional<ShadowFigures> shadow(String lineId) {
        InspectionLine line = lines.get(lineId);
        return line == null ? Optional.empty() : line.shadow();
    }

    @Override
    public List<DriftFigures> drift() {
        DriftWatch w = driftWatch;
        return w == null ? List.of() : w.figures();
    }

    @Override
    public List<Alarm> alarms() {
        EventBoard b = board;
        return b == null ? List.of() : b.alarms();
    }

    @Override
    public List<OutputStatus> outputs() {
        List<OutputStatus> out = new ArrayList<>(outputs.size());
        outputs.forEach(o -> out.add(o.outputStatus()));
        return out;
    }

    @Override
    public List<DeploymentStatus> deployments() {
        FleetAgent a = fleetAgent;
        return a == null ? List.of() : a.status();
    }

    @Override
    public String fleetRefusal() {
        FleetAgent a = fleetAgent;
        return a == null ? "" : a.refusal();
    }

    @Override
    public boolean desiredState(byte[] envelope, String topic) {
        FleetAgent a = fleetAgent;
        if (a == null) {
            return false;
        }
        a.desiredState(envelope, topic);
        return true;
    }

    @Override
    public void publish(RuntimeEvent event) {
        EventBoard b = board;
        if (b != null) {
            b.publish(event);
        }
    }

    // ---- CommandHandler: the console's services ----------------------------------------------------------

    @Override
    public String apply(String lineId, Command command, Object value, String who) {
        return switch (command) {
            case RESET_COUNTERS -> {
                line(lineId).resetCounters();
                yield "counters of line " + lineId + " reset";
            }
            case ACKNOWLEDGE_ALARM -> acknowledge((Long) value, who);
            case ACTIVATE_MODEL -> {
                String[] nv = nameAtVersion((String) value);
                yield deploy(() -> describe(deployment().activate(line(lineId).id(), nv[0], nv[1], who,
                        "sparkplug command")));
            }
            case ROLL_BACK_MODEL -> deploy(() -> describe(deployment().rollback(line(lineId).id(), who,
                    "sparkplug command")));
            case SHADOW_MODEL -> {
                String[] nv = nameAtVersion((String) value);
                yield deploy(() -> describe(deployment().shadow(line(lineId).id(), nv[0], nv[1], who)));
            }
            case STOP_SHADOW -> deploy(() -> deployment().stopShadow(line(lineId).id(), who).summary());
            case PROMOTE_SHADOW -> deploy(() -> describe(deployment().promote(line(lineId).id(), who)));
            case SET_THRESHOLDS -> {
                ConfigurationAdmin c = configAdmin;
                if (c == null) {
                    throw new IllegalStateException("Config Admin is not running");
                }
                yield ThresholdEdit.apply(c, line(lineId).id(), (String) value);
            }
        };
    }

    private interface DeploymentCall {
        String run() throws DeploymentException;
    }

    private static String describe(Activation a) {
        return a.action() + " " + a.model() + " on line " + a.lineId()
                + (a.previous() == null || a.previous().isEmpty() ? "" : " (was " + a.previous() + ")");
    }

    private static String deploy(DeploymentCall call) {
        try {
            return call.run();
        } catch (DeploymentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private InspectionLine line(String lineId) {
        if (lineId == null) {
            throw new IllegalArgumentException("this command goes to a line (DCMD), not to the node");
        }
        InspectionLine line = lines.get(lineId);
        if (line == null) {
            throw new IllegalStateException("line " + lineId + " is not running");
        }
        return line;
    }

    private ModelDeployment deployment() {
        ModelDeployment d = deployment;
        if (d == null) {
            throw new IllegalStateException("the model deployment is not running");
        }
        return d;
    }

    private String acknowledge(long alarmId, String who) {
        EventBoard b = board;
        if (b == null) {
            throw new IllegalStateException("the event board is not running");
        }
        return b.acknowledge(alarmId, who).map(a -> "alarm " + a.id() + " (" + a.kind() + " " + a.source()
                + ") acknowledged").orElseThrow(() -> new IllegalArgumentException("no listed, unacknowledged alarm"
                + " has id " + alarmId));
    }

    private static String[] nameAtVersion(String value) {
        int at = value.indexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            throw new IllegalArgumentException("'" + value + "' is not name@version (e.g. defect-mobilenetv2@0.3.0)");
        }
        return new String[] {value.substring(0, at).trim(), value.substring(at + 1).trim()};
    }
}
