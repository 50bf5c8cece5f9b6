package io.linesight.api.inspection;

/**
 * A running inspection line, published as an OSGi service with the service property
 * {@value #LINE_ID}, so the console, SCADA and the web can list and query lines.
 */
public interface InspectionLine {

    /** Service property naming the line; unique within a runtime. */
    String LINE_ID = "line.id";

    /** The value of {@value #LINE_ID}. */
    String id();

    /** A snapshot of the line now; cheap, never blocks on the inference thread. */
    LineStatus status();

    /** Sets every counter back to zero (an operator's command); the line keeps running. */
    void resetCounters();
}
