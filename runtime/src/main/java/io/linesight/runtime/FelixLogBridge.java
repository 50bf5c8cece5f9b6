package io.linesight.runtime;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.event.Level;

/**
 * Routes the Felix framework's own messages (by default printed to stdout, stack traces included)
 * to SLF4J under the logger {@code org.apache.felix.framework}.
 */
final class FelixLogBridge extends org.apache.felix.framework.Logger {

    static final String LOGGER = "org.apache.felix.framework";

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        LogForwarding.forward(LOGGER, level(level), prefix(bundle, sr) + msg, throwable);
    }

    private static Level level(int felixLevel) {
        return switch (felixLevel) {
            case LOG_ERROR -> Level.ERROR;
            case LOG_WARNING -> Level.WARN;
            case LOG_INFO -> Level.INFO;
            default -> Level.DEBUG;
        };
    }

    private static String prefix(Bundle bundle, ServiceReference<?> sr) {
        if (sr != null) {
            return "Service " + sr + ": ";
        }
        return bundle == null ? "" : BundleNames.of(bundle) + ": ";
    }
}
