/**
 * Frames and the cameras that produce them.
 *
 * <p>A {@link io.linesight.api.frame.FrameSource} is an OSGi service published by a camera bundle.
 * An inspection line subscribes to exactly one source; the source pushes each grabbed frame to the
 * line, which keeps only the newest one in a bounded mailbox.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.frame;
