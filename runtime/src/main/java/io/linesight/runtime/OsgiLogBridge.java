package io.linesight.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Forwards OSGi Log service entries to SLF4J: SCR, Config Admin, MetaType and FileInstall log
 * through the OSGi Log service (Apache Felix Log), and their messages belong in the same console
 * and log file as everything else.
 *
 * <p>The launcher is not a bundle and cannot import {@code org.osgi.service.log}, so it attaches to
 * each {@code LogReaderService} reflectively: a dynamic proxy implements {@code LogListener} with
 * the log bundle's own interface. Logback's levels then decide what is shown (the OSGi side
 * records INFO and up). The {@code Events.*} entries that the log service makes of bundle, service
 * and framework events are dropped ({@link RuntimeEventLogger} reports those that matter).
 */
final class OsgiLogBridge implements ServiceListener {

    static final String READER = "org.osgi.service.log.LogReaderService";
    private static final Logger LOG = LoggerFactory.getLogger(OsgiLogBridge.class);

    private final BundleContext context;

    OsgiLogBridge(BundleContext context) {
        this.context = context;
    }

    /** Attaches to the log reader as soon as one is registered (before the bundles that log start). */
    void open() {
        try {
            context.addServiceListener(this, "(objectClass=" + READER + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED) {
            attach(event.getServiceReference());
        }
    }

    private void attach(ServiceReference<?> reference) {
        Bundle provider = reference.getBundle();
        try {
            Class<?> readerType = provider.loadClass(READER);
            Class<?> listenerType = provider.loadClass("org.osgi.service.log.LogListener");
            Class<?> entryType = provider.loadClass("org.osgi.service.log.LogEntry");
            Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
                    new EntryForwarder(new EntryReader(entryType)));
            readerType.getMethod("addLogListener", listenerType).invoke(context.getService(reference), listener);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("OSGi log entries from {} will not reach the log: {}", BundleNames.of(provider), e.toString());
        }
    }

    /** Reads the fields of an {@code org.osgi.service.log.LogEntry} through its interface. */
    private static final class EntryReader {
        private final Method bundle;
        private final Method loggerName;
        private final Method logLevel;
        private final Method message;
        private final Method exception;

        EntryReader(Class<?> entryType) throws NoSuchMethodException {
            bundle = entryType.getMethod("getBundle");
            loggerName = entryType.getMethod("getLoggerName");
            logLevel = entryType.getMethod("getLogLevel");
            message = entryType.getMethod("getMessage");
            exception = entryType.getMethod("getException");
        }

        void forward(Object entry) throws ReflectiveOperationException {
            String name = (String) loggerName.invoke(entry);
            if (name == null || name.startsWith("Events.")) {
                return;
            }
            LogForwarding.forward(sourceName(name, (Bundle) bundle.invoke(entry)), level(((Enum<?>) logLevel.invoke(entry)).name()),
                    String.valueOf(message.invoke(entry)), (Throwable) exception.invoke(entry));
        }

        /**
         * Logback logger for an entry: the writing bundle's symbolic name for the legacy
         * {@code LogService} API and for a bundle's {@code ROOT} logger (SCR's own messages), else
         * the entry's logger name (SCR names a component's logger after its implementation class).
         */
        static String sourceName(String loggerName, Bundle source) {
            boolean generic = loggerName.equals("ROOT") || loggerName.equals("LogService")
                    || loggerName.startsWith("LogService.");
            if (generic && source != null && source.getSymbolicName() != null) {
                return source.getSymbolicName();
            }
            return loggerName;
        }

        private static Level level(String osgiLevel) {
            return switch (osgiLevel) {
                case "AUDIT", "ERROR" -> Level.ERROR;
                case "WARN" -> Level.WARN;
                case "INFO" -> Level.INFO;
                case "DEBUG" -> Level.DEBUG;
                default -> Level.TRACE;
            };
        }
    }

    /** The {@code LogListener} proxy: {@code logged(LogEntry)} forwards, Object methods behave. */
    private static final class EntryForwarder implements InvocationHandler {
        private final EntryReader reader;

        EntryForwarder(EntryReader reader) {
            this.reader = reader;
        }

        private void forward(Object entry) {
            try {
                reader.forward(entry);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Cannot forward an OSGi log entry", e);
            }
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return switch (method.getName()) {
                case "logged" -> {
                    forward(args[0]);
                    yield null;
                }
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "LineSight OSGi log bridge";
                default -> null;
            };
        }
    }
}
