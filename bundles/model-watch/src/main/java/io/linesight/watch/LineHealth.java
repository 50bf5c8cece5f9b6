package io.linesight.watch;

import io.linesight.api.model.ModelInfo;
import io.linesight.api.watch.HealthWindowStatus;
import io.linesight.api.watch.HealthWindowStatus.State;
import java.time.Instant;

/**
 * One line's health window and what it needs: the latest frames of the running model (its figures become the
 * "previous" ones when the line switches), and the window of the model under watch. A window opens when the line is
 * seen with another model than before; the first model the watch sees on a line gets none (it cannot tell a restart's
 * restore from an activation), nor does the model the health window itself rolled back to (no ping-pong).
 *
 * <p>Threads: the line's inference thread ({@link #judged}), the threads that announce a line's status and the
 * evaluator ({@link #statusSeen}), the evaluator ({@link #openWindow}, {@link #close}) and readers ({@link #status}).
 * Every method takes this object's lock for a few field updates; the window's frames are fixed arrays.
 */
final class LineHealth {

    /** The window's figures as the evaluator sees them at one moment. */
    record OpenWindow(Object token, String model, String modelId, String sha256, String previousModel,
                      ModelFrames.Figures figures, ModelFrames.Figures previous, long inferenceErrors, long judged,
                      long openedAtMs, boolean announced) {
    }

    /** One window: the model under watch and what it did since it was first seen. Guarded by the owner's lock. */
    private static final class Window {
        final ModelInfo model;
        final String previousModel;
        final ModelFrames.Figures previous;
        final long openedAtMs;
        final ModelFrames frames;
        long judged;
        long inferenceErrors;
        boolean announced;
        State state = State.OPEN;
        String note = "";

        Window(ModelInfo model, String previousModel, ModelFrames.Figures previous, long openedAtMs, int capacity) {
            this.model = model;
            this.previousModel = previousModel;
            this.previous = previous;
            this.openedAtMs = openedAtMs;
            this.frames = new ModelFrames(capacity);
        }
    }

    private final String lineId;
    private final HealthSettings settings;
    private final ModelFrames latest;
    private ModelInfo current;
    private Window window;
    private long lastErrorCount = -1;
    /** Set while the health window rolls this line back: the next model seen gets no window (see class comment). */
    private boolean returning;

    LineHealth(String lineId, HealthSettings settings) {
        this.lineId = lineId;
        this.settings = settings;
        this.latest = new ModelFrames(settings.baselineFrames());
    }

    /** Line thread: one frame judged by {@code model}; {@code errorCount} is the line's inference-error counter. */
    synchronized void judged(ModelInfo model, boolean reject, long inferenceNanos, long errorCount, long nowMs) {
        errorsSeen(errorCount);
        modelSeen(model, nowMs);
        latest.add(reject, inferenceNanos);
        Window w = window;
        if (w != null && w.state == State.OPEN && !reachedFrames(w)) {
            w.frames.add(reject, inferenceNanos);
            w.judged++;
        }
    }

    /** Any thread: the line's status, without a frame (a model loaded, the evaluator's poll). */
    synchronized void statusSeen(ModelInfo model, long errorCount, long nowMs) {
        errorsSeen(errorCount); // first: errors counted before the switch was seen belong to the model before
        if (model != null) {
            modelSeen(model, nowMs);
        }
    }

    /** Evaluator: the window while it is open, or null. */
    synchronized OpenWindow openWindow() {
        Window w = window;
        if (w == null || w.state != State.OPEN) {
            return null;
        }
        return new OpenWindow(w, w.model.displayName(), w.model.name() + "@" + w.model.version(), w.model.sha256(),
                w.previousModel, w.frames.figures(), w.previous, w.inferenceErrors, w.judged, w.openedAtMs, w.announced);
    }

    /** Evaluator: the window was announced in the log (once per window). */
    synchronized void announced(Object token) {
        if (window == token) {
            window.announced = true;
        }
    }

    /** Evaluator: closes the window {@code token} (if it is still the open one) in {@code state}, saying why. */
    synchronized boolean close(Object token, State state, String note) {
        Window w = window;
        if (w != token || w.state != State.OPEN) {
            return false;
        }
        w.state = state;
        w.note = note;
        return true;
    }

    /**
     * Evaluator, just before it asks for a rollback: the window {@code token} (if still open) takes the state
     * ROLLED_BACK, and the next model the line is seen with, the one the rollback returns to, gets no window.
     * {@link #settle} corrects the state if the rollback fails.
     *
     * @return false when the window is no longer the open one (the line switched meanwhile): no rollback then
     */
    synchronized boolean rollingBack(Object token, String note) {
        if (!close(token, State.ROLLED_BACK, note)) {
            return false;
        }
        returning = true;
        return true;
    }

    /** Evaluator: the rollback's outcome for the window {@code token}: its final state and note. */
    synchronized void settle(Object token, State state, String note) {
        if (window == token) {
            window.state = state;
            window.note = note;
        }
        if (state != State.ROLLED_BACK) {
            returning = false;
        }
    }

    /** True when the window reached its frame limit (it then takes no more frames and closes at the next evaluation). */
    private boolean reachedFrames(Window w) {
        return settings.windowFrames() > 0 && w.judged >= settings.windowFrames();
    }

    synchronized HealthWindowStatus status(long nowMs) {
        Window w = window;
        if (w == null) {
            return new HealthWindowStatus(lineId, "", "", State.NONE, 0, -1, 0, -1, 0, 0, 0, -1, "",
                    Instant.ofEpochMilli(nowMs));
        }
        ModelFrames.Figures f = w.frames.figures();
        boolean known = w.previous.frames() > 0;
        long remaining = w.state == State.OPEN && settings.windowMs() > 0
                ? Math.max(0, w.openedAtMs + settings.windowMs() - nowMs) : -1;
        return new HealthWindowStatus(lineId, w.model.displayName(), w.previousModel, w.state, w.judged, remaining,
                f.rejectRate(), known ? w.previous.rejectRate() : -1, w.previous.frames(), w.inferenceErrors,
                f.latencyP95Ms(), known ? w.previous.latencyP95Ms() : -1, w.note, Instant.ofEpochMilli(nowMs));
    }

    private void modelSeen(ModelInfo model, long nowMs) {
        if (current != null && same(current, model)) {
            return;
        }
        ModelInfo before = current;
        ModelFrames.Figures previous = latest.figures();
        current = model;
        latest.clear();
        if (window != null && window.state == State.OPEN) {
            window.state = State.SUPERSEDED;
            window.note = "the line switched to " + model.displayName() + " before the window closed";
        }
        if (before == null || !settings.enabled()) {
            return; // the first model seen on this line: no window (see the class comment)
        }
        if (returning) {
            returning = false; // the rolled-back window stays the line's status; the returned-to model gets none
            return;
        }
        window = new Window(model, before.displayName(), previous, nowMs, settings.windowCapacity());
    }

    private void errorsSeen(long errorCount) {
        if (errorCount < 0) {
            return;
        }
        // the first count seen is history; a count below the last one means the counters were reset
        long since = lastErrorCount < 0 ? 0 : errorCount < lastErrorCount ? errorCount : errorCount - lastErrorCount;
        lastErrorCount = errorCount;
        Window w = window;
        if (w != null && w.state == State.OPEN && since > 0) {
            w.inferenceErrors += since;
        }
    }

    private static boolean same(ModelInfo a, ModelInfo b) {
        return a.name().equals(b.name()) && a.version().equals(b.version()) && a.sha256().equals(b.sha256());
    }
}
