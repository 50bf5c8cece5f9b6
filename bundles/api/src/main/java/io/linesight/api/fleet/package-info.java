/**
 * Fleet model delivery: the desired deployment a box pulls over its outbound connection, and how far each line has
 * come with it. The Sparkplug node hands desired states to the {@link io.linesight.api.fleet.FleetAgent} and reports
 * its {@link io.linesight.api.fleet.DeploymentStatus} upstream.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.fleet;
