package io.linesight.runtime;

import java.util.Set;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Shared rule for messages arriving from other logging systems (Felix, OSGi Log, java.util.logging):
 * an expected operational problem is one line with its reason, anything else keeps its stack trace.
 */
final class LogForwarding {

    private static final Set<String> EXPECTED = Set.of(BundleException.class.getName(),
            IllegalArgumentException.class.getName(), "org.osgi.service.cm.ConfigurationException");

    private LogForwarding() {
    }

    /**
     * Logs {@code message} under {@code loggerName}. Expected problems (see {@link #isExpected}) have
     * their reason appended and their stack trace moved to DEBUG.
     */
    static void forward(String loggerName, Level level, String message, Throwable thrown) {
        Logger logger = LoggerFactory.getLogger(loggerName);
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        if (thrown != null && isExpected(thrown)) {
            logger.atLevel(level).log(message + ": " + FailureReasons.describe(thrown));
            logger.debug("Detail of the problem above", thrown);
        } else {
            logger.atLevel(level).setCause(thrown).log(message);
        }
    }

    /**
     * Problems an operator causes and fixes (a bundle that does not resolve, a configuration value
     * that a component rejects), as opposed to programming errors.
     */
    static boolean isExpected(Throwable thrown) {
        return EXPECTED.contains(FailureReasons.originalClassName(thrown));
    }
}
