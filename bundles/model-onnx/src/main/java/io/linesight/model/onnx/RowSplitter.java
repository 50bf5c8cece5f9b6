package io.linesight.model.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Splits the rows of one frame's preprocessing between the calling thread and helper threads owned by one
 * model ({@code preprocessThreads}). It pays where cores are idle while the inference thread preprocesses:
 * on a 4-core box whose sessions use 2 intra-op threads. On the 2-core target with ONNX Runtime's spinning
 * threads (the default) the helper competes with a spinning pool thread and the split was slower (0.79 against
 * 0.49 ms for a 720p frame to 224 x 224), hence the default of 1. Never while the session runs: the overlapped
 * path ({@link OverlappedInference}) preprocesses on one thread, beside the engine. The helpers stop when the
 * model closes.
 */
final class RowSplitter implements AutoCloseable {

    /** Rows of output a part must have at least; below that the handover costs more than it saves. */
    private static final int MIN_ROWS_PER_PART = 32;

    /** Work on the output rows {@code [from, to)}. */
    interface Rows {
        void run(int from, int to);
    }

    private final int parts;
    private final ExecutorService helpers; // null: everything on the calling thread

    /** @param threads threads one frame may use, the calling thread included (1 = no helpers) */
    RowSplitter(int threads, String name) {
        this.parts = Math.max(1, threads);
        this.helpers = parts == 1 ? null : Executors.newFixedThreadPool(parts - 1, r -> {
            Thread t = new Thread(r, "linesight-preprocess-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    private static final RowSplitter INLINE = new RowSplitter(1, "inline");

    /** A splitter that never hands work over (shared; it owns no thread). */
    static RowSplitter inline() {
        return INLINE;
    }

    /** Runs {@code work} over {@code [0, rows)}, in parts when helpers exist; returns when every part is done. */
    void forRows(int rows, Rows work) {
        int n = helpers == null ? 1 : Math.min(parts, rows / MIN_ROWS_PER_PART);
        if (n <= 1) {
            work.run(0, rows);
            return;
        }
        List<Future<?>> running = new ArrayList<>(n - 1);
        try {
            for (int p = 1; p < n; p++) {
                int from = rows * p / n;
                int to = rows * (p + 1) / n;
                running.add(helpers.submit(() -> work.run(from, to)));
            }
        } catch (RejectedExecutionException closed) {
            running.forEach(f -> f.cancel(false));
            work.run(0, rows); // the model is closing: finish on this thread
            return;
        }
        work.run(0, rows / n);
        for (Future<?> f : running) {
            await(f);
        }
    }

    private static void await(Future<?> part) {
        try {
            part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preprocessing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
