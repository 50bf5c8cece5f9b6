package io.linesight.api.inspection;

/** What a line is doing. The numeric code is what the PLC register and SCADA carry. */
public enum LineState {
    /** Waiting for its camera or model; nothing inspected yet. */
    STARTING(0),
    /** Inspecting frames. */
    RUNNING(1),
    /** Cannot inspect: camera lost or model failed. The PLC should stop or divert the conveyor. */
    FAULT(2),
    /** Stopped on purpose. */
    STOPPED(3);

    private final int code;

    LineState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
