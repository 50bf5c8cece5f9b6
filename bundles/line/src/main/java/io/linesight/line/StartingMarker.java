package io.linesight.line;

import io.linesight.api.runtime.StartingLine;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * A line's {@link StartingLine} registration: made when the line starts, withdrawn once, when it first leaves
 * STARTING or stops. The launcher holds back the last start level (web, OPC UA, shell) while any exists, so the
 * line loads and warms its model with the machine to itself. Outside a framework (unit tests) it does nothing.
 */
final class StartingMarker {

    static final StartingMarker NONE = new StartingMarker(null);

    private final AtomicReference<ServiceRegistration<?>> registration;

    private StartingMarker(ServiceRegistration<?> registration) {
        this.registration = new AtomicReference<>(registration);
    }

    static StartingMarker register(String lineId) {
        Bundle bundle = FrameworkUtil.getBundle(StartingMarker.class);
        if (bundle == null || bundle.getBundleContext() == null) {
            return NONE;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(StartingLine.LINE_ID, lineId);
        return new StartingMarker(bundle.getBundleContext().registerService(StartingLine.class, StartingLine.MARKER,
                properties));
    }

    /** Unregisters, once; later calls do nothing. */
    void withdraw() {
        ServiceRegistration<?> current = registration.getAndSet(null);
        if (current != null) {
            try {
                current.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework took it back already
            }
        }
    }
}
