package io.linesight.sparkplug.peer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The value of a Template metric as the independent host decoded it.
 *
 * @param templateRef the template_ref of an instance; null for a definition (sparkplug-payload reads an absent
 *     template_ref as "", which the host prints as null)
 * @param isDefinition is_definition
 * @param version the version, null when absent or empty
 * @param metrics the template's metrics
 * @param parameters the parameters as the host printed them ({@code {"name","type","value"}} objects)
 */
public record HostTemplate(String templateRef, boolean isDefinition, String version, List<HostMetric> metrics,
        JsonArray parameters) {

    /** The first metric with this name. */
    public Optional<HostMetric> metric(String name) {
        return metrics.stream().filter(m -> name.equals(m.name())).findFirst();
    }

    static HostTemplate fromJson(JsonObject json) {
        return new HostTemplate(JsonFields.string(json, "templateRef"), JsonFields.bool(json, "isDefinition"),
                JsonFields.string(json, "version"), JsonFields.metrics(json.get("metrics")),
                json.has("parameters") && json.get("parameters").isJsonArray()
                        ? json.getAsJsonArray("parameters") : new JsonArray());
    }
}
