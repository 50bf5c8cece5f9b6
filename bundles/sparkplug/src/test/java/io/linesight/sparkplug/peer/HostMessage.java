package io.linesight.sparkplug.peer;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * One MQTT message the independent host received under {@code spBv1.0/#}, decoded by sparkplug-payload (or, for
 * STATE, parsed as JSON).
 *
 * @param topic the MQTT topic
 * @param type NBIRTH, NDATA, NDEATH, DBIRTH, DDATA, DDEATH, NCMD, DCMD or STATE (whatever the topic says)
 * @param group the group id; null for STATE
 * @param node the edge node id; null for STATE (see {@link #hostId()})
 * @param device the device id, null for node messages and STATE
 * @param retained whether the broker delivered it as a retained message
 * @param receivedAt when the host received it (ms since the epoch, the host's clock)
 * @param timestamp the payload's timestamp; null when absent
 * @param seq the payload's seq; null when absent (and for STATE)
 * @param metrics the payload's metrics in order; empty for STATE
 * @param raw the whole line the host printed
 */
public record HostMessage(String topic, String type, String group, String node, String device, boolean retained,
        long receivedAt, Long timestamp, Long seq, List<HostMetric> metrics, JsonObject raw) {

    /** The first metric with this name. */
    /** The payload's size on the wire, in bytes. */
    public int bytes() {
        return raw.has("bytes") ? raw.get("bytes").getAsInt() : -1;
    }

    public Optional<HostMetric> metric(String name) {
        return metrics.stream().filter(m -> name.equals(m.name())).findFirst();
    }

    /** The first metric with this alias. */
    public Optional<HostMetric> metricByAlias(long alias) {
        return metrics.stream().filter(m -> m.alias() != null && m.alias() == alias).findFirst();
    }

    /** Whether the topic's message type is {@code type} (for example "NBIRTH"). */
    public boolean is(String messageType) {
        return messageType.equals(type);
    }

    /** The host id of a STATE topic ({@code spBv1.0/STATE/<host id>}); null for other messages. */
    public String hostId() {
        return JsonFields.string(raw, "hostId");
    }

    /** The decoded payload: for STATE the JSON the host application published (empty if it was no object). */
    public JsonObject payload() {
        return raw.get("payload") instanceof JsonObject object ? object : new JsonObject();
    }

    /** The {@code online} flag of a STATE message. @throws IllegalStateException for other messages */
    public boolean online() {
        if (!is("STATE")) {
            throw new IllegalStateException(topic + " is not a STATE message");
        }
        return payload().get("online").getAsBoolean();
    }

    static HostMessage fromJson(JsonObject event) {
        // a STATE payload is whatever JSON the publisher sent; anything but an object has no fields to read
        JsonObject payload = event.get("payload") instanceof JsonObject object ? object : new JsonObject();
        boolean state = "STATE".equals(JsonFields.string(event, "type"));
        return new HostMessage(JsonFields.string(event, "topic"), JsonFields.string(event, "type"),
                JsonFields.string(event, "group"), JsonFields.string(event, "node"), JsonFields.string(event, "device"),
                JsonFields.bool(event, "retained"), event.get("receivedAt").getAsLong(),
                JsonFields.integer(payload, "timestamp"), state ? null : JsonFields.integer(payload, "seq"),
                state ? List.of() : JsonFields.metrics(payload.get("metrics")), event);
    }
}
