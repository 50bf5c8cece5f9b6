package io.linesight.console;

import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.felix.gogo.jline.Shell;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jline.terminal.Terminal;
import io.linesight.api.runtime.ListeningEndpoint;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gogo shell over telnet, on the loopback interface by default ({@code telnet 127.0.0.1 6666}).
 *
 * <p>Each connection gets its own Gogo {@link CommandSession} running gogo.jline's {@link Shell} (the
 * same shell as the local console: line editing, completion, {@code gosh_profile}), as a login shell
 * that never stops the framework when the user logs out. Telnet has no authentication and no
 * encryption, so a non-loopback {@code bindAddress} is refused unless {@code allowRemote=true}.
 *
 * <p>A busy port does not fail activation: it is one ERROR line naming the port and this PID, and the
 * console stays off until the configuration changes. Deactivation closes the listener and every session.
 */
@Component(configurationPid = TelnetConsole.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TelnetConsole.Config.class)
public final class TelnetConsole {

    /** Configuration PID. */
    public static final String PID = "io.linesight.console.telnet";

    /** A login shell that reads gosh_profile, keeps history in memory only, and never stops Felix. */
    private static final String[] GOSH_ARGS = {"--login", "--noshutdown", "--nohistory"};

    private static final Logger LOG = LoggerFactory.getLogger(TelnetConsole.class);

    /** Typed configuration of {@value #PID}. */
    @ObjectClassDefinition(name = "LineSight telnet console",
            description = "Gogo shell over telnet. No authentication, no encryption: loopback only unless"
                    + " allowRemote is set.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Listen for telnet connections.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Bind address",
                description = "Interface address to listen on; must be a loopback address unless allowRemote is true.")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(name = "Port", min = "1", max = "65535", description = "TCP port to listen on.")
        int port() default 6666;

        @AttributeDefinition(name = "Allow remote",
                description = "Accept a non-loopback bind address. Anyone who reaches the port gets a shell.")
        boolean allowRemote() default false;

        @AttributeDefinition(name = "Max sessions", min = "1", description = "Shells open at once; more are refused.")
        int maxSessions() default 4;

        @AttributeDefinition(name = "Idle timeout (s)", min = "0",
                description = "Close a session after this many seconds without a keystroke; 0 never closes it.")
        int idleTimeoutS() default 1800;
    }

    private final CommandProcessor processor;
    private final TelnetSettings settings;
    private final Shell shell;
    private static final String ENDPOINT_NAME = "telnet console";
    private TelnetServer server;
    /** Null in unit tests: then the bind outcome is only logged. */
    private BundleContext context;
    private org.osgi.framework.ServiceRegistration<?> endpoint;

    /** Validates the configuration; a bad value fails activation with a message naming the property. */
    @Activate
    public TelnetConsole(@Reference(name = "commandProcessor") CommandProcessor processor, BundleContext context,
                         Config config) {
        this(processor, context::getProperty, TelnetSettings.of(config.enabled(), config.bindAddress(),
                config.port(), config.allowRemote(), config.maxSessions(), config.idleTimeoutS()));
        this.context = context;
    }

    TelnetConsole(CommandProcessor processor, UnaryOperator<String> properties, TelnetSettings settings) {
        this.processor = processor;
        this.settings = settings;
        this.shell = new Shell(new SessionContext(properties), processor);
    }

    /** Starts listening, unless disabled; a bind failure is logged, not thrown. */
    @Activate
    synchronized void start() {
        if (!settings.enabled()) {
            LOG.info("Telnet console off (enabled=false in {})", PID);
            return;
        }
        if (settings.remote()) {
            LOG.warn("Telnet console listens on {}, beyond loopback (allowRemote=true in {}): anyone who"
                    + " reaches this port gets a shell without a password", settings.endpoint(), PID);
        }
        try {
            server = TelnetServer.start(settings.address(), settings.maxSessions(), settings.idleTimeout(),
                    this::runShell);
            LOG.info("Telnet console on {} (maxSessions={}, idleTimeoutS={}, configuration {})",
                    settings.endpoint(), settings.maxSessions(), settings.idleTimeout().toSeconds(), PID);
            report(ListeningEndpoint.listening(ENDPOINT_NAME, settings.address().getHostString(),
                    settings.address().getPort()));
        } catch (IOException e) {
            LOG.error(bindFailure(settings, e));
            report(ListeningEndpoint.failed(ENDPOINT_NAME, settings.address().getHostString(),
                    settings.address().getPort(), ListeningEndpoint.describe(settings.address().getPort(), e)));
        }
    }

    /** Tells the launcher (and anyone watching) whether the console listens; see {@link ListeningEndpoint}. */
    private void report(java.util.Dictionary<String, Object> properties) {
        if (context != null) {
            endpoint = context.registerService(ListeningEndpoint.class, ListeningEndpoint.MARKER, properties);
        }
    }

    /** Closes the listener and every session, and waits for their threads. */
    @Deactivate
    synchronized void stop() {
        if (endpoint != null) {
            endpoint.unregister();
            endpoint = null;
        }
        shell.stop();
        if (server != null) {
            server.close();
            server = null;
            LOG.info("Telnet console on {} stopped", settings.endpoint());
        }
    }

    /** Whether the console is listening (false when disabled or the port was busy). */
    synchronized boolean isListening() {
        return server != null;
    }

    /** The ERROR line for a listener that could not bind: which address, why, and what to change. */
    static String bindFailure(TelnetSettings settings, IOException e) {
        return "Telnet console not started: cannot listen on " + settings.endpoint() + " (" + e.getMessage()
                + "). Is another process using port " + settings.address().getPort() + "? Set 'port' (or"
                + " 'bindAddress') in configuration " + PID + ".";
    }

    /** One telnet connection: a Gogo session on the connection's terminal, until the user logs out. */
    private void runShell(Terminal terminal, Map<String, String> environment) throws Exception {
        try (CommandSession session = processor.createSession(terminal.input(), terminal.output(),
                terminal.output())) {
            environment.forEach(session::put);
            session.put(Shell.VAR_TERMINAL, terminal);
            shell.gosh(session, GOSH_ARGS.clone());
        }
    }

    /** What gogo.jline's shell asks of its host: framework properties, and a way to exit. */
    private static final class SessionContext implements Shell.Context {
        private final UnaryOperator<String> properties;

        SessionContext(UnaryOperator<String> properties) {
            this.properties = properties;
        }

        @Override
        public String getProperty(String name) {
            return properties.apply(name);
        }

        @Override
        public void exit() {
            // a remote session must never stop the framework; --noshutdown keeps gosh from asking
        }
    }
}
