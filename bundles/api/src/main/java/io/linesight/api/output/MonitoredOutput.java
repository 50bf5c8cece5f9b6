package io.linesight.api.output;

/**
 * An output whose connection and alarms people and SCADA should see. Registered as an OSGi service by
 * the output itself (the PLC output registers it beside its
 * {@link io.linesight.api.inspection.ResultSink}); the console and the SCADA server track these services.
 *
 * <p>Threading: {@link #outputStatus()} may be called from any thread at any rate. It returns a snapshot
 * of in-memory state: no I/O, no waiting on the output's own threads, microseconds.
 */
public interface MonitoredOutput {

    /** How the output is doing now. Never null. */
    OutputStatus outputStatus();
}
