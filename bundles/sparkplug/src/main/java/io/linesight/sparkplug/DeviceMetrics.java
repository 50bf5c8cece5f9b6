package io.linesight.sparkplug;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * The metrics one Sparkplug device (or the edge node itself) announces at its birth, with the value each has now and
 * the value last sent, so that data goes out by exception. A birth lists every metric the device will ever send, with
 * its alias; data messages carry aliases only. Used on the publisher thread only.
 */
final class DeviceMetrics {

    private static final class Slot {
        final String name;
        final MetricDataType type;
        long alias;
        Object value;
        Object sent;
        boolean everSent;

        Slot(String name, MetricDataType type, Object value) {
            this.name = name;
            this.type = type;
            this.value = value;
        }
    }

    private final String deviceId;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** @param deviceId the Sparkplug device id, empty for the edge node */
    DeviceMetrics(String deviceId) {
        this.deviceId = deviceId;
    }

    String deviceId() {
        return deviceId;
    }

    boolean isNode() {
        return deviceId.isEmpty();
    }

    /** Announces a metric with its first value ({@code null} for none yet). Defining a name twice keeps the first. */
    DeviceMetrics define(String name, MetricDataType type, Object initial) {
        slots.putIfAbsent(name, new Slot(name, type, initial));
        return this;
    }

    /**
     * Takes the current values as already known upstream: the device's birth carries them, so they are not also data
     * (journaled while the node is offline before its first birth, then replayed as history of nothing).
     */
    DeviceMetrics baseline() {
        for (Slot s : slots.values()) {
            s.sent = s.value;
            s.everSent = true;
        }
        return this;
    }

    boolean defines(String name) {
        return slots.containsKey(name);
    }

    MetricDataType typeOf(String name) {
        return slot(name).type;
    }

    /** Sets a metric's current value; it goes out with the next {@link #changes}. */
    void set(String name, Object value) {
        slot(name).value = value;
    }

    Object value(String name) {
        return slot(name).value;
    }

    /** Gives every metric an alias from {@code next}, unique on the edge node; done before each birth. */
    void assignAliases(long[] next) {
        for (Slot s : slots.values()) {
            s.alias = next[0]++;
        }
    }

    /** The metric a command names by alias only, or null. */
    String nameOfAlias(long alias) {
        for (Slot s : slots.values()) {
            if (s.alias == alias) {
                return s.name;
            }
        }
        return null;
    }

    long aliasOf(String name) {
        return slot(name).alias;
    }

    /** Every metric with name, alias, type and value, for a birth; everything counts as sent. */
    List<Metric> birth(Date now) {
        List<Metric> out = new ArrayList<>(slots.size());
        for (Slot s : slots.values()) {
            Metric m = metric(s.name, s.type, s.value, now);
            m.setAlias(s.alias);
            out.add(m);
            s.sent = s.value;
            s.everSent = true;
        }
        return out;
    }

    /** The metrics whose value changed since last sent, stamped {@code atMillis}; they count as sent. */
    List<Sample> changes(long atMillis) {
        List<Sample> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (!s.everSent || !Objects.equals(s.value, s.sent)) {
                out.add(new Sample(s.name, s.type, s.value, atMillis));
                s.sent = s.value;
                s.everSent = true;
            }
        }
        return out;
    }

    /** A sample of one metric that is sent at once (not by exception); it also becomes the current and sent value. */
    Sample sendNow(String name, Object value, long atMillis) {
        Slot s = slot(name);
        s.value = value;
        s.sent = value;
        s.everSent = true;
        return new Sample(name, s.type, value, atMillis);
    }

    /**
     * A sample as a metric of this birth: by alias, with its type (so that any host decodes it without the birth at
     * hand), its own timestamp, and is_historical when it comes from the journal.
     *
     * @return null when this birth has no such metric (a metric of an older birth, replayed from the journal)
     */
    Metric byAlias(Sample sample, boolean historical) {
        Slot s = slots.get(sample.name());
        if (s == null || s.type != sample.type()) {
            return null;
        }
        Metric m = metric(null, s.type, sample.value(), new Date(sample.timestampMillis()));
        m.setAlias(s.alias);
        if (historical) {
            m.setHistorical(true);
        }
        return m;
    }

    /** One metric by name, for the journal (aliases belong to one birth; names outlive it) and for templates. */
    static Metric named(String name, MetricDataType type, Object value, Date at) {
        return metric(name, type, value, at);
    }

    private Slot slot(String name) {
        Slot s = slots.get(name);
        if (s == null) {
            throw new IllegalArgumentException("metric '" + name + "' is not in the birth of device '" + deviceId + "'");
        }
        return s;
    }

    private static Metric metric(String name, MetricDataType type, Object value, Date at) {
        try {
            Metric m = new Metric.MetricBuilder(name, type, value).createMetric();
            m.setTimestamp(at);
            return m;
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalArgumentException("metric '" + name + "' of type " + type + " cannot hold " + value, e);
        }
    }
}
