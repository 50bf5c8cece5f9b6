package io.linesight.api.frame;

/**
 * A camera: a real device or stream, a simulator, or a folder of images. Published as an OSGi
 * service with the service property {@value #SOURCE_ID} so a line can select it with a target filter
 * such as {@code (source.id=conveyor)}.
 *
 * <p>Life cycle: a source grabs only while it has a subscriber. It owns its grab thread and every
 * native resource (grabbers, converters) and releases them when the last subscription is closed or
 * the component is deactivated. A source never blocks on a slow subscriber.
 */
public interface FrameSource {

    /** Service property naming the source; unique within a runtime. */
    String SOURCE_ID = "source.id";

    /** The value of {@value #SOURCE_ID}. */
    String id();

    /** A human-readable description of where frames come from (a URL, a device, "simulated conveyor"). */
    String description();

    /** The current state. */
    SourceState state();

    /**
     * Starts delivering frames to {@code listener} until the returned subscription is closed. A source
     * serves one subscriber at a time; a second subscription replaces the first, whose listener gets
     * {@link SourceState#STOPPED}.
     */
    Subscription subscribe(FrameListener listener);

    /** Ends a subscription; closing twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
