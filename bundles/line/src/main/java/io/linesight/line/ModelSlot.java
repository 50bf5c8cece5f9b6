package io.linesight.line;

import io.linesight.api.frame.Frame;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The line's active model. A frame is judged entirely by the model that was active when it started:
 * inference holds the slot's lock, so installing or retiring a model waits for the frame in flight and
 * happens between two frames. The model that leaves the slot is returned to the caller to close, off the
 * inference thread.
 */
final class ModelSlot {

    /** A result together with the model that produced it. */
    record Inference(ModelInfo model, InferenceResult result) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private LoadedModel active;
    private volatile ModelInfo activeInfo;

    /** Judges the frame with the active model, or returns {@code null} when no model is loaded. */
    Inference infer(Frame frame) throws InferenceException {
        lock.lock();
        try {
            if (active == null) {
                return null;
            }
            return new Inference(active.info(), active.infer(frame));
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@code next} active between two frames and returns the model it replaced (or null) for closing. */
    LoadedModel install(LoadedModel next) {
        lock.lock();
        try {
            LoadedModel previous = active;
            active = next;
            activeInfo = next == null ? null : next.info();
            return previous;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the slot and returns the model that was active (or null) for closing. */
    LoadedModel retire() {
        return install(null);
    }

    /** Identity of the active model; never blocks on inference. */
    Optional<ModelInfo> info() {
        return Optional.ofNullable(activeInfo);
    }
}
