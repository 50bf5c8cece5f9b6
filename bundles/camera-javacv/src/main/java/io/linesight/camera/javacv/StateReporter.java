package io.linesight.camera.javacv;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.SourceState;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door between a camera's threads and its subscriber: delivers frames and state changes one at
 * a time (the grab thread and the watchdog both report), never after {@link #close}, and logs each loss
 * once (WARN) and each return once (INFO); retries in between are DEBUG.
 */
final class StateReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StateReporter.class);

    private final String sourceId;
    private final String where;
    private final String retrying;
    private final Object lock = new Object();
    private FrameListener listener;
    private volatile SourceState state = SourceState.CONNECTING;
    private volatile String detail = "";
    private long lostSinceNanos;
    private int lossReports;
    private long listenerFailures;

    StateReporter(CameraSettings settings, FrameListener listener) {
        this.sourceId = settings.sourceId();
        this.where = "camera '" + settings.sourceId() + "' at " + settings.address().safe();
        int maxMs = settings.reconnectBackoffMaxMs();
        this.retrying = "retrying every " + (maxMs < 1000 ? maxMs + " ms" : seconds(maxMs) + " s") + " at most";
        this.listener = listener;
    }

    SourceState state() {
        return state;
    }

    String detail() {
        return detail;
    }

    void connecting() {
        synchronized (lock) {
            notify(SourceState.CONNECTING, "connecting to " + where);
        }
    }

    /** Pictures arrive (first time, or again after a loss). */
    void streaming(String streamInfo) {
        synchronized (lock) {
            if (state == SourceState.STREAMING || listener == null) {
                return;
            }
            if (state == SourceState.LOST) {
                LOG.info("Camera '{}' is back after {} s ({} reports while lost): {}", sourceId,
                        seconds((System.nanoTime() - lostSinceNanos) / 1_000_000), lossReports, streamInfo);
            } else {
                LOG.info("Camera '{}' streaming: {}", sourceId, streamInfo);
            }
            notify(SourceState.STREAMING, where + ": " + streamInfo);
        }
    }

    /** The stream failed, ended or stalled; {@code problem} says why and what to do. */
    void lost(String problem) {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            String text = where + ": " + problem + "; " + retrying;
            if (state != SourceState.LOST) {
                lostSinceNanos = System.nanoTime();
                lossReports = 0;
                LOG.warn("Camera '{}' lost: {}", sourceId, text);
            } else if (text.equals(detail)) {
                lossReports++;
                LOG.debug("Camera '{}' still lost: {}", sourceId, problem);
                return;
            } else {
                LOG.debug("Camera '{}' still lost, now: {}", sourceId, problem);
            }
            lossReports++;
            notify(SourceState.LOST, text);
        }
    }

    /** A file played to its end and does not loop. */
    void ended(String why) {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            LOG.info("Camera '{}' stopped: {}", sourceId, why);
            notify(SourceState.STOPPED, where + ": " + why);
        }
    }

    void deliver(Frame frame) {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            try {
                listener.onFrame(frame);
            } catch (RuntimeException e) {
                listenerFailed(e);
            }
        }
    }

    /** Tells the subscriber STOPPED and lets nothing through afterwards; harmless twice. */
    void close(String why) {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            notify(SourceState.STOPPED, why);
            listener = null;
        }
    }

    /** Caller holds {@link #lock}. */
    private void notify(SourceState newState, String newDetail) {
        state = newState;
        detail = newDetail;
        try {
            listener.onSourceState(newState, newDetail);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private void listenerFailed(RuntimeException e) {
        if (listenerFailures++ == 0) {
            LOG.warn("Camera '{}': its subscriber threw; the camera goes on (further failures at DEBUG)", sourceId, e);
        } else {
            LOG.debug("Camera '{}': subscriber failed again ({} times): {}", sourceId, listenerFailures, e.toString());
        }
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, ms % 1000 == 0 ? "%.0f" : "%.1f", ms / 1000.0);
    }
}
