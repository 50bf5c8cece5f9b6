/**
 * Inspection lines, their verdicts and the outputs that receive them.
 *
 * <p>An {@link io.linesight.api.inspection.InspectionLine} judges frames and hands every
 * {@link io.linesight.api.inspection.InspectionEvent} to every
 * {@link io.linesight.api.inspection.ResultSink} service it finds (whiteboard pattern): the PLC
 * output, the SCADA server, the journal, the dashboard.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.linesight.api.inspection;
