package io.linesight.model.onnx;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress lines for a long evaluation: one at every further 10 % of the images or after 5 s without a
 * line, whichever comes first. A run that finishes within its first 2 s prints nothing, so small
 * datasets give only the report. Under Gogo, {@code System.out} of the command's thread reaches the
 * calling console. One thread at a time.
 */
final class EvalProgress {

    static final long QUIET_NANOS = 2_000_000_000L;
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final LongSupplier clock;
    private final int total;
    private final long start;
    private long lastLine;
    private int lastTenth;

    EvalProgress(PrintStream out, LongSupplier clock, int total) {
        this.out = out;
        this.clock = clock;
        this.total = total;
        this.start = clock.getAsLong();
        this.lastLine = start;
    }

    /** Records that {@code done} of the images are finished, {@code unreadable} of them left out. */
    void update(int done, int unreadable) {
        long now = clock.getAsLong();
        int tenth = (int) (10L * done / total);
        if (now - start < QUIET_NANOS || done == total) {
            lastTenth = tenth;
            return;
        }
        if (tenth > lastTenth || now - lastLine >= INTERVAL_NANOS) {
            double seconds = (now - start) / 1e9;
            out.printf(Locale.ROOT, "eval: %d/%d images (%d %%), %d unreadable, %.1f images/s, %.0f s left%n",
                    done, total, 100L * done / total, unreadable, done / seconds,
                    (total - done) * seconds / Math.max(1, done));
            out.flush();
            lastLine = now;
            lastTenth = tenth;
        }
    }

    /** Seconds since the evaluation started. */
    double elapsedSeconds() {
        return (clock.getAsLong() - start) / 1e9;
    }
}
