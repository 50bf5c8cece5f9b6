package io.linesight.camera.javacv;

import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera read through JavaCV/FFmpeg: a video file, an RTSP or HTTP MJPEG stream, or a V4L2 device.
 * One instance per configuration file ({@code io.linesight.camera.javacv-<name>.cfg}), published with
 * the configured {@code source.id}.
 *
 * <p>It grabs only while a line is subscribed: a grab thread and a watchdog thread per subscription
 * (see {@link GrabSession}); frames are BGR24, numbered across reconnects. On live streams only live
 * pictures are delivered (their stream timestamp advances, and the stream had not stalled before they
 * came), with the capture time taken from the stream timestamp where it is a camera clock (RTSP, V4L2)
 * and the arrival time otherwise (see {@link StreamClock}). Losses (end of a live stream, errors, stalls)
 * are reported as {@link SourceState#LOST} with a detail naming the camera, its URL without credentials,
 * the cause and what to do; the source reconnects by itself with capped exponential backoff.
 * Deactivation stops the threads and releases every grabber.
 */
@Component(service = FrameSource.class, configurationPid = CameraSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CameraConfig.class, factory = true)
public class FfmpegCamera implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegCamera.class);

    private final CameraSettings settings;
    private final AtomicLong sequence = new AtomicLong();
    private final Object lock = new Object();
    private volatile GrabSession session;

    @Activate
    public FfmpegCamera(CameraConfig config) {
        this(CameraSettings.from(config));
    }

    FfmpegCamera(CameraSettings settings) {
        this.settings = settings;
        LOG.info("FFmpeg camera {}", settings.summary());
        if (settings.address().credentialsInUrl()) {
            LOG.warn("Camera '{}': its url holds credentials, which are published with the service properties; "
                    + "move them to user and .password", settings.sourceId());
        }
    }

    /** Stops grabbing and both threads, releasing the grabber. */
    @Deactivate
    public void deactivate() {
        synchronized (lock) {
            stopSession("camera '" + settings.sourceId() + "' deactivated");
        }
    }

    @Override
    public String id() {
        return settings.sourceId();
    }

    @Override
    public String description() {
        return settings.kind().label() + " " + settings.address().safe();
    }

    @Override
    public SourceState state() {
        GrabSession current = session;
        return current == null ? SourceState.STOPPED : current.state();
    }

    /** The validated settings it runs with. */
    CameraSettings settings() {
        return settings;
    }

    /** Live-stream pictures dropped since the current subscription began (none without a subscriber). */
    GrabSession.DroppedPictures droppedPictures() {
        GrabSession current = session;
        return current == null ? new GrabSession.DroppedPictures(0, 0) : current.droppedPictures();
    }

    /** Why the camera is in its state (the detail last reported), or empty. */
    String stateDetail() {
        GrabSession current = session;
        return current == null ? "" : current.detail();
    }

    @Override
    public Subscription subscribe(FrameListener listener) {
        GrabSession started;
        synchronized (lock) {
            stopSession("replaced by a new subscriber");
            started = new GrabSession(settings, listener, sequence);
            session = started;
            started.start();
        }
        return () -> unsubscribe(started);
    }

    private void unsubscribe(GrabSession subscription) {
        synchronized (lock) {
            if (session == subscription) {
                stopSession("unsubscribed");
            }
        }
    }

    /** Caller holds {@link #lock}. */
    private void stopSession(String why) {
        GrabSession current = session;
        session = null;
        if (current != null) {
            current.stop(why);
        }
    }
}
