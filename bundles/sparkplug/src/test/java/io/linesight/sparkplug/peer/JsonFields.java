package io.linesight.sparkplug.peer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reading the host's JSON lines, where absent and null mean the same. */
final class JsonFields {

    private JsonFields() {
    }

    static String string(JsonObject json, String key) {
        JsonElement element = json.get(key);
        return element == null || element.isJsonNull() ? null : element.getAsString();
    }

    /** An integer printed as a number or, above 2^53, as a decimal string (unsigned values above 2^63 wrap). */
    static Long integer(JsonObject json, String key) {
        JsonElement element = json.get(key);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        return element.getAsBigInteger().longValue();
    }

    static boolean bool(JsonObject json, String key) {
        JsonElement element = json.get(key);
        return element != null && !element.isJsonNull() && element.getAsBoolean();
    }

    static List<HostMetric> metrics(JsonElement array) {
        List<HostMetric> metrics = new ArrayList<>();
        if (array instanceof JsonArray elements) {
            for (JsonElement element : elements) {
                metrics.add(metric(element.getAsJsonObject()));
            }
        }
        return List.copyOf(metrics);
    }

    static HostMetric metric(JsonObject json) {
        JsonElement value = json.has("value") ? json.get("value") : JsonNull.INSTANCE;
        return new HostMetric(string(json, "name"), integer(json, "alias"), integer(json, "timestamp"),
                string(json, "type"), value, bool(json, "isHistorical"), bool(json, "isTransient"),
                bool(json, "isNull"));
    }
}
