package io.linesight.line;

import io.linesight.api.frame.Frame;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.ShadowFigures.State;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate model judging the line's frames beside the active one, off the hot path. The inference thread offers
 * each frame after its verdict was published ({@link #offer}); the trial's own thread takes the newest, runs the
 * candidate and the line's decision rules, and compares. Nothing it does reaches a sink or an output.
 *
 * <p>The trial stops (never the line) when the candidate throws, answers NaN, or is overloaded (see
 * {@link ShadowStatistics}), when an operator stops it, and when the line's active model changes (a promotion ends it
 * as PROMOTED). Its thread is the only one that runs or closes the candidate: it closes it on its way out.
 */
final class ShadowTrial {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowTrial.class);
    private static final long TAKE_TIMEOUT_MS = 250;

    /** What the inference thread hands over: the frame, the active model's published event and its inference time. */
    record Sample(Frame frame, InspectionEvent active, long activeLatencyNanos) {
    }

    /** Told once, on the thread that stopped the trial. */
    interface StopListener {
        void stopped(ShadowTrial trial, String reason, boolean failure);
    }

    private record End(State state, String reason) {
    }

    private final String lineId;
    private final LoadedModel candidate;
    private final ModelInfo candidateInfo;
    private final ModelInfo activeInfo;
    private final Supplier<DecisionRules> rules;
    private final ReviewArchive disagreements;
    private final StopListener listener;
    private final ShadowStatistics statistics = new ShadowStatistics();
    private final ShadowHandOff handOff = new ShadowHandOff();
    private final AtomicReference<End> end = new AtomicReference<>();
    private final Instant startedAt = Instant.now();
    private final Thread thread;

    /**
     * @param disagreements where frames the two models judge differently are saved, or null (review.maxFrames=0);
     *                      the trial closes it
     */
    ShadowTrial(String lineId, LoadedModel candidate, ModelInfo activeInfo, Supplier<DecisionRules> rules,
            ReviewArchive disagreements, StopListener listener) {
        this.lineId = lineId;
        this.candidate = candidate;
        this.candidateInfo = candidate.info();
        this.activeInfo = activeInfo;
        this.rules = rules;
        this.disagreements = disagreements;
        this.listener = listener;
        this.thread = new Thread(this::run, "line-" + lineId + "-shadow");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY); // a hint only: the active path comes first
    }

    void start() {
        thread.start();
    }

    ModelInfo candidate() {
        return candidateInfo;
    }

    boolean running() {
        return end.get() == null;
    }

    /**
     * Inference thread: hands over a judged frame without waiting. Frames judged by another model than the one the
     * trial compares with (the instant of a swap) are not offered.
     */
    void offer(Frame frame, InspectionEvent active, long activeLatencyNanos) {
        if (end.get() != null || !same(active.model(), activeInfo)) {
            return;
        }
        statistics.offered(handOff.offer(new Sample(frame, active, activeLatencyNanos)));
    }

    /**
     * Any thread: ends the trial in {@code state} for {@code reason}; false when it had ended already. The candidate
     * is closed by the trial's thread once its frame in flight is done ({@link #awaitEnd} waits for that).
     */
    boolean stop(String reason, State state, boolean failure) {
        if (!end.compareAndSet(null, new End(state, reason))) {
            return false;
        }
        listener.stopped(this, reason, failure);
        return true;
    }

    /** Stops the trial when the overload rule breaks; the line's watchdog calls it too, in case the candidate hangs. */
    void checkOverload() {
        String overload = statistics.overload();
        if (overload != null) {
            stop(overload, State.STOPPED, true);
        }
    }

    /** Waits until the trial's thread closed the candidate (at most {@code timeoutMs}). */
    void awaitEnd(long timeoutMs) {
        try {
            thread.join(timeoutMs);
            if (thread.isAlive()) {
                LOG.warn("Line '{}': the shadow candidate {} is still in a frame after {} ms; it is closed when that"
                        + " frame is done", lineId, candidateInfo.displayName(), timeoutMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The figures now, judged against {@code rule}. */
    ShadowFigures figures(ShadowRule rule) {
        ShadowStatistics.Snapshot s = statistics.snapshot();
        End ended = end.get();
        String unmet = rule.unmet(s.judged(), s.verdictAgreement(), s.latencyRatio(), s.errors());
        State state = ended != null ? ended.state() : unmet.isEmpty() ? State.READY_TO_PROMOTE : State.RUNNING;
        return new ShadowFigures(lineId, candidateInfo, activeInfo, state, ended == null ? "" : ended.reason(),
                s.judged(), s.skipped(), s.verdictAgreement(), s.top1Agreement(), s.confusion(), s.activeHistogram(),
                s.candidateHistogram(), s.activeP50Ms(), s.activeP95Ms(), s.candidateP50Ms(), s.candidateP95Ms(),
                s.errors(), disagreements == null ? 0 : disagreements.saved(), rule.describe(), unmet,
                rule.autoPromote(), startedAt);
    }

    // ---- the trial's thread -------------------------------------------------------------------------

    private void run() {
        try {
            while (end.get() == null) {
                Sample sample = handOff.take(TAKE_TIMEOUT_MS);
                if (sample != null && end.get() == null) {
                    judge(sample);
                }
                checkOverload();
            }
        } catch (InterruptedException e) {
            stop("the trial's thread was interrupted", State.STOPPED, false);
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) { // a candidate that breaks its thread stops the trial, not the line
            statistics.error();
            stop("the candidate crashed: " + e, State.STOPPED, true);
        } finally {
            candidate.close();
            if (disagreements != null) {
                disagreements.close();
            }
        }
    }

    private void judge(Sample sample) {
        Frame frame = sample.frame();
        long start = System.nanoTime();
        InferenceResult result;
        try {
            result = candidate.infer(frame);
        } catch (InferenceException | RuntimeException e) {
            statistics.error();
            stop("the candidate failed on frame " + frame.sequence() + ": " + e.getMessage(), State.STOPPED, true);
            return;
        }
        long took = System.nanoTime() - start;
        if (ResultFacts.hasNaN(result)) {
            statistics.error();
            stop("the candidate answered NaN on frame " + frame.sequence() + ": its model or export is broken",
                    State.STOPPED, true);
            return;
        }
        DecisionRules.Decision decision = rules.get().decide(result, candidateInfo.labels());
        InspectionEvent active = sample.active();
        boolean agree = statistics.record(
                new ShadowStatistics.Outcome(active.verdict(), ResultFacts.topLabel(active.result()),
                        ResultFacts.topConfidence(active.result()), sample.activeLatencyNanos()),
                new ShadowStatistics.Outcome(decision.verdict(), ResultFacts.topLabel(result),
                        ResultFacts.topConfidence(result), took));
        if (!agree && disagreements != null) {
            InspectionEvent judged = new InspectionEvent(lineId, frame.sourceId(), frame.sequence(), frame.captureNanos(),
                    frame.captureTime(), candidateInfo, result, decision.verdict(), decision.reason(),
                    new StageLatencies(0, result.preprocessNanos(), result.inferenceNanos(), result.postprocessNanos(),
                            0, took), frame.truth());
            disagreements.offer(frame, image -> disagreement(active, judged, image));
        }
        LOG.debug("Line '{}': shadow frame {}: active {}, candidate {} in {} ms", lineId, frame.sequence(),
                active.verdict(), decision.verdict(), TimeUnit.NANOSECONDS.toMillis(took));
    }

    /** Both results beside the saved image. */
    static String disagreement(InspectionEvent active, InspectionEvent candidate, String image) {
        return "{\n\"kind\": \"shadow-disagreement\",\n\"image\": \"" + image + "\",\n\"active\": "
                + ReviewArchive.describe(active, image).trim() + ",\n\"candidate\": "
                + ReviewArchive.describe(candidate, image).trim() + "\n}\n";
    }

    static boolean same(ModelInfo a, ModelInfo b) {
        return a.name().equals(b.name()) && a.version().equals(b.version()) && a.sha256().equalsIgnoreCase(b.sha256());
    }
}
