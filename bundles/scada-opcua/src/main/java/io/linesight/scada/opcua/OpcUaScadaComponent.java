package io.linesight.scada.opcua;

import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.event.RuntimeEventListener;
import io.linesight.api.runtime.ListeningEndpoint;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.output.MonitoredOutput;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
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
 * The SCADA output: an OPC UA server (Eclipse Milo 0.6) that shows every line's state, last verdict,
 * counters, rates, model and camera, and every monitored output's connection, heartbeat, alarms and
 * counters, under {@code Objects/LineSight} in namespace {@code urn:linesight}.
 *
 * <p>Values are pushed: as a {@link ResultSink} it receives every inspection, and it tracks the
 * {@link InspectionLine} services so a line's folder exists from the moment the line does and goes away
 * with it. {@link #publish} only hands the records to the server's own updater thread and returns. As a
 * {@link RuntimeEventListener} it turns every runtime event into an OPC UA event; the optional
 * {@link EventBoard} feeds {@code Runtime/ActiveAlarms}, and the optional {@link ModelDeployment} and the
 * line services carry out the operator methods (ResetCounters, ActivateModel, RollbackModel).
 *
 * <p>Security: see {@link SecuritySettings} (production profile by default, demo profile on loopback
 * only), users with hashed passwords ({@link UserDirectory}), client certificates through the
 * {@link TrustList} folders.
 *
 * <p>If the configured port cannot be listened on, activation logs one ERROR line naming the port and
 * this configuration PID and the component stays active as a sink that shows nothing: the lines never
 * notice, and correcting the configuration re-activates the component with the new port. A configuration
 * value that is invalid in itself (port 0, a malformed URI) fails activation with a message naming the
 * property. Deactivation stops the server, its threads and its port before it returns.
 */
@Component(
        name = OpcUaScadaComponent.PID,
        configurationPid = OpcUaScadaComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ResultSink.class, RuntimeEventListener.class},
        // SCADA must see the server even before any line uses this sink, so do not wait for a consumer.
        immediate = true)
@Designate(ocd = ScadaOpcUaConfiguration.class)
public class OpcUaScadaComponent implements ResultSink, RuntimeEventListener {

    /** Configuration PID (and component name). */
    public static final String PID = "io.linesight.scada.opcua";
    /** System property the launcher may set to the runtime version shown as {@code Runtime/Version}. */
    static final String VERSION_PROPERTY = "linesight.version";

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaScadaComponent.class);

    /** The running server, or null if its port was unavailable (then this sink shows nothing). */
    private final ScadaServer server;
    private final ServerSettings settings;
    /** Why the server is not running, when it is not. */
    private String failure;
    private org.osgi.framework.ServiceRegistration<?> endpoint;
    /** Copies the drift watch's figures into the address space; null while the server is off. */
    private final java.util.concurrent.ScheduledExecutorService driftPoll;
    private volatile io.linesight.api.watch.DriftWatch driftWatch;
    /** The lines' services by line id, for the operator methods. */
    private final Map<String, InspectionLine> lines = new ConcurrentHashMap<>();
    /** The model deployment, while there is one (optional, dynamic). */
    private final AtomicReference<ModelDeployment> deployment = new AtomicReference<>();
    /** The event board, while there is one (optional, dynamic): the source of Runtime/ActiveAlarms. */
    private final AtomicReference<EventBoard> board = new AtomicReference<>();

    /**
     * Starts the server.
     *
     * @param config the configuration (defaults without a configuration file)
     * @throws IllegalArgumentException naming the property if a configured value is invalid
     * @throws InterruptedException     if interrupted while starting
     */
    @Activate
    public OpcUaScadaComponent(ScadaOpcUaConfiguration config, org.osgi.framework.BundleContext context)
            throws InterruptedException {
        this(config);
        endpoint = context.registerService(ListeningEndpoint.class, ListeningEndpoint.MARKER, server != null
                ? ListeningEndpoint.listening("OPC UA", settings.bindAddress(), settings.port())
                : ListeningEndpoint.failed("OPC UA", settings.bindAddress(), settings.port(), failure));
    }

    /** For tests: without a bundle context the outcome is only logged. */
    OpcUaScadaComponent(ScadaOpcUaConfiguration config) throws InterruptedException {
        settings = ServerSettings.from(config, System::getProperty);
        LOG.info("OPC UA server: endpoint {} (bind {}:{}), application '{}' {}, PKI {}", settings.endpointUrl(),
                settings.bindAddress(), settings.port(), settings.applicationName(), settings.applicationUri(),
                settings.pkiDirectory());
        LineCommands commands = new OperatorCommands(id -> Optional.ofNullable(lines.get(id)),
                () -> Optional.ofNullable(deployment.get()));
        RuntimeInfo runtime = new RuntimeInfo(runtimeVersion(), OpcUaScadaComponent::uptimeSeconds,
                () -> Optional.ofNullable(board.get()).map(EventBoard::alarms).orElse(List.of()),
                (id, who) -> Optional.ofNullable(board.get()).flatMap(b -> b.acknowledge(id, who)),
                () -> Optional.ofNullable(deployment.get()).map(ModelDeployment::stored).orElse(List.of()));
        this.server = startOrExplain(settings, runtime, commands);
        this.driftPoll = server == null ? null : startDriftPoll();
    }

    /** The drift watch keeps its own figures; they are copied into the lines' Drift variables once a second. */
    private java.util.concurrent.ScheduledExecutorService startDriftPoll() {
        java.util.concurrent.ScheduledExecutorService poll = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linesight-opcua-drift");
            t.setDaemon(true);
            return t;
        });
        poll.scheduleWithFixedDelay(() -> {
            io.linesight.api.watch.DriftWatch watch = driftWatch;
            if (watch != null) {
                try {
                    server.drift(watch.figures());
                } catch (RuntimeException e) {
                    LOG.debug("OPC UA: drift figures not updated", e);
                }
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return poll;
    }

    @Reference(name = "drift", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDriftWatch")
    void bindDriftWatch(io.linesight.api.watch.DriftWatch watch) {
        driftWatch = watch;
    }

    void unbindDriftWatch(io.linesight.api.watch.DriftWatch watch) {
        if (driftWatch == watch) {
            driftWatch = null;
        }
    }

    /** Stops the server and waits until its threads and port are released. */
    @Deactivate
    public void deactivate() throws InterruptedException {
        if (driftPoll != null) {
            driftPoll.shutdownNow();
            driftPoll.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (endpoint != null) {
            endpoint.unregister();
        }
        if (server != null) {
            server.close();
            LOG.info("OPC UA server at {} stopped", server.endpointUrl());
        }
    }

    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        if (server != null) {
            server.inspected(event, status);
        }
    }

    @Override
    public void lineStatusChanged(LineStatus status) {
        if (server != null) {
            server.statusChanged(status);
        }
    }

    @Override
    public void lineRemoved(String lineId) {
        if (server != null) {
            server.lineRemoved(lineId);
        }
    }

    /** A line appeared: its folder is created with the line's current status. */
    @Reference(service = InspectionLine.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindLine")
    void bindLine(InspectionLine line, Map<String, Object> properties) {
        String id = lineId(line, properties);
        lines.put(id, line);
        if (server != null) {
            server.lineAdded(id, line::status);
        }
    }

    /** A line went away: so does its folder. */
    void unbindLine(InspectionLine line, Map<String, Object> properties) {
        String id = lineId(line, properties);
        lines.remove(id, line);
        lineRemoved(id);
    }

    /** Every event of the board becomes an OPC UA event; this only queues it and returns. */
    @Override
    public void onEvent(RuntimeEvent event) {
        if (server != null && event != null) {
            server.eventRaised(event);
        }
    }

    /** The event board arrived: Runtime/ActiveAlarms shows its active alarms from now on. */
    @Reference(service = EventBoard.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindEventBoard")
    void bindEventBoard(EventBoard service) {
        board.set(service);
    }

    /** The event board left: Runtime/ActiveAlarms reads empty until one is back. */
    void unbindEventBoard(EventBoard service) {
        board.compareAndSet(service, null);
    }

    /** The model deployment arrived: ActivateModel and RollbackModel work from now on. */
    @Reference(service = ModelDeployment.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDeployment")
    void bindDeployment(ModelDeployment service) {
        deployment.set(service);
    }

    /** The model deployment left: the model methods answer Bad_ResourceUnavailable until one is back. */
    void unbindDeployment(ModelDeployment service) {
        deployment.compareAndSet(service, null);
    }

    /** An output with a connection worth watching appeared (the PLC output): its folder is created. */
    @Reference(service = MonitoredOutput.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindOutput")
    void bindOutput(MonitoredOutput output) {
        if (server != null) {
            server.outputAdded(output);
        }
    }

    /** The output went away: so does its folder. */
    void unbindOutput(MonitoredOutput output) {
        if (server != null) {
            server.outputRemoved(output);
        }
    }

    /** The endpoint URL while serving; empty if the port was unavailable. */
    Optional<String> endpointUrl() {
        return Optional.ofNullable(server).map(ScadaServer::endpointUrl);
    }

    /** The namespace index of {@code urn:linesight} while serving. */
    Optional<Integer> namespaceIndex() {
        return Optional.ofNullable(server).map(ScadaServer::namespaceIndex);
    }

    private ScadaServer startOrExplain(ServerSettings settings, RuntimeInfo runtime, LineCommands commands)
            throws InterruptedException {
        try {
            return ScadaServer.start(settings, runtime, commands);
        } catch (EndpointUnavailableException e) {
            LOG.error("{}", e.getMessage());
            failure = e.getMessage().contains("in use") ? "port " + settings.port() + " in use" : e.getMessage();
            return null;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            // Unexpected (no RSA provider, Milo failed to start): keep the lines running, say why once.
            LOG.error("OPC UA server on {} could not start; the SCADA output stays off", settings.endpointUrl(), e);
            failure = "could not start: " + e.getMessage();
            return null;
        }
    }

    private static String lineId(InspectionLine line, Map<String, Object> properties) {
        Object id = properties.get(InspectionLine.LINE_ID);
        return id != null ? id.toString() : line.id();
    }

    /** The launcher's {@value #VERSION_PROPERTY}, else this bundle's version, else "unknown". */
    private static String runtimeVersion() {
        String configured = System.getProperty(VERSION_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Bundle bundle = FrameworkUtil.getBundle(OpcUaScadaComponent.class);
        return bundle != null ? bundle.getVersion().toString() : "unknown";
    }

    /** The runtime is this JVM, so its uptime is the JVM's. */
    private static long uptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
    }
}
