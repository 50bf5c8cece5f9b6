package io.linesight.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.event.RuntimeEventListener;
import io.linesight.api.frame.Frame;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.model.ModelRuntime;
import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * The web's view of the runtime: a {@link ResultSink} for every line's inspections, a
 * {@link RuntimeEventListener} for alarms and model swaps, and the live services (lines, outputs, event
 * board, deployment, model runtime), all bound dynamically so the web never holds up a line or an
 * update. The servlets of this bundle read everything through it; it pushes a snapshot to the connected
 * dashboards every {@code streamIntervalMs} from its own thread.
 *
 * <p>Frames: the {@link ResultSink} contract carries no pixels. {@link #frame} receives the frame of an
 * inspection once the line hands frames to sinks that want them (proposed API: a default method
 * {@code ResultSink.frame(Frame, InspectionEvent)}); until then the dashboard shows no last frame.
 */
@Component(service = {LiveView.class, ResultSink.class, RuntimeEventListener.class}, configurationPid = WebSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebConfig.class)
public class LiveView implements ResultSink, io.linesight.api.inspection.InspectedFrameSink, RuntimeEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);

    private final WebSettings settings;
    private final Access access;
    private final Metrics metrics;
    private final StreamHub hub;
    private final UploadChecker upload;
    private final Map<String, InspectionLine> lines = new ConcurrentHashMap<>();
    private final Map<String, LineTrack> tracks = new ConcurrentHashMap<>();
    private final List<MonitoredOutput> outputs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile EventBoard events;
    private volatile ModelDeployment deployment;
    private volatile io.linesight.api.watch.DriftWatch drift;
    private volatile io.linesight.api.watch.HealthWindows healthWindows;
    private volatile ModelRuntime modelRuntime;

    @Activate
    public LiveView(WebConfig config) {
        settings = WebSettings.from(config, Path.of(System.getProperty("linesight.home", "")).toAbsolutePath());
        access = new Access(settings.tokens(), settings.readAccess());
        metrics = new Metrics(settings.latencyBucketsMs());
        hub = new StreamHub(settings.maxStreamClients(), settings.streamQueueUpdates());
        upload = new UploadChecker(this::uploadCandidates);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linesight-web-stream");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, settings.streamIntervalMs(), settings.streamIntervalMs(), TimeUnit.MILLISECONDS);
        settings.tokens().malformed().forEach(LOG::warn);
        if (settings.tokens().isEmpty()) {
            LOG.info("Web: no token configured ({}: tokens): reset, activate, rollback, acknowledge and model push are"
                    + " refused with 401", WebSettings.PID);
        }
        LOG.info("Web dashboard at /, REST API at /api, metrics at /metrics, health at /health: {}", settings.describe());
    }

    @Deactivate
    void deactivate() {
        ticker.shutdownNow();
        hub.close();
        upload.close();
        awaitTicker();
    }

    private void awaitTicker() {
        try {
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Web: the stream thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- references -------------------------------------------------------------------------------

    @Reference(name = "lines", service = InspectionLine.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindLine(InspectionLine line, Map<String, Object> properties) {
        lines.put(lineIdOf(line, properties), line);
    }

    void unbindLine(InspectionLine line, Map<String, Object> properties) {
        lines.remove(lineIdOf(line, properties), line);
    }

    private static String lineIdOf(InspectionLine line, Map<String, Object> properties) {
        Object id = properties.get(InspectionLine.LINE_ID);
        return id == null ? line.id() : String.valueOf(id);
    }

    @Reference(name = "outputs", service = MonitoredOutput.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindOutput(MonitoredOutput output) {
        outputs.add(output);
    }

    void unbindOutput(MonitoredOutput output) {
        outputs.remove(output);
    }

    @Reference(name = "events", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEvents(EventBoard board) {
        events = board;
    }

    void unbindEvents(EventBoard board) {
        if (events == board) {
            events = null;
        }
    }

    @Reference(name = "drift", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDrift")
    void bindDrift(io.linesight.api.watch.DriftWatch watch) {
        drift = watch;
    }

    void unbindDrift(io.linesight.api.watch.DriftWatch watch) {
        if (drift == watch) {
            drift = null;
        }
    }

    /** The drift watch's figures, or none while it is not running. */
    List<io.linesight.api.watch.DriftFigures> drift() {
        io.linesight.api.watch.DriftWatch watch = drift;
        return watch == null ? List.of() : watch.figures();
    }

    @Reference(name = "healthWindows", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHealthWindows")
    void bindHealthWindows(io.linesight.api.watch.HealthWindows windows) {
        healthWindows = windows;
    }

    void unbindHealthWindows(io.linesight.api.watch.HealthWindows windows) {
        if (healthWindows == windows) {
            healthWindows = null;
        }
    }

    /** Every line's health window, or none while the model watch is not running. */
    List<io.linesight.api.watch.HealthWindowStatus> healthWindows() {
        io.linesight.api.watch.HealthWindows windows = healthWindows;
        return windows == null ? List.of() : windows.windows();
    }

    @Reference(name = "deployment", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeployment(ModelDeployment service) {
        deployment = service;
    }

    void unbindDeployment(ModelDeployment service) {
        if (deployment == service) {
            deployment = null;
        }
    }

    @Reference(name = "modelRuntime", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(model.runtime=onnx)")
    void bindModelRuntime(ModelRuntime runtime) {
        modelRuntime = runtime;
    }

    void unbindModelRuntime(ModelRuntime runtime) {
        if (modelRuntime == runtime) {
            modelRuntime = null;
        }
        upload.runtimeGone(runtime); // its sessions must close before its classes go away
    }

    // ---- ResultSink and RuntimeEventListener (line and board threads: field writes only) ----------

    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        metrics.inspected(event, status);
        track(event.lineId()).inspected(event);
    }

    @Override
    public void lineStatusChanged(LineStatus status) {
        metrics.status(status);
    }

    @Override
    public void lineRemoved(String lineId) {
        tracks.remove(lineId);
    }

    /** The frame behind an inspection, kept by reference for the dashboard's last-frame picture. */
    public void frame(Frame frame, InspectionEvent event) {
        track(event.lineId()).frame(frame, event);
    }

    /** The line hands over the frame each result was judged on (see {@link #frame}). */
    @Override
    public void inspected(Frame frame, InspectionEvent event) {
        frame(frame, event);
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        metrics.event(event);
    }

    private LineTrack track(String lineId) {
        return tracks.computeIfAbsent(lineId, k -> new LineTrack(settings.recentVerdicts(), settings.frameIntervalMs()));
    }

    // ---- what the servlets read -------------------------------------------------------------------

    WebSettings settings() {
        return settings;
    }

    Access access() {
        return access;
    }

    StreamHub hub() {
        return hub;
    }

    UploadChecker upload() {
        return upload;
    }

    ModelRuntime modelRuntime() {
        return modelRuntime;
    }

    Optional<ModelDeployment> deployment() {
        return Optional.ofNullable(deployment);
    }

    Optional<EventBoard> events() {
        return Optional.ofNullable(events);
    }

    Optional<InspectionLine> line(String id) {
        return Optional.ofNullable(id == null ? null : lines.get(id));
    }

    /** Every line's status now, by id. */
    List<LineStatus> statuses() {
        List<LineStatus> out = new ArrayList<>();
        new TreeMap<>(lines).values().forEach(l -> out.add(l.status()));
        return out;
    }

    List<OutputStatus> outputStatuses() {
        List<OutputStatus> out = new ArrayList<>();
        outputs.forEach(o -> out.add(o.outputStatus()));
        out.sort(java.util.Comparator.comparing(OutputStatus::outputId));
        return out;
    }

    /** The alarms an operator must see: active, or not yet acknowledged. */
    List<io.linesight.api.event.Alarm> alarms() {
        EventBoard board = events;
        return board == null ? List.of() : board.alarms();
    }

    List<RuntimeEvent> recentEvents(int limit) {
        EventBoard board = events;
        return board == null ? List.of() : board.recent(limit);
    }

    /** A line for the API and the dashboard: status plus last inspection, recent verdicts and frame. */
    JsonObject lineJson(LineStatus status) {
        JsonObject o = Json.line(status);
        LineTrack t = tracks.get(status.lineId());
        o.add("last", t == null ? null : t.lastJson());
        o.add("recent", t == null ? new JsonArray() : t.recentJson());
        long frame = t == null ? -1 : t.frameSequence();
        if (frame >= 0) {
            JsonObject f = new JsonObject();
            f.addProperty("sequence", frame);
            f.addProperty("url", "/api/lines/" + status.lineId() + "/frame.jpg?seq=" + frame);
            o.add("frame", f);
        } else {
            o.add("frame", null);
        }
        return o;
    }

    /** The last frame of a line as annotated JPEG, or null. */
    LineTrack.Jpeg frameJpeg(String lineId) {
        LineTrack t = tracks.get(lineId);
        return t == null ? null : t.jpeg(System.nanoTime());
    }

    String metricsText() {
        return metrics.render(statuses(), outputStatuses(), alarms(), drift(), healthWindows());
    }

    /** Everything the dashboard shows, as one JSON document (the stream's {@code snapshot} event). */
    JsonObject snapshot() {
        JsonObject o = new JsonObject();
        o.addProperty("time", Instant.now().toString());
        JsonArray ls = new JsonArray();
        statuses().forEach(s -> ls.add(lineJson(s)));
        o.add("lines", ls);
        JsonArray outs = new JsonArray();
        outputStatuses().forEach(s -> outs.add(Json.output(s)));
        o.add("outputs", outs);
        JsonArray alarms = new JsonArray();
        alarms().forEach(a -> alarms.add(Json.alarm(a)));
        o.add("alarms", alarms);
        JsonArray recent = new JsonArray();
        List<RuntimeEvent> events = recentEvents(20);
        for (int i = events.size() - 1; i >= 0; i--) {
            recent.add(Json.event(events.get(i)));
        }
        o.add("events", recent);
        o.addProperty("eventBoard", this.events != null);
        o.addProperty("deployment", deployment != null);
        return o;
    }

    /** Readiness: the reasons the runtime is not ready; empty when every line is RUNNING. */
    List<String> notReady() {
        List<String> reasons = new ArrayList<>();
        List<LineStatus> statuses = statuses();
        if (statuses.isEmpty()) {
            reasons.add("no inspection line is running");
        }
        for (LineStatus s : statuses) {
            if (s.state() != LineState.RUNNING) {
                reasons.add("line " + s.lineId() + " is " + s.state() + (s.stateDetail().isEmpty() ? "" : ": " + s.stateDetail()));
            }
        }
        return reasons;
    }

    private List<ModelCandidate> uploadCandidates() {
        Map<String, Path> active = new TreeMap<>();
        ModelDeployment service = deployment;
        if (service != null) {
            for (String id : new TreeMap<>(lines).keySet()) {
                try {
                    service.activePackage(id).ifPresent(p -> active.put(id, p));
                } catch (RuntimeException e) {
                    LOG.debug("Web: the deployment cannot name line {}'s active package: {}", id, e.toString());
                }
            }
        }
        return UploadChecker.collect(active, settings.uploadPackages());
    }

    /** Pushes a snapshot to the connected dashboards; nothing to do without one. */
    private void tick() {
        if (hub.size() == 0) {
            return;
        }
        try {
            hub.broadcast("snapshot", Json.GSON.toJson(snapshot()));
        } catch (RuntimeException e) {
            LOG.warn("Web: the dashboard snapshot failed ({}); trying again next time", e.toString(), e);
        }
    }
}
