package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a model with the preprocessing of frame N+1 overlapped with the inference of frame N: a staging
 * thread fills one input slot of the {@link OnnxModel} while the calling thread runs the engine on the
 * other. Results come out in frame order. Bounded by construction: at most one frame is staged ahead.
 *
 * <p>Worth it when preprocessing is a noticeable share of a frame's time and a core is free while the
 * engine runs; on a machine whose cores the engine's intra-op threads already fill, the stager competes
 * with them (measure: {@code benchmarks/run.sh}).
 */
public final class OverlappedInference implements AutoCloseable {

    private final OnnxModel model;
    private final ExecutorService stager;

    public OverlappedInference(OnnxModel model) {
        this.model = model;
        this.stager = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "linesight-stager-" + model.info().name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Judges frames from {@code frames} until it returns null, handing each result to {@code results}
     * on the calling thread, in order.
     *
     * @return the number of frames judged
     */
    public long run(Supplier<Frame> frames, Consumer<InferenceResult> results) throws InferenceException {
        Frame first = frames.get();
        if (first == null) {
            return 0;
        }
        Future<OnnxModel.Staged> pending = stager.submit(() -> model.stage(first, 0));
        int nextSlot = 1;
        long judged = 0;
        while (pending != null) {
            OnnxModel.Staged current = await(pending);
            Frame next = frames.get();
            int slot = nextSlot;
            // The next frame goes into the slot that is not about to run; it was freed when its frame completed.
            pending = next == null ? null : stager.submit(() -> model.stage(next, slot));
            nextSlot = 1 - nextSlot;
            results.accept(model.complete(current));
            judged++;
        }
        return judged;
    }

    private static OnnxModel.Staged await(Future<OnnxModel.Staged> pending) throws InferenceException {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException("interrupted while a frame was being preprocessed", e);
        } catch (ExecutionException e) {
            throw new InferenceException("preprocessing failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Stops the staging thread; the model stays open (its owner closes it). */
    @Override
    public void close() {
        stager.shutdownNow();
    }
}
