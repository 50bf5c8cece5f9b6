package io.linesight.camera.sim;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.frame.SourceState;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated camera over a conveyor: one frame per part passing the trigger, at a fixed rate, with a
 * seeded schedule of defective parts. Each frame's {@link Frame#truth()} is the label the part
 * deserves ({@code ok} or {@code defect}), so end-to-end tests can score the line.
 *
 * <p>Frames are rendered on the camera's own thread only while a line is subscribed.
 */
@Component(service = FrameSource.class, configurationPid = ConveyorSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConveyorConfig.class, factory = true)
public class ConveyorCamera implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConveyorCamera.class);

    private final ConveyorSettings settings;
    private final ConveyorRenderer renderer;
    private final ScheduledExecutorService trigger;
    private final Object lock = new Object();
    private FrameListener listener;
    private ScheduledFuture<?> grabbing;
    private long partIndex;

    @Activate
    public ConveyorCamera(ConveyorConfig config) {
        this(ConveyorSettings.from(config));
    }

    ConveyorCamera(ConveyorSettings settings) {
        this.settings = settings;
        this.renderer = new ConveyorRenderer(settings.widthPx(), settings.heightPx());
        this.trigger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camera-sim-" + settings.sourceId());
            t.setDaemon(true);
            return t;
        });
        LOG.info("Simulated conveyor camera '{}': {}x{} BGR24, {} parts/s, defect rate {}, seed {}",
                settings.sourceId(), settings.widthPx(), settings.heightPx(), settings.partsPerSecond(),
                settings.defectRate(), settings.seed());
    }

    /** Stops grabbing and the trigger thread; public so tests of other bundles can drive the camera. */
    @Deactivate
    public void deactivate() {
        synchronized (lock) {
            stopGrabbing(SourceState.STOPPED, "camera '" + settings.sourceId() + "' deactivated");
        }
        trigger.shutdownNow();
        awaitTermination();
    }

    @Override
    public String id() {
        return settings.sourceId();
    }

    @Override
    public String description() {
        return "simulated conveyor " + settings.widthPx() + "x" + settings.heightPx() + " @ "
                + settings.partsPerSecond() + " parts/s (seed " + settings.seed() + ")";
    }

    @Override
    public SourceState state() {
        synchronized (lock) {
            return grabbing == null ? SourceState.STOPPED : SourceState.STREAMING;
        }
    }

    @Override
    public Subscription subscribe(FrameListener newListener) {
        synchronized (lock) {
            stopGrabbing(SourceState.STOPPED, "replaced by a new subscriber");
            listener = newListener;
            grabbing = trigger.scheduleAtFixedRate(this::grabOne, 0, settings.framePeriodNanos(), TimeUnit.NANOSECONDS);
        }
        newListener.onSourceState(SourceState.STREAMING, description());
        return () -> unsubscribe(newListener);
    }

    private void unsubscribe(FrameListener subscriber) {
        synchronized (lock) {
            if (listener == subscriber) {
                stopGrabbing(SourceState.STOPPED, "unsubscribed");
            }
        }
    }

    /** Caller holds {@link #lock}. */
    private void stopGrabbing(SourceState state, String why) {
        if (grabbing != null) {
            grabbing.cancel(false);
            grabbing = null;
        }
        if (listener != null) {
            FrameListener old = listener;
            listener = null;
            old.onSourceState(state, why);
        }
    }

    private void grabOne() {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
        }
        Frame frame = nextFrame();
        // Deliver under the lock: once unsubscribe has returned, no frame can reach the old listener.
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            try {
                listener.onFrame(frame);
            } catch (RuntimeException e) {
                LOG.warn("Camera '{}': frame listener failed: {}", settings.sourceId(), e.toString(), e);
            }
        }
    }

    /** Renders the next part; called on the trigger thread only. */
    Frame nextFrame() {
        long index = ++partIndex;
        long captureNanos = System.nanoTime();
        Instant captureTime = Instant.now();
        PartSpec part = PartSpec.draw(settings.seed(), index, settings.defectRate());
        byte[] pixels = renderer.render(part);
        return new Frame(settings.sourceId(), index, captureNanos, captureTime,
                settings.widthPx(), settings.heightPx(), PixelFormat.BGR24, pixels, part.defect().label());
    }

    private void awaitTermination() {
        try {
            if (!trigger.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Camera '{}': trigger thread did not stop within 5 s", settings.sourceId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
