package io.linesight.console;

import io.linesight.api.inspection.InspectionLine;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InspectionLine} services a component has bound, by line id.
 *
 * <p>Threading: SCR binds and unbinds on its own threads while shell sessions and the status thread
 * read, so the map is concurrent and readers take sorted snapshots.
 */
final class LineRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(LineRegistry.class);

    private final ConcurrentMap<String, InspectionLine> byId = new ConcurrentHashMap<>();

    /** Binds a line under its {@value InspectionLine#LINE_ID} service property (or its own id). */
    void add(InspectionLine line, Map<String, ?> properties) {
        String id = idOf(line, properties);
        InspectionLine previous = byId.put(id, line);
        if (previous != null && previous != line) {
            // ids are unique by contract; during a bundle swap the newer service wins
            LOG.warn("Two inspection line services claim line id '{}'; showing the newer one", id);
        }
    }

    /** Unbinds a line; by identity, so a newer service with the same id stays bound. */
    void remove(InspectionLine line) {
        byId.entrySet().removeIf(entry -> entry.getValue() == line);
    }

    /** The bound lines sorted by id; a copy, safe to iterate while services come and go. */
    SortedMap<String, InspectionLine> snapshot() {
        return new TreeMap<>(byId);
    }

    Optional<InspectionLine> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static String idOf(InspectionLine line, Map<String, ?> properties) {
        Object id = properties.get(InspectionLine.LINE_ID);
        return id instanceof String s && !s.isBlank() ? s : line.id();
    }
}
