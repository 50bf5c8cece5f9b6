package io.linesight.scada.opcua;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.output.MonitoredOutput;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Milo server with the LineSight namespace, and every thread it owns.
 *
 * <p>Threads: Milo's request executor and scheduler are ours ({@code linesight-opcua-*}) and end in
 * {@link #close()}. Milo's Netty event loop and wheel timer are process-wide singletons of the Milo
 * stack-core bundle ({@code milo-netty-*} daemon threads); they are shared with any other Milo user in
 * the JVM, so they are left running, and they belong to Milo's class loader, not this bundle's.
 *
 * <p>JAXB (checked with {@code -verbose:class} and in Felix): constructing the server loads only the
 * static helper {@code javax.xml.bind.DatatypeConverter} (jakarta.xml.bind-api), which Milo's standard
 * namespace uses to decode XML-encoded default values; it makes its converter with {@code new}, so no
 * {@code JAXBContext}, no jaxb-runtime and no thread context class loader are involved, and none is set
 * here. Milo 0.6 needs a {@code JAXBContext} only in bsd-generator (dictionaries for custom structure
 * types); a later slice that registers such types must set the TCCL to the jaxb-runtime bundle's loader
 * around that call (shared/OSGI-NOTES.md).
 */
final class ScadaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScadaServer.class);
    private static final String PRODUCT_URI = "urn:linesight";
    /** Cap on Milo's request threads; beyond it the I/O thread runs the request itself (back-pressure). */
    private static final int MAX_REQUEST_THREADS = 32;
    /** Starting means binding one port; anything slower is a fault worth reporting. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final ServerSettings settings;
    private final OpcUaServer server;
    private final LineSightNamespace namespace;
    private final AddressSpaceUpdater updater;
    private final ThreadPoolExecutor requests;
    private final ScheduledThreadPoolExecutor scheduler;
    private final TrustList trustList;
    /** True once Milo listens; only then does closing wait for the port to be free again. */
    private volatile boolean bound;

    private ScadaServer(ServerSettings settings, RuntimeInfo runtime, LineCommands commands,
                        ApplicationCertificate identity, TrustList trustList) {
        this.settings = settings;
        this.trustList = trustList;
        this.requests = newRequestExecutor();
        this.scheduler = newScheduler();
        try {
            this.server = new OpcUaServer(serverConfig(settings, runtime, identity, trustList));
            this.namespace = new LineSightNamespace(server, runtime, commands);
        } catch (RuntimeException e) {
            requests.shutdownNow();
            scheduler.shutdownNow();
            trustList.close();
            throw e;
        }
        this.updater = new AddressSpaceUpdater(namespace);
    }

    /**
     * Creates and starts a server.
     *
     * @throws EndpointUnavailableException if the address and port cannot be listened on
     * @throws GeneralSecurityException     if no application certificate can be made
     * @throws InterruptedException         if interrupted while starting
     */
    static ScadaServer start(ServerSettings settings, RuntimeInfo runtime, LineCommands commands)
            throws EndpointUnavailableException, GeneralSecurityException, InterruptedException {
        // Checked first: Milo would log a failed bind as a stack trace and report success.
        String busy = PortCheck.whyUnavailable(settings.bindAddress(), settings.port()).orElse(null);
        if (busy != null) {
            throw new EndpointUnavailableException(settings, busy);
        }
        ApplicationCertificate identity = ApplicationCertificate.loadOrCreate(settings);
        ScadaServer scada = new ScadaServer(settings, runtime, commands, identity, TrustList.open(settings.pkiDirectory()));
        try {
            scada.startup();
            return scada;
        } catch (EndpointUnavailableException | RuntimeException | InterruptedException e) {
            scada.close();
            throw e;
        }
    }

    /** The URL clients connect to. */
    String endpointUrl() {
        return settings.endpointUrl();
    }

    /** Index of {@value LineSightNamespace#NAMESPACE_URI} in this server's namespace table. */
    int namespaceIndex() {
        return namespace.getNamespaceIndex().intValue();
    }

    void inspected(InspectionEvent event, LineStatus status) {
        updater.inspected(event, status);
    }

    void drift(java.util.List<io.linesight.api.watch.DriftFigures> figures) {
        updater.drift(figures);
    }

    void statusChanged(LineStatus status) {
        updater.statusChanged(status);
    }

    void lineAdded(String lineId, Supplier<LineStatus> status) {
        updater.lineAdded(lineId, status);
    }

    void lineRemoved(String lineId) {
        updater.lineRemoved(lineId);
    }

    void eventRaised(io.linesight.api.event.RuntimeEvent event) {
        updater.eventRaised(event);
    }

    void outputAdded(MonitoredOutput output) {
        updater.outputAdded(output);
    }

    void outputRemoved(MonitoredOutput output) {
        updater.outputRemoved(output);
    }

    /**
     * Stops everything this server started and waits (within the configured shutdown timeout) until
     * its threads have ended and its port can be bound again.
     */
    @Override
    public void close() throws InterruptedException {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        boolean miloStopped = false;
        try {
            updater.close(remaining(deadline));
            namespace.shutdown();
            miloStopped = true;
            shutdownMilo(deadline);
            stop(requests, deadline);
            stop(scheduler, deadline);
            awaitPortFree(deadline);
        } finally {
            // Interrupted half way: still close the port and end our threads, just without waiting.
            if (!miloStopped) {
                server.shutdown();
            }
            requests.shutdownNow();
            scheduler.shutdownNow();
            trustList.close();
        }
    }

    private void startup() throws EndpointUnavailableException, InterruptedException {
        namespace.startup();
        try {
            server.startup().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("OPC UA server did not start: " + e, e);
        }
        if (server.getStackServer().getBoundEndpoints().isEmpty()) {
            // Lost a race for the port after PortCheck; Milo has already logged the bind failure.
            throw new EndpointUnavailableException(settings, "bind failed");
        }
        bound = true;
        logSecurity();
    }

    /** One line on what the endpoints accept; a loud one for the demo profile. */
    private void logSecurity() {
        SecuritySettings security = settings.security();
        LOG.info("OPC UA security: policies {} x modes {}, users {}, trust list {} (unknown client certificates"
                        + " land in rejected/; move one to trusted/certs/ to accept it)", security.policies(),
                security.modes(), security.users().roles(), settings.pkiDirectory());
        if (security.isDemo()) {
            LOG.warn("OPC UA endpoint {} runs the DEMO profile on loopback: {}{}. For a plant network set"
                            + " allowAnonymous=false and allowSecurityPolicyNone=false (the defaults) in {}",
                    settings.endpointUrl(), security.allowAnonymous() ? "anonymous observers allowed" : "",
                    security.allowNone() ? (security.allowAnonymous() ? ", " : "")
                            + "SecurityPolicy None (no signing, no encryption) offered" : "",
                    OpcUaScadaComponent.PID);
        }
        if (security.users().isEmpty()) {
            LOG.warn("OPC UA: no users configured in property 'users' of {}; {}", OpcUaScadaComponent.PID,
                    security.allowAnonymous() ? "only anonymous observers can connect"
                            : "no client can log in. Add one with a hash from 'scada:hashpassword <password>'");
        }
    }

    private void shutdownMilo(long deadline) throws InterruptedException {
        try {
            server.shutdown().get(remaining(deadline).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("OPC UA server did not shut down cleanly: {}", e.toString());
        }
    }

    /** Milo closes its listening channel without waiting; wait here so a restart can bind again at once. */
    private void awaitPortFree(long deadline) throws InterruptedException {
        if (bound && !PortCheck.awaitFree(settings.bindAddress(), settings.port(), remaining(deadline))) {
            LOG.warn("OPC UA port {}:{} still busy {} ms after shutdown", settings.bindAddress(), settings.port(),
                    settings.shutdownTimeout().toMillis());
        }
    }

    private OpcUaServerConfig serverConfig(ServerSettings settings, RuntimeInfo runtime, ApplicationCertificate identity,
                                           TrustList trustList) {
        SecuritySettings security = settings.security();
        return OpcUaServerConfig.builder()
                .setApplicationName(LocalizedText.english(settings.applicationName()))
                .setApplicationUri(settings.applicationUri())
                .setProductUri(PRODUCT_URI)
                .setBuildInfo(new BuildInfo(PRODUCT_URI, "LineSight", "LineSight", runtime.version(), "", DateTime.MIN_VALUE))
                .setEndpoints(Endpoints.of(settings, identity.certificate()))
                .setCertificateManager(new DefaultCertificateManager(identity.keyPair(), identity.certificate()))
                .setTrustListManager(trustList.manager())
                .setCertificateValidator(trustList.validator())
                .setIdentityValidator(new ScadaIdentityValidator(security.allowAnonymous(), security.users()))
                .setExecutor(requests)
                .setScheduledExecutorService(scheduler)
                .build();
    }

    /**
     * Like Milo's shared executor (direct hand-off, threads made on demand and retired after 60 s idle),
     * but capped; at the cap the Netty thread runs the request itself, which slows reading from clients.
     */
    private static ThreadPoolExecutor newRequestExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, MAX_REQUEST_THREADS, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("linesight-opcua-request-"), new ThreadPoolExecutor.CallerRunsPolicy());
        return executor;
    }

    /**
     * Session timeouts, subscription publishing and sampling. Its delay queue holds one timer per
     * subscription and session, so it is bounded by the server's session and subscription limits.
     */
    private static ScheduledThreadPoolExecutor newScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, threads("linesight-opcua-scheduler-"));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void stop(ExecutorService executor, long deadline) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(remaining(deadline).toMillis(), TimeUnit.MILLISECONDS)) {
            executor.shutdownNow();
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
