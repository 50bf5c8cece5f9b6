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

    /**
     * The retained desired-state topics this node follows: its group's and its own. Outside {@code spBv1.0/}, since
     * Sparkplug reserves that namespace for its own message types, and its commands are not retained: a box that was
     * offline during a rollout must still find its desired state when it comes back.
     */
    String desiredForGroup() {
        return "linesight/v1/" + groupId + "/desired";
    }

    String desiredForNode() {
        return desiredForGroup() + "/" + edgeNodeId;
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
