package io.linesight.runtime;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Starts logging for the launcher and, through the system bundle's SLF4J export, for every bundle.
 *
 * <p>Order matters: {@link #chooseConfiguration} must run before the first logger is created,
 * because Logback configures itself once, on first use, from {@code logback.configurationFile}.
 */
final class LoggingSetup {

    private LoggingSetup() {
    }

    /**
     * Points Logback at {@code <config>/logback.xml} if it exists, else at the built-in default.
     *
     * @return the chosen configuration (a file path or a class path resource)
     */
    static String chooseConfiguration(Path configDir) {
        Path file = configDir.resolve("logback.xml");
        String chosen = Files.isRegularFile(file) ? file.toString() : LogbackConfigurator.BUILT_IN;
        System.setProperty(LogbackConfigurator.CONFIG_PROPERTY, chosen);
        return chosen;
    }

    /** Initialises Logback and the JUL bridge, then reports a configuration fallback as one WARN line. */
    static void start() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        JulToSlf4jHandler.install();
        if (factory instanceof LoggerContext context
                && context.getObject(LogbackConfigurator.FALLBACK_REASON) instanceof String reason) {
            LoggerFactory.getLogger(Launcher.class).warn(reason);
        }
    }

    /** Flushes and closes the appenders; call last, just before the JVM exits. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
