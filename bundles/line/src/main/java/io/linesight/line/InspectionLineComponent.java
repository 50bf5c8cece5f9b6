package io.linesight.line;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.ModelRuntime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inspection line: camera → latest-frame mailbox → inference thread → model → decision rules →
 * every result sink. Camera, model runtime and sinks are bound dynamically, so a line survives their
 * bundles being updated; the model package is loaded off the hot path and swapped in between frames.
 *
 * <p>Every frame the camera delivers ends in exactly one place: inspected (PASS, REJECT or REVIEW) or
 * dropped with a counted {@link DropCause}.
 */
@Component(service = InspectionLine.class, configurationPid = LineSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LineConfig.class, factory = true)
public class InspectionLineComponent implements InspectionLine {

    private static final Logger LOG = LoggerFactory.getLogger(InspectionLineComponent.class);
    private static final long TAKE_TIMEOUT_MS = 250;

    private final Object lifecycle = new Object();
    private final LatestFrameMailbox mailbox = new LatestFrameMailbox();
    private final LineStatistics statistics = new LineStatistics();
    private final ModelSlot modelSlot = new ModelSlot();
    private final FrameListener frameListener = new CameraListener();

    private LineSettings settings;
    private SinkFanout sinks;
    private ExecutorService loader;
    private Thread inferenceThread;
    private volatile boolean running;

    private volatile FrameSource camera;
    private FrameSource.Subscription subscription;
    private ModelRuntime modelRuntime;
    private final java.util.Map<ResultSink, Map<String, Object>> pendingSinks = new java.util.LinkedHashMap<>();

    private volatile SourceState cameraState = SourceState.STOPPED;
    private volatile String cameraDetail = "";
    private volatile String modelProblem;
    private volatile Verdict lastVerdict;
    private volatile LineState publishedState;

    @Activate
    void activate(LineConfig config) {
        Path home = Path.of(System.getProperty("linesight.home", "")).toAbsolutePath();
        synchronized (lifecycle) {
            settings = LineSettings.from(config, home);
            sinks = new SinkFanout(settings.lineId());
            pendingSinks.forEach(sinks::add);
            pendingSinks.clear();
            loader = Executors.newSingleThreadExecutor(r -> daemon(r, "line-" + settings.lineId() + "-loader"));
            running = true;
            inferenceThread = daemon(this::inferenceLoop, "line-" + settings.lineId() + "-inference");
            inferenceThread.start();
            LOG.info("Line '{}' starting: camera {}, model package {}, reject {} >= {}, review >= {}",
                    settings.lineId(), settings.cameraTarget(), settings.modelPackage(),
                    settings.rules().rejectLabels(), settings.rules().rejectMinConfidence(),
                    settings.rules().reviewMinConfidence());
            subscribeCamera();
            scheduleModelLoad();
        }
        announceStatus();
    }

    @Deactivate
    void deactivate() {
        Thread thread;
        synchronized (lifecycle) {
            running = false;
            unsubscribeCamera();
            thread = inferenceThread;
        }
        thread.interrupt();
        join(thread);
        if (mailbox.drain() != null) {
            statistics.recordDrop(DropCause.SHUTDOWN);
        }
        loader.shutdownNow();
        awaitLoader();
        closeModel(modelSlot.retire());
        sinks.lineRemoved();
        LOG.info("Line '{}' stopped: {}", settings.lineId(), statistics.counters());
    }

    // ---- references -------------------------------------------------------------------------------

    @Reference(name = "camera", service = FrameSource.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindCamera(FrameSource source) {
        synchronized (lifecycle) {
            unsubscribeCamera();
            camera = source;
            if (running) {
                subscribeCamera();
            }
        }
    }

    void unbindCamera(FrameSource source) {
        synchronized (lifecycle) {
            if (camera == source) {
                unsubscribeCamera();
                camera = null;
                cameraState = SourceState.STOPPED;
                cameraDetail = "camera " + source.id() + " went away";
            }
        }
        announceStatus();
    }

    @Reference(name = "modelRuntime", service = ModelRuntime.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(model.runtime=onnx)")
    void bindModelRuntime(ModelRuntime runtime) {
        synchronized (lifecycle) {
            modelRuntime = runtime;
            if (running) {
                scheduleModelLoad();
            }
        }
    }

    void unbindModelRuntime(ModelRuntime runtime) {
        synchronized (lifecycle) {
            if (modelRuntime != runtime) {
                return;
            }
            modelRuntime = null;
        }
        // The runtime's bundle is leaving: its sessions must be closed before its classes go away.
        closeModel(modelSlot.retire());
        modelProblem = "model runtime went away; waiting for it to return";
        announceStatus();
    }

    @Reference(name = "sinks", service = ResultSink.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindSink(ResultSink sink, Map<String, Object> properties) {
        synchronized (lifecycle) {
            if (sinks == null) {
                pendingSinks.put(sink, properties);
            } else {
                sinks.add(sink, properties);
            }
        }
    }

    void unbindSink(ResultSink sink) {
        synchronized (lifecycle) {
            pendingSinks.remove(sink);
            if (sinks != null) {
                sinks.remove(sink);
            }
        }
    }

    // ---- InspectionLine ---------------------------------------------------------------------------

    @Override
    public String id() {
        return settings.lineId();
    }

    @Override
    public LineStatus status() {
        long now = System.nanoTime();
        LineConditions conditions = conditions();
        FrameSource source = camera;
        String sourceId = source == null ? settings.cameraTarget() : source.id();
        return new LineStatus(settings.lineId(), conditions.state(),
                conditions.detail(settings.cameraTarget(), settings.modelPackage().toString()), sourceId,
                cameraState, modelSlot.info(), statistics.counters(), statistics.framesPerSecond(now),
                statistics.latencyPercentileMs(50), statistics.latencyPercentileMs(95),
                Optional.ofNullable(lastVerdict), Instant.now());
    }

    @Override
    public void resetCounters() {
        statistics.reset();
        LOG.info("Line '{}': counters reset", settings.lineId());
        announceStatus();
    }

    @Override
    public Optional<ModelInfo> installModel(LoadedModel model, String origin) {
        List<String> known = settings.rules().rejectLabelsKnownTo(model.info().labels());
        if (known.isEmpty()) {
            String problem = "model " + model.info().displayName() + " knows none of the reject labels "
                    + settings.rules().rejectLabels() + " (its labels: " + model.info().labels() + ")";
            model.close();
            throw new IllegalArgumentException("Line '" + settings.lineId() + "' refuses " + problem
                    + "; fix reject.labels in the line's configuration or deploy a model for this line");
        }
        synchronized (lifecycle) {
            if (!running) {
                model.close();
                throw new IllegalStateException("Line '" + settings.lineId() + "' is stopping");
            }
        }
        LoadedModel previous = modelSlot.install(model);
        modelProblem = null;
        LOG.info("Line '{}': model {} active (sha256 {}), from {}; replaced {}", settings.lineId(),
                model.info().displayName(), model.info().sha256(), origin,
                previous == null ? "nothing" : previous.info().displayName());
        closeModel(previous);
        announceStatus();
        return Optional.ofNullable(previous).map(LoadedModel::info);
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
                    LOG.warn("Line '{}': inference thread interrupted while running; stopping it", settings.lineId());
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                statistics.recordDrop(DropCause.INFERENCE_ERROR);
                LOG.error("Line '{}': unexpected failure while inspecting a frame: {}", settings.lineId(), e.toString(), e);
            }
        }
    }

    private void inspect(Frame frame, long takenNanos) {
        ModelSlot.Inference inference;
        try {
            inference = modelSlot.infer(frame);
        } catch (InferenceException e) {
            statistics.recordDrop(DropCause.INFERENCE_ERROR);
            LOG.warn("Line '{}': frame {} dropped, inference failed: {}", settings.lineId(), frame.sequence(), e.getMessage());
            return;
        }
        if (inference == null) {
            statistics.recordDrop(DropCause.NO_MODEL);
            return;
        }
        long decideStart = System.nanoTime();
        DecisionRules.Decision decision = settings.rules().decide(inference.result(), inference.model().labels());
        long done = System.nanoTime();
        statistics.recordInspection(decision.verdict(), done - frame.captureNanos(), done);
        lastVerdict = decision.verdict();
        InspectionEvent event = new InspectionEvent(settings.lineId(), frame.sourceId(), frame.sequence(),
                frame.captureNanos(), frame.captureTime(), inference.model(), inference.result(),
                decision.verdict(), decision.reason(),
                latencies(frame, takenNanos, inference.result(), done - decideStart, done), frame.truth());
        LOG.debug("Line '{}': frame {} {} ({})", settings.lineId(), frame.sequence(), decision.verdict(), decision.reason());
        sinks.publish(event, status());
    }

    private static StageLatencies latencies(Frame frame, long takenNanos, InferenceResult result, long decisionNanos, long done) {
        return new StageLatencies(takenNanos - frame.captureNanos(), result.preprocessNanos(),
                result.inferenceNanos(), result.postprocessNanos(), decisionNanos, done - frame.captureNanos());
    }

    /** Called on the camera's grab thread: never blocks, counts the frame it displaces. */
    private final class CameraListener implements FrameListener {
        @Override
        public void onFrame(Frame frame) {
            if (mailbox.offer(frame) != null) {
                statistics.recordDrop(DropCause.OVERRUN);
            }
        }

        @Override
        public void onSourceState(SourceState state, String detail) {
            SourceState before = cameraState;
            cameraState = state;
            cameraDetail = detail == null ? "" : detail;
            if (state == SourceState.LOST && before != SourceState.LOST) {
                LOG.warn("Line '{}': camera lost: {}", settings.lineId(), cameraDetail);
            }
            announceStatus();
        }
    }

    // ---- model loading (off the hot path) ---------------------------------------------------------

    /** Caller holds {@link #lifecycle}. */
    private void scheduleModelLoad() {
        ModelRuntime runtime = modelRuntime;
        if (runtime == null) {
            return;
        }
        loader.execute(() -> loadAndInstall(runtime));
    }

    private void loadAndInstall(ModelRuntime runtime) {
        Path pkg = settings.modelPackage();
        LoadedModel model;
        try {
            model = runtime.load(pkg);
        } catch (ModelLoadException e) {
            refuseModel(e.getMessage());
            return;
        } catch (RuntimeException e) {
            refuseModel("model package " + pkg + " cannot be loaded: " + e);
            return;
        }
        if (settings.rules().rejectLabelsKnownTo(model.info().labels()).isEmpty()) {
            model.close();
            refuseModel("model " + model.info().displayName() + " knows none of the reject labels "
                    + settings.rules().rejectLabels() + " (its labels: " + model.info().labels()
                    + "); fix reject.labels in the line's configuration");
            return;
        }
        synchronized (lifecycle) {
            if (!running || modelRuntime != runtime) {
                model.close(); // the line or the runtime went away while loading
                return;
            }
        }
        closeModel(modelSlot.install(model));
        modelProblem = null;
        LOG.info("Line '{}': model {} active (sha256 {})", settings.lineId(), model.info().displayName(),
                model.info().sha256());
        announceStatus();
    }

    private void refuseModel(String problem) {
        modelProblem = problem;
        LOG.error("Line '{}': {}. The line keeps its previous model{}.", settings.lineId(), problem,
                modelSlot.info().map(i -> " " + i.displayName()).orElse(" (none: frames are dropped as NO_MODEL)"));
        announceStatus();
    }

    private void closeModel(LoadedModel model) {
        if (model != null) {
            model.close();
        }
    }

    // ---- state ------------------------------------------------------------------------------------

    private LineConditions conditions() {
        return new LineConditions(running, camera != null, cameraState, cameraDetail,
                modelSlot.info().isPresent(), modelProblem);
    }

    /** Tells the sinks when the line's state changed without an inspection. */
    private void announceStatus() {
        SinkFanout fanout = sinks;
        if (fanout == null) {
            return;
        }
        LineStatus status = status();
        if (status.state() != publishedState) {
            LOG.info("Line '{}' is {}{}", settings.lineId(), status.state(),
                    status.stateDetail().isEmpty() ? "" : ": " + status.stateDetail());
            publishedState = status.state();
        }
        fanout.statusChanged(status);
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
                LOG.warn("Line '{}': inference thread did not stop within 5 s", settings.lineId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitLoader() {
        try {
            if (!loader.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Line '{}': model loader did not stop within 30 s", settings.lineId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
