package io.linesight.api.output;

/** Whether an output can deliver to its peer right now. */
public enum OutputState {
    /** The connection to the peer is up. */
    CONNECTED,
    /** Not connected; the output is retrying by itself. */
    DISCONNECTED
}
