/**
 * How the runtime's parts tell the launcher what they achieved at start-up: the network endpoints they listen on.
 *
 * <p>A component that opens a listening socket (OPC UA server, telnet console, PLC simulator) registers a
 * {@link io.linesight.api.runtime.ListeningEndpoint} service once it knows whether it could bind. The launcher
 * reads only the service properties, so it needs no class of this bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.runtime;
