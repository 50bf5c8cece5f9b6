package io.linesight.model.deploy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.GateReport;
import java.time.Instant;

/**
 * JSON forms of the records deployment keeps on disk: gate reports ({@code gate.json}) and activations
 * (one line each in {@code history/<line>.jsonl}). Field names are the records' component names.
 */
final class JsonCodec {

    /** Compact (one line per record), NaN allowed: a gate that never measured latency says so. */
    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private JsonCodec() {
    }

    static JsonObject gate(GateReport gate) {
        JsonObject o = new JsonObject();
        o.addProperty("passed", gate.passed());
        o.addProperty("metric", gate.metric());
        o.addProperty("value", gate.value());
        o.addProperty("minimum", gate.minimum());
        o.addProperty("images", gate.images());
        o.addProperty("latencyMs", gate.latencyMs());
        o.addProperty("latencyBudgetMs", gate.latencyBudgetMs());
        o.addProperty("detail", gate.detail());
        return o;
    }

    static GateReport gate(JsonElement e) {
        if (e == null || !e.isJsonObject()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        return new GateReport(o.get("passed").getAsBoolean(), text(o, "metric"), number(o, "value"),
                number(o, "minimum"), (int) number(o, "images"), number(o, "latencyMs"),
                number(o, "latencyBudgetMs"), text(o, "detail"));
    }

    static JsonObject activation(Activation a) {
        JsonObject o = new JsonObject();
        o.addProperty("sequence", a.sequence());
        o.addProperty("time", a.time().toString());
        o.addProperty("lineId", a.lineId());
        o.addProperty("model", a.model());
        o.addProperty("sha256", a.sha256());
        o.addProperty("previous", a.previous());
        o.addProperty("action", a.action());
        o.addProperty("actor", a.actor());
        o.addProperty("reason", a.reason());
        o.add("gate", a.gate() == null ? null : gate(a.gate()));
        return o;
    }

    static Activation activation(JsonObject o) {
        return new Activation(o.get("sequence").getAsLong(), Instant.parse(text(o, "time")), text(o, "lineId"),
                text(o, "model"), text(o, "sha256"), text(o, "previous"), text(o, "action"), text(o, "actor"),
                text(o, "reason"), gate(o.get("gate")));
    }

    static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static double number(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
}
