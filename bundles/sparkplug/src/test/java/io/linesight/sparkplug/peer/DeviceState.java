package io.linesight.sparkplug.peer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host application knows of one device (or edge node) after a run of messages, the way a host builds it:
 * a birth sets every metric and its alias, data by alias updates them (historical data is history, not the present),
 * a death forgets the device.
 */
public final class DeviceState {

    private DeviceState() {
    }

    /**
     * @param node   the edge node id
     * @param device the device id, or null for the node itself
     * @return metric name to its latest live value; empty while the device is not born
     */
    public static Map<String, HostMetric> latest(List<HostMessage> messages, String node, String device) {
        Map<Long, String> names = new HashMap<>();
        Map<String, HostMetric> values = new HashMap<>();
        for (HostMessage m : messages) {
            if (m.type() == null || !node.equals(m.node())) {
                continue;
            }
            if (m.type().equals("NDEATH")) {
                // the node's death is every device's
                names.clear();
                values.clear();
                continue;
            }
            if (!java.util.Objects.equals(device, m.device())) {
                continue;
            }
            switch (m.type()) {
                case "NBIRTH", "DBIRTH" -> {
                    names.clear();
                    values.clear();
                    for (HostMetric metric : m.metrics()) {
                        if (metric.alias() != null) {
                            names.put(metric.alias(), metric.name());
                        }
                        values.put(metric.name(), metric);
                    }
                }
                case "NDATA", "DDATA" -> {
                    for (HostMetric metric : m.metrics()) {
                        String name = metric.name() != null ? metric.name() : names.get(metric.alias());
                        if (name != null && !metric.historical()) {
                            values.put(name, metric);
                        }
                    }
                }
                case "DDEATH" -> {
                    names.clear();
                    values.clear();
                }
                default -> {
                }
            }
        }
        return values;
    }
}
