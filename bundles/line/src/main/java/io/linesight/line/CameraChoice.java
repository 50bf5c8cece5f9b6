package io.linesight.line;

import io.linesight.api.frame.FrameSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;

/**
 * The cameras the runtime offers and which one a line takes. The line binds every {@link FrameSource} and picks
 * the one its {@code camera.target} filter matches itself, instead of letting Declarative Services apply the
 * filter: so a malformed filter in an edited file is refused while the line keeps its camera, and a filter that
 * matches nothing can name the cameras that are there. Among several matches the highest {@code service.ranking}
 * wins, then the oldest service: during a bundle upgrade the line stays on the old camera until it leaves.
 * Not thread-safe; the line guards it.
 */
final class CameraChoice {

    private record Offered(FrameSource source, Map<String, Object> properties) {
        int ranking() {
            return properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        }

        long serviceId() {
            return properties.get(Constants.SERVICE_ID) instanceof Long id ? id : Long.MAX_VALUE;
        }
    }

    private final Map<FrameSource, Offered> offered = new LinkedHashMap<>();

    void add(FrameSource source, Map<String, Object> properties) {
        offered.put(source, new Offered(source, Map.copyOf(withSourceId(source, properties))));
    }

    void remove(FrameSource source) {
        offered.remove(source);
    }

    /** The camera the filter selects, or null when none matches. */
    FrameSource best(Filter filter) {
        return offered.values().stream()
                .filter(o -> filter.matches(o.properties()))
                .max(Comparator.comparingInt(Offered::ranking).thenComparing(Comparator.comparingLong(Offered::serviceId).reversed()))
                .map(Offered::source)
                .orElse(null);
    }

    /** The source ids of every camera offered, for the operator's message. */
    List<String> sourceIds() {
        List<String> ids = new ArrayList<>();
        for (Offered o : offered.values()) {
            ids.add(String.valueOf(o.properties().get(FrameSource.SOURCE_ID)));
        }
        return ids;
    }

    /** Cameras register source.id as a service property; a direct bind (tests) may not, so it is taken from the source. */
    private static Map<String, Object> withSourceId(FrameSource source, Map<String, Object> properties) {
        if (properties.containsKey(FrameSource.SOURCE_ID)) {
            return properties;
        }
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put(FrameSource.SOURCE_ID, source.id());
        return all;
    }
}
