package io.linesight.fleet.agent;

import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.fleet.DeploymentStatus;
import io.linesight.api.fleet.FleetAgent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.watch.HealthWindows;
import io.linesight.fleet.manifest.Keys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The fleet agent in the runtime (PID {@value FleetConfig#PID}; no configuration, no fleet delivery): a
 * {@link FleetAgentCore} fed by the Sparkplug node (which calls {@link #desiredState}) and, when configured, by an
 * {@link EnvelopePoller}; it applies deployments through the {@link ModelDeployment}, follows the lines' shadow trials
 * and the model watch's {@link HealthWindows}. A changed configuration makes a new core, which resumes from
 * {@code state.json}.
 */
@Component(configurationPid = FleetConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = FleetAgent.class, immediate = true)
@Designate(ocd = FleetConfig.class)
public final class FleetAgentComponent implements FleetAgent, AgentServices {

    private static final Logger LOG = LoggerFactory.getLogger(FleetAgentComponent.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration ACTIVE_MARGIN = Duration.ofMinutes(5);
    private static final int QUEUE = 16;

    private final ModelDeployment deployment;
    private final List<InspectionLine> lines = new CopyOnWriteArrayList<>();
    private volatile HealthWindows healthWindows;
    private final FleetAgentCore core;
    private final EnvelopePoller poller;

    /** Checks the configuration (a bad value fails here, naming the property) and starts the agent. */
    @Activate
    public FleetAgentComponent(FleetConfig config, @Reference(name = "deployment") ModelDeployment deployment) {
        this.deployment = deployment;
        FleetSettings settings = FleetSettings.from(config, System::getProperty);
        core = new FleetAgentCore(new AgentSettings(settings.groupId(), settings.edgeNodeId(),
                Keys.folder(settings.trustedKeys()), settings.stateFolder(), settings.downloadFolder(),
                settings.download(), TICK, ACTIVE_MARGIN, QUEUE), this);
        core.start();
        poller = settings.pollUrl().map(url -> new EnvelopePoller(PackageDownload.newHttpClient(Duration.ofSeconds(15)),
                url, settings.pollInterval(), core::desiredState)).orElse(null);
        if (poller != null) {
            poller.start();
        }
        LOG.info("fleet agent started: {}", settings.describe());
    }

    @Deactivate
    void deactivate() {
        if (poller != null) {
            poller.close();
        }
        core.close();
        LOG.info("fleet agent stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLine(InspectionLine line) {
        lines.add(line);
    }

    void unbindLine(InspectionLine line) {
        lines.remove(line);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHealthWindows(HealthWindows windows) {
        healthWindows = windows;
    }

    void unbindHealthWindows(HealthWindows windows) {
        if (healthWindows == windows) {
            healthWindows = null;
        }
    }

    // ---- FleetAgent ------------------------------------------------------------------------------------

    @Override
    public void desiredState(byte[] envelope, String from) {
        core.desiredState(envelope, from);
    }

    @Override
    public List<DeploymentStatus> status() {
        return core.status();
    }

    @Override
    public String refusal() {
        return core.refusal();
    }

    // ---- AgentServices ---------------------------------------------------------------------------------

    @Override
    public Optional<ModelDeployment> deployment() {
        return Optional.of(deployment);
    }

    @Override
    public List<InspectionLine> lines() {
        return List.copyOf(lines);
    }

    @Override
    public Optional<HealthWindows> healthWindows() {
        return Optional.ofNullable(healthWindows);
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }
}
