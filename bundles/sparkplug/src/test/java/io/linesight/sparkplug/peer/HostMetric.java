package io.linesight.sparkplug.peer;

import com.google.gson.JsonElement;
import java.math.BigInteger;

/**
 * One metric as the independent host decoded it (sparkplug-payload). 64-bit integers arrive as JSON numbers up to
 * 2^53 - 1 in magnitude and as decimal strings above; {@link #asLong()} and {@link #asBigInteger()} read both.
 *
 * @param name the metric's name, null when the message carried only an alias
 * @param alias the alias, null when absent
 * @param timestamp the metric's timestamp (ms since the epoch), null when absent
 * @param type the Sparkplug data type as sparkplug-payload names it: Int8 ... UInt64, Float, Double, Boolean,
 *     String, DateTime, Text, UUID, DataSet, Bytes (base64), File, Template, PropertySet, PropertySetList
 * @param value the value as JSON (JSON null when the metric is null)
 * @param historical is_historical
 * @param isTransient is_transient
 * @param isNull is_null
 */
public record HostMetric(String name, Long alias, Long timestamp, String type, JsonElement value, boolean historical,
        boolean isTransient, boolean isNull) {

    /** The value as a long; Int64 values and UInt64 values up to 2^63 - 1. */
    public long asLong() {
        return asBigInteger().longValueExact();
    }

    /** The value as an exact integer, whether it arrived as a number or as a string. */
    public BigInteger asBigInteger() {
        return value.getAsBigInteger();
    }

    /** The value as a double (Float, Double or an integer type). */
    public double asDouble() {
        return value.getAsDouble();
    }

    /** The value as a string (String, Text, UUID, or base64 for Bytes). */
    public String asString() {
        return value.getAsString();
    }

    /** The value as a boolean. */
    public boolean asBoolean() {
        return value.getAsBoolean();
    }

    /** The value of a Template metric. @throws IllegalStateException for any other type */
    public HostTemplate asTemplate() {
        if (!"Template".equals(type)) {
            throw new IllegalStateException("metric " + name + " is a " + type + ", not a Template");
        }
        return HostTemplate.fromJson(value.getAsJsonObject());
    }
}
