package io.linesight.runtime;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Sends java.util.logging records (JLine, and FileInstall while no OSGi Log service is there) to
 * SLF4J, so they land in the same console and file as everything else instead of on stderr.
 */
final class JulToSlf4jHandler extends Handler {

    private final Formatter formatter = new SimpleFormatter();

    /** Replaces the JUL root handlers (the stderr console handler) with this handler. */
    static void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulToSlf4jHandler());
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
        LogForwarding.forward(name, level(record.getLevel()), formatter.formatMessage(record), record.getThrown());
    }

    static org.slf4j.event.Level level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return org.slf4j.event.Level.ERROR;
        } else if (value >= Level.WARNING.intValue()) {
            return org.slf4j.event.Level.WARN;
        } else if (value >= Level.INFO.intValue()) {
            return org.slf4j.event.Level.INFO;
        }
        return value >= Level.FINE.intValue() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.TRACE;
    }

    @Override
    public void flush() {
        // the SLF4J appenders flush themselves
    }

    @Override
    public void close() {
        // nothing held
    }
}
