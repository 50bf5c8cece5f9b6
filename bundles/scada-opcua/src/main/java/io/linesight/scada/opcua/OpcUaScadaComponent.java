package io.linesight.scada.opcua;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.output.MonitoredOutput;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
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
 * with it. {@link #publish} only hands the records to the server's own updater thread and returns.
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
        service = ResultSink.class,
        // SCADA must see the server even before any line uses this sink, so do not wait for a consumer.
        immediate = true)
@Designate(ocd = ScadaOpcUaConfiguration.class)
public class OpcUaScadaComponent implements ResultSink {

    /** Configuration PID (and component name). */
    public static final String PID = "io.linesight.scada.opcua";
    /** System property the launcher may set to the runtime version shown as {@code Runtime/Version}. */
    static final String VERSION_PROPERTY = "linesight.version";

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaScadaComponent.class);

    /** The running server, or null if its port was unavailable (then this sink shows nothing). */
    private final ScadaServer server;

    /**
     * Starts the server.
     *
     * @param config the configuration (defaults without a configuration file)
     * @throws IllegalArgumentException naming the property if a configured value is invalid
     * @throws InterruptedException     if interrupted while starting
     */
    @Activate
    public OpcUaScadaComponent(ScadaOpcUaConfiguration config) throws InterruptedException {
        ServerSettings settings = ServerSettings.from(config, System::getProperty);
        LOG.info("OPC UA server: endpoint {} (bind {}:{}), application '{}' {}, PKI {}", settings.endpointUrl(),
                settings.bindAddress(), settings.port(), settings.applicationName(), settings.applicationUri(),
                settings.pkiDirectory());
        this.server = startOrExplain(settings, new RuntimeInfo(runtimeVersion(), OpcUaScadaComponent::uptimeSeconds));
    }

    /** Stops the server and waits until its threads and port are released. */
    @Deactivate
    public void deactivate() throws InterruptedException {
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
        if (server != null) {
            server.lineAdded(lineId(line, properties), line::status);
        }
    }

    /** A line went away: so does its folder. */
    void unbindLine(InspectionLine line, Map<String, Object> properties) {
        lineRemoved(lineId(line, properties));
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

    private static ScadaServer startOrExplain(ServerSettings settings, RuntimeInfo runtime) throws InterruptedException {
        try {
            return ScadaServer.start(settings, runtime);
        } catch (EndpointUnavailableException e) {
            LOG.error("{}", e.getMessage());
            return null;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            // Unexpected (no RSA provider, Milo failed to start): keep the lines running, say why once.
            LOG.error("OPC UA server on {} could not start; the SCADA output stays off", settings.endpointUrl(), e);
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
