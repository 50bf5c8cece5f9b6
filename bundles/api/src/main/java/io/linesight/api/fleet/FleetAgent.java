package io.linesight.api.fleet;

import java.util.List;

/**
 * The box's side of fleet delivery, one service per runtime: takes signed desired states from wherever the box learns
 * them (the Sparkplug node's retained topics, a polled URL), applies them through the model lifecycle, and says where
 * each line is.
 */
@org.osgi.annotation.versioning.ProviderType
public interface FleetAgent {

    /**
     * A desired state arrived: the signed envelope exactly as published. Returns at once; verification, download and
     * activation happen on the agent's own thread. An invalid, untrusted or stale desired state is refused there, logged
     * and shown in {@link #refusal()}.
     *
     * @param envelope the bytes as received
     * @param from     where it came from, for the log (an MQTT topic or a URL)
     */
    void desiredState(byte[] envelope, String from);

    /** Every line's progress with the desired deployment; cheap, no I/O. */
    List<DeploymentStatus> status();

    /** The last desired state refused and why, one sentence; empty when none was. */
    default String refusal() {
        return "";
    }
}
