/**
 * What happened in the runtime that an operator should see: camera lost, PLC lost, model refused, model
 * activated, inference errors. Components publish {@link io.linesight.api.event.RuntimeEvent}s to the
 * {@link io.linesight.api.event.EventBoard}; SCADA, the console and the web read its active alarms and
 * receive every event as {@link io.linesight.api.event.RuntimeEventListener}s (whiteboard pattern). 1.1: alarms
 * with a lifecycle ({@link io.linesight.api.event.Alarm}: raised, cleared, acknowledged) and their journal.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.linesight.api.event;
