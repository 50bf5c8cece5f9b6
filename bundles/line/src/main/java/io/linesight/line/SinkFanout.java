package io.linesight.line;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result sinks a line serves (whiteboard): every sink without a {@code lines} property, and every
 * sink whose {@code lines} property names this line. A sink that throws is logged once and does not
 * affect the others.
 */
final class SinkFanout {

    private static final Logger LOG = LoggerFactory.getLogger(SinkFanout.class);

    private record Entry(ResultSink sink, Set<String> lines) {
        boolean serves(String lineId) {
            return lines.isEmpty() || lines.contains(lineId);
        }
    }

    private final String lineId;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Set<ResultSink> complained = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SinkFanout(String lineId) {
        this.lineId = lineId;
    }

    void add(ResultSink sink, Map<String, ?> properties) {
        Entry entry = new Entry(sink, linesOf(properties.get(ResultSink.LINES)));
        if (entry.serves(lineId)) {
            entries.add(entry);
        }
    }

    void remove(ResultSink sink) {
        entries.removeIf(e -> e.sink() == sink);
        complained.remove(sink);
    }

    int size() {
        return entries.size();
    }

    void publish(InspectionEvent event, LineStatus status, io.linesight.api.frame.Frame frame) {
        each(sink -> {
            sink.publish(event, status);
            if (sink instanceof io.linesight.api.inspection.InspectedFrameSink pictures) {
                pictures.inspected(frame, event);
            }
        });
    }

    void statusChanged(LineStatus status) {
        each(sink -> sink.lineStatusChanged(status));
    }

    void lineRemoved() {
        each(sink -> sink.lineRemoved(lineId));
    }

    private void each(Consumer<ResultSink> call) {
        for (Entry entry : entries) {
            try {
                call.accept(entry.sink());
            } catch (RuntimeException e) {
                if (complained.add(entry.sink())) {
                    LOG.warn("Line '{}': result sink {} failed ({}); further failures of this sink are logged at DEBUG",
                            lineId, entry.sink().getClass().getName(), e.toString(), e);
                } else {
                    LOG.debug("Line '{}': result sink {} failed", lineId, entry.sink().getClass().getName(), e);
                }
            }
        }
    }

    /**
     * The line ids a sink's {@code lines} property names (a string of comma-separated ids, an array or a collection
     * of them); empty, meaning every line, when it is unset, blank, {@code all} or {@code *}.
     */
    static Set<String> linesOf(Object property) {
        java.util.List<String> entries;
        if (property == null) {
            entries = java.util.List.of();
        } else if (property instanceof String[] array) {
            entries = Arrays.asList(array);
        } else if (property instanceof java.util.Collection<?> collection) {
            entries = collection.stream().map(String::valueOf).toList();
        } else {
            entries = java.util.List.of(String.valueOf(property));
        }
        Set<String> ids = entries.stream().flatMap(e -> Arrays.stream(e.split(","))).map(String::trim)
                .filter(id -> !id.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        return ids.contains("*") || ids.stream().anyMatch("all"::equalsIgnoreCase) ? Set.of() : ids;
    }
}
