package io.linesight.fleet.tool;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * The fleet as a Sparkplug host application sees it: per edge node and device the latest value of every metric,
 * built from births (names and aliases) and data (aliases); a death marks the node or device offline. Historical
 * data is history, not the present, and is skipped. Not thread-safe: fed from one MQTT callback thread, read after.
 */
final class FleetView {

    /** One device (a line, an output) or the node itself (device ""). */
    static final class Device {
        final Map<String, Object> metrics = new TreeMap<>();
        boolean online;
        long updated;
    }

    /** One edge node. */
    static final class Node {
        final Map<String, Device> devices = new TreeMap<>();
        final Map<Long, String> aliases = new HashMap<>();
        boolean born;
    }

    private final String group;
    private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
    private final Map<String, Node> nodes = new TreeMap<>();

    FleetView(String group) {
        this.group = group;
    }

    Map<String, Node> nodes() {
        return nodes;
    }

    /**
     * Takes one message of {@code spBv1.0/<group>/...}.
     *
     * @return the node id when the message was data of a node whose birth this view has not seen (the caller asks
     *         that node for a rebirth), else null
     */
    String accept(String topic, byte[] payload) {
        String[] parts = topic.split("/");
        if (parts.length < 4 || !parts[0].equals("spBv1.0") || !parts[1].equals(group)) {
            return null;
        }
        String type = parts[2];
        String nodeId = parts[3];
        String deviceId = parts.length > 4 ? parts[4] : "";
        Node node = nodes.computeIfAbsent(nodeId, k -> new Node());
        SparkplugBPayload decoded;
        try {
            decoded = decoder.buildFromByteArray(payload, null);
        } catch (Exception e) {
            return null;
        }
        switch (type) {
            case "NBIRTH" -> {
                node.devices.clear();
                node.aliases.clear();
                node.born = true;
                birth(node, "", decoded);
            }
            case "DBIRTH" -> birth(node, deviceId, decoded);
            case "NDATA", "DDATA" -> {
                if (!node.born) {
                    return nodeId;
                }
                data(node, deviceId, decoded);
            }
            case "DDEATH" -> node.devices.computeIfAbsent(deviceId, k -> new Device()).online = false;
            case "NDEATH" -> {
                node.born = false;
                node.devices.values().forEach(d -> d.online = false);
            }
            default -> {
            }
        }
        return null;
    }

    private void birth(Node node, String deviceId, SparkplugBPayload payload) {
        Device device = new Device();
        device.online = true;
        device.updated = time(payload);
        for (Metric m : payload.getMetrics()) {
            if (m.hasAlias() && m.getName() != null) {
                node.aliases.put(m.getAlias(), m.getName());
            }
            if (m.getName() != null) {
                device.metrics.put(m.getName(), m.getValue());
            }
        }
        node.devices.put(deviceId, device);
    }

    private void data(Node node, String deviceId, SparkplugBPayload payload) {
        Device device = node.devices.computeIfAbsent(deviceId, k -> new Device());
        for (Metric m : payload.getMetrics()) {
            if (Boolean.TRUE.equals(m.getIsHistorical())) {
                continue;
            }
            String name = m.getName() != null ? m.getName() : m.hasAlias() ? node.aliases.get(m.getAlias()) : null;
            if (name != null) {
                device.metrics.put(name, m.getValue());
            }
        }
        device.updated = time(payload);
    }

    private static long time(SparkplugBPayload payload) {
        Date t = payload.getTimestamp();
        return t == null ? System.currentTimeMillis() : t.getTime();
    }
}
