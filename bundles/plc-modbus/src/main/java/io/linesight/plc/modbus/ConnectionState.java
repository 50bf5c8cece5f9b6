package io.linesight.plc.modbus;

/** Whether the PLC link can carry requests right now. */
public enum ConnectionState {
    /** The TCP connection to the PLC is up. */
    CONNECTED,
    /** Not connected; the link is retrying with backoff. */
    DISCONNECTED
}
