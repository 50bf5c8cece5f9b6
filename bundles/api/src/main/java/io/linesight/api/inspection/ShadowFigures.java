package io.linesight.api.inspection;

import io.linesight.api.model.ModelInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The live figures of a line's shadow trial: a candidate model judging the same frames as the active model, off the
 * hot path, never driving outputs. Immutable; a snapshot taken when asked.
 *
 * @param lineId             the line
 * @param candidate          the model on trial
 * @param active             the line's active model the candidate is compared with
 * @param state              see {@link State}
 * @param stopReason         why the trial stopped (an error, NaN, overload, an operator, a promotion), or empty while
 *                           it runs
 * @param framesJudged       frames both models judged
 * @param framesSkipped      frames the active model judged that the candidate did not (the hand-off was full)
 * @param verdictAgreement   share of judged frames where both verdicts are the same (0 before the first frame)
 * @param top1Agreement      share of judged frames where both name the same top-1 class (a detector's most confident
 *                           object, or none)
 * @param confusion          active verdict x candidate verdict counts, row-major over {@link Verdict#values()}
 *                           (9 entries: row = active, column = candidate)
 * @param activeConfidence   histogram of the active model's top-1 confidence, 10 bins of 0.1 from 0 to 1
 * @param candidateConfidence the same for the candidate
 * @param activeLatencyP50Ms  median inference time of the active model on the judged frames, milliseconds
 * @param activeLatencyP95Ms  95th percentile of the same
 * @param candidateLatencyP50Ms median inference time of the candidate, milliseconds
 * @param candidateLatencyP95Ms 95th percentile of the same
 * @param errors             frames the candidate failed on (the first one stops the trial)
 * @param disagreementsSaved disagreeing frames saved for review (both results beside the image)
 * @param rule               the promotion rule as configured on the line, in words
 * @param unmet              what the rule still lacks, in words; empty when it holds
 * @param autoPromote        whether the line's configuration lets the deployment promote at READY_TO_PROMOTE
 * @param startedAt          when the trial started
 */
public record ShadowFigures(
        String lineId,
        ModelInfo candidate,
        ModelInfo active,
        State state,
        String stopReason,
        long framesJudged,
        long framesSkipped,
        double verdictAgreement,
        double top1Agreement,
        List<Long> confusion,
        List<Long> activeConfidence,
        List<Long> candidateConfidence,
        double activeLatencyP50Ms,
        double activeLatencyP95Ms,
        double candidateLatencyP50Ms,
        double candidateLatencyP95Ms,
        long errors,
        long disagreementsSaved,
        String rule,
        String unmet,
        boolean autoPromote,
        Instant startedAt) {

    /** Bins of each confidence histogram. */
    public static final int BINS = 10;

    /** Where a trial stands. */
    public enum State {
        /** Judging frames; the promotion rule does not hold yet. */
        RUNNING,
        /** Judging frames, and the promotion rule holds: {@code model:promote} (or the rule itself) may promote. */
        READY_TO_PROMOTE,
        /** Stopped for {@link #stopReason()}; the candidate is closed and the figures are kept until the next trial. */
        STOPPED,
        /** The candidate became the line's active model; the figures are those it was promoted on. */
        PROMOTED
    }

    public ShadowFigures {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(state, "state");
        confusion = List.copyOf(confusion);
        activeConfidence = List.copyOf(activeConfidence);
        candidateConfidence = List.copyOf(candidateConfidence);
        if (confusion.size() != Verdict.values().length * Verdict.values().length) {
            throw new IllegalArgumentException("confusion holds " + confusion.size() + " counts, needs 9");
        }
        stopReason = stopReason == null ? "" : stopReason;
        unmet = unmet == null ? "" : unmet;
    }

    /** Frames the active model judged {@code activeVerdict} and the candidate {@code candidateVerdict}. */
    public long confusion(Verdict activeVerdict, Verdict candidateVerdict) {
        return confusion.get(activeVerdict.ordinal() * Verdict.values().length + candidateVerdict.ordinal());
    }

    /** Candidate p95 over active p95 (0 while either is unknown). */
    public double latencyRatio() {
        return activeLatencyP95Ms <= 0 || candidateLatencyP95Ms <= 0 ? 0 : candidateLatencyP95Ms / activeLatencyP95Ms;
    }

    /** True while the candidate still judges frames. */
    public boolean running() {
        return state == State.RUNNING || state == State.READY_TO_PROMOTE;
    }

    /** One line for records and logs: frames, agreement, latency ratio, errors. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "%d frames judged (%d skipped), verdict agreement %.2f %%, top-1 agreement %.2f %%,"
                        + " latency p95 %.1f ms vs %.1f ms active (ratio %.2f), %d errors",
                framesJudged, framesSkipped, verdictAgreement * 100, top1Agreement * 100, candidateLatencyP95Ms,
                activeLatencyP95Ms, latencyRatio(), errors);
    }
}
