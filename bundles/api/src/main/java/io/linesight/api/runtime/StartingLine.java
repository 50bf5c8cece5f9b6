package io.linesight.api.runtime;

/**
 * Registered by an inspection line from its start until it first leaves STARTING (RUNNING, or FAULT): while it loads
 * and warms its model. The launcher starts what people and SCADA look through (web, OPC UA, shell: the last start
 * level) only once no such service is left, or after {@value #LAUNCHER_WAIT_MS} ms, so the first verdict after a power
 * cut does not share the two cores of an edge box with Jetty and the OPC UA server. The launcher finds these by the
 * {@value #LINE_ID} property, so it needs no class of this bundle.
 */
public interface StartingLine {

    /** Service property: the line's id. */
    String LINE_ID = "linesight.starting.line";
    /** How long the launcher waits at most for the lines. */
    long LAUNCHER_WAIT_MS = 3_000;

    /** The marker the registrations use as their service object. */
    StartingLine MARKER = new StartingLine() {
    };
}
