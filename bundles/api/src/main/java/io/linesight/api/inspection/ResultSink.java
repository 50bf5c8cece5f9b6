package io.linesight.api.inspection;

/**
 * Receives every inspection of every line: the PLC output, the SCADA server, the journal, the
 * dashboard. Registered as an OSGi service; lines find sinks by themselves (whiteboard). A sink may
 * restrict itself to some lines with the service property {@value #LINES} (line ids); without it, it
 * receives all lines.
 *
 * <p>Threading: called on the line's inference thread, once per inspected frame, in sequence order.
 * An implementation must return within microseconds: it copies what it needs and does its I/O on its
 * own thread, with a bounded queue (a sink that cannot keep up drops and counts, it never blocks the
 * line). An exception thrown here is logged by the line and does not affect other sinks.
 */
public interface ResultSink {

    /** Optional service property: the ids of the lines this sink serves. */
    String LINES = "lines";

    /**
     * One frame was judged.
     *
     * @param event  the inspection
     * @param status the line's status right after this inspection (counters include it)
     */
    void publish(InspectionEvent event, LineStatus status);

    /** The line's state changed without a new inspection (camera lost, model loaded, line stopped). */
    default void lineStatusChanged(LineStatus status) {
    }

    /** The line was removed from the runtime; forget it. */
    default void lineRemoved(String lineId) {
    }
}
