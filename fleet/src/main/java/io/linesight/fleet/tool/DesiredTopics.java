package io.linesight.fleet.tool;

/**
 * Where desired states live on the broker (the contract with the boxes' Sparkplug node): retained, QoS 1, on
 * {@code linesight/v1/<group>/desired} for every box of a group and {@code linesight/v1/<group>/desired/<node>} for one
 * box. A box follows both; the newest manifest (by issuedAt) wins.
 */
final class DesiredTopics {

    private DesiredTopics() {
    }

    static String forGroup(String group) {
        return "linesight/v1/" + group + "/desired";
    }

    static String forNode(String group, String node) {
        return forGroup(group) + "/" + node;
    }
}
