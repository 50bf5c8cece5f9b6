package io.linesight.line;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.LoadedModel;
import java.time.Instant;
import java.util.Random;

/**
 * Runs a freshly loaded model on synthetic frames before the line swaps it in, off the hot path: the first frames
 * through a new session and a cold JIT take many times the steady time (session arenas, preprocessing plans for the
 * frame size, compiled Java), and a reject judged that late misses its eject instant. Frames of the camera's size
 * are used when one has been seen, so the preprocessing plan is the one the line will use.
 */
final class ModelWarmup {

    /** What the warm-up measured. */
    record Result(int runs, double firstMs, double lastMs) {
    }

    private ModelWarmup() {
    }

    /**
     * Runs the model until {@code runs} inferences are done or {@code budgetMs} has passed (at least one run).
     * A model that fails here is left to fail on real frames, where the line counts and reports it.
     */
    static Result warm(LoadedModel model, int width, int height, int runs, long budgetMs) {
        Frame frame = syntheticFrame(width, height);
        long deadline = System.nanoTime() + budgetMs * 1_000_000L;
        double first = 0;
        double last = 0;
        int done = 0;
        while (done < runs && (done == 0 || System.nanoTime() < deadline)) {
            long start = System.nanoTime();
            try {
                model.infer(frame);
            } catch (InferenceException | RuntimeException e) {
                break;
            }
            last = (System.nanoTime() - start) / 1e6;
            first = done == 0 ? last : first;
            done++;
        }
        return new Result(done, first, last);
    }

    /** A BGR frame of noise (fixed seed): no constant image the preprocessing could take a shortcut on. */
    static Frame syntheticFrame(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        new Random(7).nextBytes(pixels);
        return new Frame("warm-up", 0, System.nanoTime(), Instant.now(), width, height, PixelFormat.BGR24, pixels, null);
    }
}
