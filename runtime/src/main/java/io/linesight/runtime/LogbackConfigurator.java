package io.linesight.runtime;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Logback's first configurator (found through {@code META-INF/services}): applies the file named by
 * {@code logback.configurationFile} and, if that file is unreadable, malformed or names unknown
 * classes, falls back to the configuration built into the launcher instead of leaving the runtime
 * without logs. The reason for the fallback is left in the context under {@link #FALLBACK_REASON}
 * for the launcher to report as one WARN line; Logback's own status dump (with stack traces) is
 * suppressed for that case. Either way it then adds {@link KnownNoiseFilter}.
 *
 * <p>Does nothing when the property is not set (for example in unit tests), so Logback's usual
 * search ({@code logback-test.xml}, {@code logback.xml}) still applies there.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

    /** System property naming the configuration: a file path or a class path resource. */
    public static final String CONFIG_PROPERTY = "logback.configurationFile";

    /** Class path resource of the built-in configuration (a copy of config/logback.xml). */
    public static final String BUILT_IN = "io/linesight/runtime/default-config/logback.xml";

    /** Context object key holding why the built-in configuration replaced the operator's file. */
    public static final String FALLBACK_REASON = "linesight.logback.fallbackReason";

    /** Public no-argument constructor, as the service loader needs. */
    public LogbackConfigurator() {
        // state comes from the context Logback sets before configure()
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String requested = System.getProperty(CONFIG_PROPERTY);
        if (requested == null || requested.isBlank()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Optional<String> problem = apply(context, requested);
        problem.ifPresent(reason -> fallBack(context, requested, reason));
        installNoiseFilter(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Added after the file, so an operator's logback.xml (old or new) cannot lose it. */
    static void installNoiseFilter(LoggerContext context) {
        KnownNoiseFilter filter = new KnownNoiseFilter();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
    }

    /** Tries one configuration; returns the first error if it did not apply cleanly. */
    static Optional<String> apply(LoggerContext context, String location) {
        URL url = locate(location);
        if (url == null) {
            return Optional.of("not found");
        }
        long since = System.currentTimeMillis();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(url);
        } catch (JoranException e) {
            // the error is also recorded as a status, which firstError() reports
        }
        return firstError(context, since);
    }

    private void fallBack(LoggerContext context, String requested, String reason) {
        context.reset();
        // Logback prints every status (with stack traces) when errors are present; we report one line
        context.getStatusManager().clear();
        apply(context, BUILT_IN);
        context.putObject(FALLBACK_REASON, "Logging configuration " + requested + " is not usable (" + reason
                + "); using the built-in default configuration");
    }

    /** A file path (if it exists) or else a class path resource. */
    static URL locate(String location) {
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) {
            try {
                return file.toUri().toURL();
            } catch (MalformedURLException e) {
                return null;
            }
        }
        return LogbackConfigurator.class.getClassLoader().getResource(location);
    }

    private static Optional<String> firstError(LoggerContext context, long since) {
        if (new StatusUtil(context).getHighestLevel(since) < Status.ERROR) {
            return Optional.empty();
        }
        return StatusUtil.filterStatusListByTimeThreshold(context.getStatusManager().getCopyOfStatusList(), since)
                .stream()
                .filter(s -> s.getEffectiveLevel() >= Status.ERROR)
                .findFirst()
                .map(LogbackConfigurator::describe);
    }

    private static String describe(Status status) {
        Throwable cause = status.getThrowable();
        String message = status.getMessage();
        return cause == null || cause.getMessage() == null ? message : message + ": " + cause.getMessage();
    }
}
