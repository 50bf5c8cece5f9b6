package io.linesight.camera.sim;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import io.linesight.image.ImageDecodeException;
import io.linesight.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera that plays the images of a folder at a fixed rate (see {@link FolderPlaylist} for order and
 * labels). Each frame's {@link Frame#truth()} is the image's label, so a golden set replayed through a
 * whole line can be scored like the simulated conveyor.
 *
 * <p>Images are decoded to BGR24 by the runtime's one {@link ImageDecoder} (the pixels training, the gate and
 * {@code model:eval} see for the same file) on the camera's own thread, which exists only while a line is
 * subscribed. The folder is read at the start of every pass: images added while playing join the next
 * pass. A missing or empty folder is reported as {@link SourceState#LOST} and looked at again every
 * frame period; after the last image the camera loops or, with {@code loop=false}, reports
 * {@link SourceState#STOPPED}.
 */
@Component(service = FrameSource.class, configurationPid = FolderSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FolderConfig.class, factory = true)
public class FolderCamera implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FolderCamera.class);

    private final FolderSettings settings;
    private final Object lock = new Object();
    private FrameListener listener;
    private ScheduledExecutorService player;
    private SourceState state = SourceState.STOPPED;
    private List<FolderPlaylist.Entry> pass = List.of();
    private int next;
    private long sequence;
    private String problem;
    /** Images already reported as unreadable, so a loop does not repeat the WARN every pass. */
    private final java.util.Set<String> unreadable = new java.util.HashSet<>();

    @Activate
    public FolderCamera(FolderConfig config) {
        this(FolderSettings.from(config));
    }

    FolderCamera(FolderSettings settings) {
        this.settings = settings;
        LOG.info("Image-folder camera '{}': {} at {} frames/s, loop={}", settings.sourceId(),
                settings.folder().toAbsolutePath(), settings.framesPerSecond(), settings.loop());
    }

    /** Stops playing and the camera's thread. */
    @Deactivate
    public void deactivate() {
        ScheduledExecutorService stopped;
        synchronized (lock) {
            stopped = stop(SourceState.STOPPED, "camera '" + settings.sourceId() + "' deactivated");
        }
        awaitTermination(stopped);
    }

    @Override
    public String id() {
        return settings.sourceId();
    }

    @Override
    public String description() {
        return "image folder " + settings.folder() + " @ " + settings.framesPerSecond() + " frames/s";
    }

    @Override
    public SourceState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public Subscription subscribe(FrameListener newListener) {
        ScheduledExecutorService replaced;
        synchronized (lock) {
            replaced = stop(SourceState.STOPPED, "replaced by a new subscriber");
            listener = newListener;
            pass = List.of();
            next = 0;
            problem = null;
            player = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "camera-folder-" + settings.sourceId());
                t.setDaemon(true);
                return t;
            });
            player.scheduleAtFixedRate(this::playOne, 0, settings.framePeriodNanos(), TimeUnit.NANOSECONDS);
            report(SourceState.CONNECTING, "reading " + settings.folder());
        }
        awaitTermination(replaced);
        return () -> unsubscribe(newListener);
    }

    private void unsubscribe(FrameListener subscriber) {
        ScheduledExecutorService stopped = null;
        synchronized (lock) {
            if (listener == subscriber) {
                stopped = stop(SourceState.STOPPED, "unsubscribed");
            }
        }
        awaitTermination(stopped);
    }

    /** Caller holds {@link #lock}; returns the executor to wait for outside the lock. */
    private ScheduledExecutorService stop(SourceState newState, String why) {
        ScheduledExecutorService stopped = player;
        player = null;
        if (stopped != null) {
            stopped.shutdownNow();
        }
        if (listener != null) {
            report(newState, why);
            listener = null;
        }
        state = SourceState.STOPPED;
        return stopped;
    }

    /** One tick of the player thread: the next image, delivered under the lock. */
    private void playOne() {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            if (next >= pass.size() && !startPass()) {
                return;
            }
            while (next < pass.size()) {
                FolderPlaylist.Entry entry = pass.get(next++);
                Frame frame = read(entry);
                if (frame != null) {
                    deliver(frame, entry);
                    return;
                }
            }
        }
    }

    /** Caller holds {@link #lock}. False if there is nothing to play (lost, or ended). */
    private boolean startPass() {
        if (!pass.isEmpty() && !settings.loop()) {
            player.shutdown();
            report(SourceState.STOPPED, "end of folder after " + pass.size() + " images; set loop=true to play it again");
            listener = null;
            return false;
        }
        try {
            FolderPlaylist playlist = FolderPlaylist.scan(settings.folder());
            if (playlist.entries().isEmpty()) {
                return lost("folder " + settings.folder().toAbsolutePath() + " has no PNG or JPEG images");
            }
            if (pass.isEmpty()) {
                LOG.info("Camera '{}': {} images, {} labelled (labels from {})", settings.sourceId(),
                        playlist.entries().size(), playlist.labelled(), playlist.labelSource());
            }
            pass = playlist.entries();
            next = 0;
            return true;
        } catch (IOException | RuntimeException e) {
            return lost(Files.isDirectory(settings.folder())
                    ? "folder " + settings.folder().toAbsolutePath() + " cannot be read: " + e.getMessage()
                    : "folder " + settings.folder().toAbsolutePath() + " does not exist; check 'folder' in configuration "
                            + FolderSettings.PID);
        }
    }

    private boolean lost(String why) {
        if (!why.equals(problem)) {
            LOG.warn("Camera '{}' lost: {}", settings.sourceId(), why);
            problem = why;
            report(SourceState.LOST, "camera '" + settings.sourceId() + "': " + why);
        }
        return false;
    }

    private Frame read(FolderPlaylist.Entry entry) {
        try {
            Frame frame = ImageDecoder.decode(entry.file(), settings.sourceId(), sequence + 1, entry.truth());
            sequence++;
            return frame;
        } catch (ImageDecodeException | RuntimeException e) { // a runtime exception would end the player's schedule
            if (unreadable.add(entry.relativeName())) {
                LOG.warn("Camera '{}': image {} skipped: {}", settings.sourceId(), entry.relativeName(), e.getMessage());
            }
            return null;
        }
    }

    /** Caller holds {@link #lock}: once unsubscribe returned, no frame reaches the old listener. */
    private void deliver(Frame frame, FolderPlaylist.Entry entry) {
        if (state != SourceState.STREAMING) {
            if (problem != null) {
                LOG.info("Camera '{}' is back: {}", settings.sourceId(), settings.folder());
                problem = null;
            }
            report(SourceState.STREAMING, description());
        }
        try {
            listener.onFrame(frame);
        } catch (RuntimeException e) {
            LOG.warn("Camera '{}': frame listener failed on {}: {}", settings.sourceId(), entry.relativeName(), e.toString(), e);
        }
    }

    /** Caller holds {@link #lock}. */
    private void report(SourceState newState, String detail) {
        state = newState;
        try {
            listener.onSourceState(newState, detail);
        } catch (RuntimeException e) {
            LOG.warn("Camera '{}': listener failed on state {}: {}", settings.sourceId(), newState, e.toString(), e);
        }
    }

    private void awaitTermination(ScheduledExecutorService stopped) {
        if (stopped == null) {
            return;
        }
        try {
            if (!stopped.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Camera '{}': player thread did not stop within 5 s", settings.sourceId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
