package io.linesight.api.inspection;

import io.linesight.api.frame.Frame;

/**
 * Optional companion of {@link ResultSink} for sinks that show pictures (the dashboard's last frame): a
 * result sink that also implements this interface receives, right after each
 * {@link ResultSink#publish}, the frame the event was judged on.
 *
 * <p>Called on the line's inference thread: keep a reference and return (frames are immutable once
 * delivered; never modify the pixels). Encoding or drawing belongs on the sink's own thread.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface InspectedFrameSink {

    void inspected(Frame frame, InspectionEvent event);
}
