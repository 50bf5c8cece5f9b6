package io.linesight.line;

import io.linesight.api.event.EventKind;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line while it runs: its camera subscription, latest-frame mailbox, inference thread, model slot, shadow trial,
 * statistics and watchdog, from one accepted configuration to the stop. {@link InspectionLineComponent} is its
 * Declarative Services shell: it parses configurations, keeps the bound services and creates one of these once a
 * configuration is accepted.
 *
 * <p>Every frame the camera delivers ends in exactly one place: inspected (PASS, REJECT or REVIEW) or dropped with a
 * counted {@link DropCause}. What the line is doing and why is one immutable {@link LineCondition}, replaced when a
 * condition changes; each status is that record plus the counters.
 */
final class RunningLine {

    private static final Logger LOG = LoggerFactory.getLogger(InspectionLineComponent.class);
    private static final long TAKE_TIMEOUT_MS = 250;
    /** Warm-up of every loaded model before it is swapped in: at most this many frames, within this time. */
    private static final int WARMUP_RUNS = 30;
    private static final long WARMUP_BUDGET_MS = 1500;
    private static final int WARMUP_DEFAULT_WIDTH = 640;
    private static final int WARMUP_DEFAULT_HEIGHT = 480;
    /**
     * A line still without a model this long after it started is a FAULT: the deployment gates a package in a few
     * seconds, so this only fires when nobody is activating one (the deployment bundle stopped or broken).
     */
    private static final long NO_MODEL_FAULT_NANOS = TimeUnit.SECONDS.toNanos(60);


    /** The shell's lock: the camera choice, the sinks and start/stop are one critical section with the shell's. */
    private final Object lifecycle;
    /** Every camera the runtime offers (the shell's, guarded by {@link #lifecycle}); the line picks its own. */
    private final CameraChoice cameras;
    /** The event board of the moment, through the shell (it may come and go). */
    private final BiConsumer<EventKind, String> events;
    /** Registered until the line first leaves STARTING, for the launcher (see StartingMarker). */
    private final StartingMarker startingMarker;
    private final String lineId;

    private final LatestFrameMailbox mailbox = new LatestFrameMailbox();
    private final LineStatistics statistics = new LineStatistics();
    private final ModelSlot modelSlot = new ModelSlot();
    private final FrameListener frameListener = new CameraListener();
    private final FrameNumbering numbering = new FrameNumbering();
    private final SinkFanout sinks;
    /** The running shadow trial, or the last one (its figures stay readable); swapped under {@link #lifecycle}. */
    private volatile ShadowTrial shadowTrial;

    private volatile LineSettings settings;
    private volatile ReviewArchive reviewArchive;
    private volatile boolean inferenceFailing;
    private Thread inferenceThread;
    private volatile boolean running;

    private volatile FrameSource camera;
    private FrameSource.Subscription subscription;
    private ScheduledExecutorService watchdog;
    /** nanoTime of the line's start. */
    private volatile long startedNanos;
    /** nanoTime of the last frame, or of the moment the line started waiting for one. */
    private volatile long lastFrameNanos;
    /** nanoTime since which no camera matches the line's filter; 0 while one does. */
    private volatile long noCameraSinceNanos;
    /** Why no camera matches (shown once noFrameFaultMs passed), or null. */
    private volatile String noCameraProblem;
    /** Why frames stopped (after noFrameFaultMs without one), or null. */
    private volatile String noFramesProblem;
    /** Width and height of the last camera frame (0 before the first), for the model warm-up. */
    private volatile long lastFrameSize;

    private volatile SourceState cameraState = SourceState.STOPPED;
    private volatile String cameraDetail = "";
    private volatile String modelProblem;
    private volatile Verdict lastVerdict;
    /**
     * What the line is doing and why, replaced (under {@link #stateLog}) by {@link #announceStatus} whenever a
     * condition changed; every status, the per-frame ones included, is built from it.
     */
    private volatile LineCondition condition;
    /** Guards {@link #publishedState} and {@link #condition}: the last state logged. */
    private final Object stateLog = new Object();
    private LineState publishedState;

    RunningLine(LineSettings settings, Object lifecycle, CameraChoice cameras, Map<ResultSink, Map<String, Object>> sinks,
            BiConsumer<EventKind, String> events, StartingMarker startingMarker) {
        this.settings = settings;
        this.lineId = settings.lineId();
        this.lifecycle = lifecycle;
        this.cameras = cameras;
        this.events = events;
        this.startingMarker = startingMarker;
        this.sinks = new SinkFanout(lineId);
        sinks.forEach(this.sinks::add);
        this.condition = new LineCondition(LineState.STARTING, "starting", settings.cameraTarget(), SourceState.STOPPED,
                Optional.empty());
    }

    // ---- start, reconfigure, stop ------------------------------------------------------------------

    /** Starts the threads and picks the camera; the caller holds {@link #lifecycle}. */
    void start() {
        reviewArchive = archiveFor(settings);
        running = true;
        lastFrameNanos = System.nanoTime();
        startedNanos = lastFrameNanos;
        inferenceThread = daemon(this::inferenceLoop, "line-" + lineId + "-inference");
        inferenceThread.start();
        LOG.info("Line '{}' starting: {}", lineId, InspectionLineComponent.describe(settings));
        chooseCamera();
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "line-" + lineId + "-watchdog"));
        long tickMs = Math.max(50, Math.min(250, settings.noFrameFaultMs() / 4));
        watchdog.scheduleWithFixedDelay(this::watch, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A valid new configuration: rules at once, archive and camera as needed; the caller holds {@link #lifecycle}.
     * A changed model.package reaches the model deployment as a changed service property: an activation there.
     */
    void apply(LineSettings next) {
        LineSettings previous = settings;
        settings = next;
        if (!next.reviewFolder().equals(previous.reviewFolder()) || next.reviewMaxFrames() != previous.reviewMaxFrames()) {
            ReviewArchive old = reviewArchive;
            reviewArchive = archiveFor(next);
            if (old != null) {
                old.close();
            }
        }
        if (!next.cameraTarget().equals(previous.cameraTarget())) {
            chooseCamera();
        }
    }

    LineSettings settings() {
        return settings;
    }

    boolean running() {
        return running;
    }

    /** Stops the threads, drops what waits, closes the models and the archive, tells the sinks the line is gone. */
    void stop() {
        startingMarker.withdraw();
        Thread thread;
        synchronized (lifecycle) {
            running = false;
            unsubscribeCamera();
            thread = inferenceThread;
            watchdog.shutdownNow();
        }
        thread.interrupt();
        join(thread);
        endShadow("the line stopped");
        if (mailbox.drain() != null) {
            statistics.recordDrop(DropCause.SHUTDOWN);
        }
        closeModel(modelSlot.retire());
        synchronized (stateLog) {
            condition = currentCondition(); // STOPPED, without a model; the sinks hear lineRemoved below
        }
        ReviewArchive archive = reviewArchive;
        if (archive != null) {
            archive.close();
        }
        sinks.lineRemoved();
        LOG.info("Line '{}' stopped: {}", lineId, statistics.counters());
    }

    private static ReviewArchive archiveFor(LineSettings s) {
        return s.reviewMaxFrames() == 0 ? null : new ReviewArchive(s.lineId(), s.reviewFolder(), s.reviewMaxFrames(), 16);
    }

    // ---- what the shell hands over ------------------------------------------------------------------

    /** A camera went away; the caller holds {@link #lifecycle}. */
    void cameraRemoved(FrameSource source) {
        if (camera == source) {
            cameraDetail = "camera " + source.id() + " went away";
        }
        chooseCamera();
    }

    /** The caller holds {@link #lifecycle}. */
    void addSink(ResultSink sink, Map<String, Object> properties) {
        sinks.add(sink, properties);
    }

    /** The caller holds {@link #lifecycle}. */
    void removeSink(ResultSink sink) {
        sinks.remove(sink);
    }

    /** The model runtime's bundle is leaving: its sessions must be closed before its classes go away. */
    void retireModels(String why) {
        endShadow(why);
        closeModel(modelSlot.retire());
        modelProblem = why + "; waiting for it to return";
        announceStatus();
    }

    /** Caller holds {@link #lifecycle}: follows the best camera for the line's filter, subscribing as needed. */
    void chooseCamera() {
        LineSettings current = settings;
        FrameSource best = current == null ? null : cameras.best(current.cameraFilter());
        if (best == camera) {
            if (best == null && noCameraSinceNanos == 0) {
                noCameraSinceNanos = System.nanoTime();
            }
            return;
        }
        unsubscribeCamera();
        FrameSource previous = camera;
        camera = best;
        if (best == null) {
            cameraState = SourceState.STOPPED;
            noCameraSinceNanos = System.nanoTime();
            if (previous != null) {
                LOG.warn("Line '{}': camera {} went away; no other camera matches camera.target={}", lineId,
                        previous.id(), current == null ? "" : current.cameraTarget());
            }
            return;
        }
        noCameraSinceNanos = 0;
        lastFrameNanos = System.nanoTime(); // a new camera gets noFrameFaultMs to deliver its first frame
        if (noCameraProblem != null) {
            noCameraProblem = null;
            publishEvent(EventKind.CAMERA_FOUND, "camera " + best.id() + " matches camera.target again");
        }
        if (running) {
            subscribeCamera();
        }
    }

    // ---- the line as a service sees it ---------------------------------------------------------------

    /** The published condition with the counters of now and the rates of the last 200 ms: cheap, per frame. */
    LineStatus status() {
        LineCondition c = condition;
        LineStatistics.Rates r = statistics.rates(System.nanoTime());
        return new LineStatus(lineId, c.state(), c.detail(), c.sourceId(), c.cameraState(), c.model(),
                statistics.counters(), r.framesPerSecond(), r.latencyP50Ms(), r.latencyP95Ms(),
                Optional.ofNullable(lastVerdict), Instant.now());
    }

    void resetCounters() {
        statistics.reset();
        LOG.info("Line '{}': counters reset", lineId);
        announceStatus();
    }

    Optional<Path> configuredPackage() {
        return Optional.of(settings.modelPackage());
    }

    void modelUnavailable(String problem) {
        if (modelSlot.info().isPresent()) {
            LOG.warn("Line '{}': {}; the line keeps its model {}", lineId, problem,
                    modelSlot.info().get().displayName());
            return;
        }
        modelProblem = problem;
        publishEvent(EventKind.NO_MODEL, "line has no model it can run, frames are dropped as NO_MODEL: " + problem);
        LOG.error("Line '{}': {}. The line has no model: frames are dropped as NO_MODEL.", lineId, problem);
        announceStatus();
    }

    Optional<ModelInfo> installModel(LoadedModel model, String origin) {
        LineSettings settings = this.settings;
        if (settings == null || !running) {
            model.close();
            throw new IllegalStateException("Line '" + lineId + "' is not running: " + status().stateDetail());
        }
        List<String> known = settings.rules().rejectLabelsKnownTo(model.info().labels());
        if (known.isEmpty()) {
            String problem = "model " + model.info().displayName() + " knows none of the reject labels "
                    + settings.rules().rejectLabels() + " (its labels: " + model.info().labels() + ")";
            model.close();
            throw new IllegalArgumentException("Line '" + lineId + "' refuses " + problem
                    + "; fix reject.labels in the line's configuration or deploy a model for this line");
        }
        warmUp(model);
        LoadedModel previous;
        ShadowTrial trial;
        synchronized (lifecycle) {
            if (!running) {
                model.close();
                throw new IllegalStateException("Line '" + lineId + "' is stopping");
            }
            previous = modelSlot.install(model);
            modelProblem = null;
            trial = shadowTrial;
        }
        if (trial != null) {
            activeModelChanged(trial, model.info());
        }
        if (previous == null && mailbox.drain() != null) {
            // A frame that waited for the first model is too old to judge: its eject instant has passed.
            statistics.recordDrop(DropCause.NO_MODEL);
        }
        LOG.info("Line '{}': model {} active (sha256 {}), from {}; replaced {}", lineId,
                model.info().displayName(), model.info().sha256(), origin,
                previous == null ? "nothing" : previous.info().displayName());
        closeModel(previous);
        publishEvent(EventKind.MODEL_ACTIVATED, "model " + model.info().displayName() + " active, from " + origin);
        announceStatus();
        return Optional.ofNullable(previous).map(LoadedModel::info);
    }

    // ---- shadow trial (off the hot path) -----------------------------------------------------------

    void startShadow(LoadedModel candidate, String origin) {
        LineSettings current = settings;
        try {
            checkCandidate(candidate, current);
        } catch (RuntimeException e) {
            candidate.close();
            throw e;
        }
        warmUp(candidate);
        ShadowTrial previous;
        ShadowTrial trial;
        synchronized (lifecycle) {
            Optional<ModelInfo> active = modelSlot.info();
            if (!running || active.isEmpty()) {
                candidate.close();
                throw new IllegalStateException("Line '" + lineId + "' " + (running ? "lost its active model" : "is stopping"));
            }
            trial = new ShadowTrial(lineId, candidate, active.get(), () -> settings.rules(), shadowArchiveFor(current),
                    this::shadowStopped);
            previous = shadowTrial;
            shadowTrial = trial;
            trial.start();
        }
        if (previous != null && previous.stop("replaced by a trial of " + candidate.info().displayName(),
                ShadowFigures.State.STOPPED, false)) {
            previous.awaitEnd(5000);
        }
        LOG.info("Line '{}': shadow trial of {} (sha256 {}) against active {} started, from {}; promotion rule: {}",
                lineId, candidate.info().displayName(), candidate.info().sha256(),
                trial.figures(current.shadowRule()).active().displayName(), origin, current.shadowRule().describe());
    }

    /** Refuses a candidate this line cannot compare (the caller closes it). */
    private void checkCandidate(LoadedModel candidate, LineSettings current) {
        Optional<ModelInfo> active = modelSlot.info();
        if (current == null || !running) {
            throw new IllegalStateException("Line '" + lineId + "' is not running: " + status().stateDetail());
        }
        if (active.isEmpty()) {
            throw new IllegalStateException("Line '" + lineId + "' has no active model to compare a candidate with;"
                    + " activate one first");
        }
        if (ShadowTrial.same(candidate.info(), active.get())) {
            throw new IllegalArgumentException("Line '" + lineId + "' runs " + active.get().displayName()
                    + " already: a shadow trial needs another model");
        }
        if (current.rules().rejectLabelsKnownTo(candidate.info().labels()).isEmpty()) {
            throw new IllegalArgumentException("Line '" + lineId + "' refuses candidate " + candidate.info().displayName()
                    + ": it knows none of the reject labels " + current.rules().rejectLabels() + " (its labels: "
                    + candidate.info().labels() + "); fix reject.labels or deploy a model for this line");
        }
    }

    Optional<ShadowFigures> stopShadow(String why) {
        ShadowTrial trial = shadowTrial;
        if (trial == null || !trial.stop(why, ShadowFigures.State.STOPPED, false)) {
            return Optional.empty();
        }
        trial.awaitEnd(5000);
        return Optional.of(trial.figures(settings.shadowRule()));
    }

    Optional<ShadowFigures> shadow() {
        ShadowTrial trial = shadowTrial;
        LineSettings current = settings;
        return trial == null || current == null ? Optional.empty() : Optional.of(trial.figures(current.shadowRule()));
    }

    /** After a swap: the candidate itself became active (a promotion), or the comparison would mix two models. */
    private void activeModelChanged(ShadowTrial trial, ModelInfo now) {
        if (ShadowTrial.same(trial.candidate(), now)) {
            trial.stop("promoted: " + now.displayName() + " is the active model now", ShadowFigures.State.PROMOTED, false);
        } else {
            trial.stop("the active model changed to " + now.displayName() + "; start a new trial to compare with it",
                    ShadowFigures.State.STOPPED, false);
        }
    }

    /** Stops a running trial and waits until its candidate is closed (the line or the runtime goes away). */
    private void endShadow(String why) {
        ShadowTrial trial = shadowTrial;
        if (trial != null) {
            trial.stop(why, ShadowFigures.State.STOPPED, false);
            trial.awaitEnd(5000);
        }
    }

    /** Disagreements go to {@code <review folder>/shadow}, at most review.maxFrames of them (0: none saved). */
    private static ReviewArchive shadowArchiveFor(LineSettings s) {
        return s.reviewMaxFrames() == 0 ? null
                : new ReviewArchive(s.lineId(), "shadow disagreement", s.reviewFolder().resolve("shadow"), s.reviewMaxFrames(), 16);
    }

    /** Whichever thread stopped the trial: one log line and a SHADOW_STOPPED event. */
    private void shadowStopped(ShadowTrial trial, String reason, boolean failure) {
        String text = "shadow trial of " + trial.candidate().displayName() + " stopped: " + reason;
        if (failure) {
            LOG.warn("Line '{}': {}; the line and its active model are untouched", lineId, text);
        } else {
            LOG.info("Line '{}': {}", lineId, text);
        }
        publishEvent(EventKind.SHADOW_STOPPED, text);
    }

    // ---- the hot path -----------------------------------------------------------------------------

    private void inferenceLoop() {
        while (running) {
            try {
                Frame frame = mailbox.take(TAKE_TIMEOUT_MS);
                if (frame != null) {
                    inspect(frame, System.nanoTime());
                }
            } catch (InterruptedException e) {
                if (running) {
                    LOG.warn("Line '{}': inference thread interrupted while running; stopping it", lineId);
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                statistics.recordDrop(DropCause.INFERENCE_ERROR);
                LOG.error("Line '{}': unexpected failure while inspecting a frame: {}", lineId, e.toString(), e);
            }
        }
    }

    private void inspect(Frame frame, long takenNanos) {
        ModelSlot.Inference inference;
        long inferStart = System.nanoTime();
        try {
            inference = modelSlot.infer(frame);
        } catch (InferenceException e) {
            statistics.recordDrop(DropCause.INFERENCE_ERROR);
            LOG.warn("Line '{}': frame {} dropped, inference failed: {}", lineId, frame.sequence(), e.getMessage());
            if (!inferenceFailing) {
                inferenceFailing = true;
                publishEvent(EventKind.INFERENCE_ERROR, "inference failed, frames are dropped: " + e.getMessage()
                        + "; check the model (model:inspect) or roll it back (model:rollback " + lineId + ")");
            }
            return;
        }
        if (inference == null) {
            statistics.recordDrop(DropCause.NO_MODEL);
            return;
        }
        if (inferenceFailing) {
            inferenceFailing = false;
            publishEvent(EventKind.INFERENCE_RECOVERED, "inference works again");
        }
        long decideStart = System.nanoTime();
        long inferNanos = decideStart - inferStart;
        DecisionRules.Decision decision = settings.rules().decide(inference.result(), inference.model().labels());
        long done = System.nanoTime();
        statistics.recordInspection(decision.verdict(), done - frame.captureNanos(), done);
        lastVerdict = decision.verdict();
        InspectionEvent event = new InspectionEvent(lineId, frame.sourceId(), frame.sequence(),
                frame.captureNanos(), frame.captureTime(), inference.model(), inference.result(),
                decision.verdict(), decision.reason(),
                latencies(frame, takenNanos, inference.result(), done - decideStart, done), frame.truth());
        LOG.debug("Line '{}': frame {} {} ({})", lineId, frame.sequence(), decision.verdict(), decision.reason());
        ReviewArchive archive = reviewArchive;
        if (decision.verdict() == Verdict.REVIEW && archive != null) {
            archive.offer(frame, event);
        }
        sinks.publish(event, status(), frame);
        ShadowTrial trial = shadowTrial;
        if (trial != null) {
            trial.offer(frame, event, inferNanos); // after the sinks: the verdict never waits for a candidate
        }
    }

    private static StageLatencies latencies(Frame frame, long takenNanos, InferenceResult result, long decisionNanos, long done) {
        return new StageLatencies(takenNanos - frame.captureNanos(), result.preprocessNanos(),
                result.inferenceNanos(), result.postprocessNanos(), decisionNanos, done - frame.captureNanos());
    }

    /** Called on the camera's grab thread: never blocks, counts the frame it displaces. */
    private final class CameraListener implements FrameListener {
        @Override
        public void onFrame(Frame delivered) {
            lastFrameNanos = System.nanoTime();
            lastFrameSize = ((long) delivered.width() << 32) | delivered.height();
            Frame frame = numbering.number(delivered);
            if (mailbox.offer(frame) != null) {
                statistics.recordDrop(DropCause.OVERRUN);
            }
            if (noFramesProblem != null) {
                framesResumed();
            }
        }

        @Override
        public void onSourceState(SourceState state, String detail) {
            SourceState before = cameraState;
            if (state == SourceState.STREAMING && before != SourceState.STREAMING) {
                lastFrameNanos = System.nanoTime(); // the no-frame clock starts when the stream does
            }
            cameraState = state;
            cameraDetail = detail == null ? "" : detail;
            if (state == SourceState.LOST && before != SourceState.LOST) {
                LOG.warn("Line '{}': camera lost: {}", lineId, cameraDetail);
                publishEvent(EventKind.CAMERA_LOST, "camera lost: " + cameraDetail
                        + "; check the camera's cable, power and stream address; frames resume on their own when it is back");
            } else if (state == SourceState.STREAMING && before == SourceState.LOST) {
                publishEvent(EventKind.CAMERA_RESTORED, "camera streaming again");
            }
            announceStatus();
        }
    }

    // ---- model warm-up (off the hot path) ----------------------------------------------------------

    /**
     * The installing thread (the deployment's, never the inference thread): the model's first, slow frames happen
     * here, not on parts (see {@link ModelWarmup}).
     */
    private void warmUp(LoadedModel model) {
        long size = lastFrameSize;
        int width = size == 0 ? WARMUP_DEFAULT_WIDTH : (int) (size >>> 32);
        int height = size == 0 ? WARMUP_DEFAULT_HEIGHT : (int) size;
        ModelWarmup.Result r = ModelWarmup.warm(model, width, height, WARMUP_RUNS, WARMUP_BUDGET_MS);
        LOG.info("Line '{}': model {} warmed up on {} frames of {}x{} (first {} ms, last {} ms)", lineId,
                model.info().displayName(), r.runs(), width, height, String.format(java.util.Locale.ROOT, "%.1f", r.firstMs()),
                String.format(java.util.Locale.ROOT, "%.1f", r.lastMs()));
    }

    private void closeModel(LoadedModel model) {
        if (model != null) {
            model.close();
        }
    }

    // ---- watchdog: a line that is not inspecting is a FAULT ------------------------------------------

    /** Watchdog thread: raises the no-camera and no-frame faults once noFrameFaultMs has passed. */
    private void watch() {
        try {
            LineSettings current = settings;
            if (!running || current == null) {
                return;
            }
            long now = System.nanoTime();
            long limitNanos = TimeUnit.MILLISECONDS.toNanos(current.noFrameFaultMs());
            long missingSince = noCameraSinceNanos;
            if (camera == null && missingSince != 0 && now - missingSince >= limitNanos && noCameraProblem == null) {
                raiseNoCamera(current);
            }
            FrameSource source = camera;
            if (source != null && cameraState != SourceState.LOST && noFramesProblem == null
                    && now - lastFrameNanos >= limitNanos) {
                raiseNoFrames(source, TimeUnit.NANOSECONDS.toMillis(now - lastFrameNanos), current);
            }
            ShadowTrial trial = shadowTrial;
            if (trial != null) {
                trial.checkOverload(); // here too, in case the candidate hangs in a frame and its thread cannot
            }
            if (modelSlot.info().isEmpty() && modelProblem == null && now - startedNanos >= NO_MODEL_FAULT_NANOS) {
                modelUnavailable("no model " + TimeUnit.NANOSECONDS.toSeconds(NO_MODEL_FAULT_NANOS) + " s after the"
                        + " line started: the model deployment has not activated one (is its bundle running? see"
                        + " model:history " + lineId + " and the log of io.linesight.model.deploy)");
            }
        } catch (RuntimeException e) {
            LOG.warn("Line '{}': watchdog check failed: {}", lineId, e.toString());
        }
    }

    private void raiseNoCamera(LineSettings current) {
        List<String> present;
        synchronized (lifecycle) {
            present = cameras.sourceIds();
        }
        noCameraProblem = "no camera matches camera.target=" + current.cameraTarget() + " (cameras present: "
                + (present.isEmpty() ? "none" : String.join(", ", present)) + "): fix camera.target in the line's"
                + " file, or add the camera's file to config/";
        LOG.error("Line '{}' is not inspecting: {}", lineId, noCameraProblem);
        publishEvent(EventKind.CAMERA_MISCONFIGURED, noCameraProblem);
        announceStatus();
    }

    private void raiseNoFrames(FrameSource source, long silentMs, LineSettings current) {
        noFramesProblem = "no frame from camera " + source.id() + " for " + silentMs + " ms (noFrameFaultMs="
                + current.noFrameFaultMs() + "): parts pass uninspected; check the camera's trigger, stream and"
                + " cable";
        LOG.error("Line '{}' is not inspecting: {}", lineId, noFramesProblem);
        publishEvent(EventKind.NO_FRAMES, noFramesProblem);
        announceStatus();
    }

    /** Camera thread: the first frame after a no-frame fault. */
    private void framesResumed() {
        noFramesProblem = null;
        LOG.info("Line '{}': frames arrive again", lineId);
        publishEvent(EventKind.FRAMES_RESUMED, "frames arrive again");
        announceStatus();
    }

    // ---- state ------------------------------------------------------------------------------------

    /** The condition of now, from the line's fields; {@link #announceStatus} publishes it. */
    private LineCondition currentCondition() {
        LineSettings current = settings;
        LineConditions conditions = new LineConditions(running, camera != null, noCameraProblem, cameraState,
                cameraDetail, noFramesProblem, modelSlot.info().isPresent(), modelProblem);
        FrameSource source = camera;
        return new LineCondition(conditions.state(),
                conditions.detail(current.cameraTarget(), current.modelPackage().toString()),
                source == null ? current.cameraTarget() : source.id(), cameraState, modelSlot.info());
    }

    /**
     * Tells the sinks when the line's state changed without an inspection, and logs each change of state once at
     * INFO ("Line 'default' is RUNNING: ..."): the log's record of the line, since the per-second status lines go to
     * their own file. Camera, loader, watchdog and SCR threads all call this; the state is read and compared under
     * one lock, so two threads never log the same change twice, and the last one to run sees every condition set
     * before it was called.
     */
    void announceStatus() {
        LineStatus status;
        synchronized (stateLog) {
            condition = currentCondition();
            status = status();
            if (status.state() != publishedState) {
                LOG.info("Line '{}' is {}{}", lineId, status.state(),
                        status.stateDetail().isEmpty() ? "" : ": " + status.stateDetail());
                publishedState = status.state();
            }
        }
        if (status.state() != io.linesight.api.inspection.LineState.STARTING) {
            startingMarker.withdraw(); // outside the lock: unregistering calls service listeners
        }
        sinks.statusChanged(status);
    }

    private void publishEvent(EventKind kind, String message) {
        events.accept(kind, message);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Caller holds {@link #lifecycle}. */
    private void subscribeCamera() {
        if (camera != null && subscription == null) {
            subscription = camera.subscribe(frameListener);
        }
    }

    /** Caller holds {@link #lifecycle}. */
    private void unsubscribeCamera() {
        if (subscription != null) {
            FrameSource.Subscription s = subscription;
            subscription = null;
            s.close();
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    private void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (thread.isAlive()) {
                LOG.warn("Line '{}': inference thread did not stop within 5 s", lineId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
