/**
 * Model packages from arrival to activation: the local model repository, verification, the gate, the
 * atomic swap on a line, the activation history and rollback. One
 * {@link io.linesight.api.deploy.ModelDeployment} service serves every arrival path (drop folder, HTTP,
 * console) and every operator path (console, OPC UA methods, web), so they all go through the same
 * checks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.linesight.api.deploy;
