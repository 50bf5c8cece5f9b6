/**
 * Outputs that talk to other machines (the PLC, later upstream links) and how they are doing.
 *
 * <p>An output that has a connection worth watching registers a
 * {@link io.linesight.api.output.MonitoredOutput} service beside its
 * {@link io.linesight.api.inspection.ResultSink}; the console and the SCADA server find those services
 * (whiteboard) and show each {@link io.linesight.api.output.OutputStatus}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.output;
