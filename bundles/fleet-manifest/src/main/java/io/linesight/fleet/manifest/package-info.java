/**
 * The desired state of a LineSight box and its signature, shared by the runtime that obeys it and the fleet
 * tool that publishes it.
 *
 * <p>A {@link io.linesight.fleet.manifest.DeploymentManifest} ({@code linesight.deployment/1}) says which model
 * package the targeted boxes should run, where to download it, how to trial it and when to give up. It travels
 * inside a {@link io.linesight.fleet.manifest.SignedManifest} envelope ({@code linesight.signed/1}) whose Ed25519
 * signature covers the manifest bytes exactly as carried; a box opens the envelope with the public keys it trusts
 * ({@link io.linesight.fleet.manifest.KeyLookup}, usually {@link io.linesight.fleet.manifest.Keys#folder}). Keys
 * use the PEM files model packages are signed with. Everything refused is a
 * {@link io.linesight.fleet.manifest.ManifestException} whose message says what to fix.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.fleet.manifest;
