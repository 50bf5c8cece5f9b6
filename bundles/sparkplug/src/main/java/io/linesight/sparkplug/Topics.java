package io.linesight.sparkplug;

/**
 * Sparkplug B topic names: {@code spBv1.0/<group>/<type>/<edge node>[/<device>]}, and the primary host's
 * {@code spBv1.0/STATE/<host id>} (Sparkplug 3.0).
 */
record Topics(String groupId, String edgeNodeId) {

    static final String NAMESPACE = "spBv1.0";

    String node(String type) {
        return NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId;
    }

    String device(String type, String deviceId) {
        return node(type) + "/" + deviceId;
    }

    /** NDATA for the node, DDATA for a device. */
    String data(String deviceId) {
        return deviceId.isEmpty() ? node("NDATA") : device("DDATA", deviceId);
    }

    String nodeCommands() {
        return node("NCMD");
    }

    /** Every device's DCMD. */
    String deviceCommands() {
        return node("DCMD") + "/+";
    }

    static String state(String hostId) {
        return NAMESPACE + "/STATE/" + hostId;
    }

    /** The device a DCMD topic is for, or empty for an NCMD. */
    String deviceOf(String topic) {
        String prefix = node("DCMD") + "/";
        return topic.startsWith(prefix) ? topic.substring(prefix.length()) : "";
    }
}
