package io.linesight.line;

import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelRuntime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inspection line as a Declarative Services component: camera → latest-frame mailbox → inference thread → model →
 * decision rules → every result sink. This shell parses and checks the line's configuration (a refused file is a
 * FAULT with the reason, the running line keeps its previous one), keeps the services bound to the line (cameras,
 * sinks, the event board, the model runtime; all dynamic, so the line survives their bundles being updated) and
 * answers as {@link InspectionLine}. The line itself, with its threads, mailbox, model slot and statistics, is a
 * {@link RunningLine}, created once a configuration is accepted.
 *
 * <p>The line holds a model slot and nothing else about model choice: the model deployment loads, verifies and gates
 * a model off the hot path and hands it over ({@link #installModel}), and it is swapped in between frames. The
 * configured package is only published ({@link #configuredPackage}).
 */
@Component(service = InspectionLine.class, configurationPid = LineSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LineConfig.class, factory = true)
public class InspectionLineComponent implements InspectionLine {

    private static final Logger LOG = LoggerFactory.getLogger(InspectionLineComponent.class);

    /** Guards the cameras, the sinks and the start and stop of the running line (shared with it). */
    private final Object lifecycle = new Object();
    /** Every camera the runtime offers; the running line picks its own (guarded by {@link #lifecycle}). */
    private final CameraChoice cameras = new CameraChoice();
    /** Sinks bound before the line runs (guarded by {@link #lifecycle}). */
    private final Map<ResultSink, Map<String, Object>> pendingSinks = new LinkedHashMap<>();
    private volatile EventBoard events;
    private ModelRuntime modelRuntime;

    /** The last accepted configuration, or null while none was. */
    private volatile LineSettings settings;
    /** Why the configuration was refused while the line has none to run on; null once it runs. */
    private volatile String configProblem;
    private volatile String lineId = "unconfigured";
    /** The line since its configuration was accepted (after the stop: the stopped line, for its last status). */
    private volatile RunningLine line;

    /** Direct activation (tests): no file properties to check. */
    void activate(LineConfig config) {
        activate(config, Map.of());
    }

    @Activate
    void activate(LineConfig config, Map<String, Object> properties) {
        LineSettings parsed = parse(config, properties, "");
        if (parsed == null) {
            return; // visible as FAULT with the refusal; a corrected file starts the line (modified)
        }
        start(parsed);
    }

    /**
     * A changed configuration file. A malformed one is refused with a clear log line and a CONFIG_REFUSED
     * event, and the line keeps running on its previous configuration.
     */
    void modified(LineConfig config) {
        modified(config, Map.of());
    }

    @Modified
    void modified(LineConfig config, Map<String, Object> properties) {
        LineSettings previous = settings;
        LineSettings next = parse(config, properties, previous == null ? "" : "; the line keeps its previous configuration");
        if (next == null) {
            return;
        }
        RunningLine current = line;
        if (current == null) {
            start(next);
            return;
        }
        if (!next.lineId().equals(previous.lineId())) {
            refuseConfig("line.id cannot change while the line runs (" + previous.lineId() + " -> " + next.lineId()
                    + "): create a new line file instead; the line keeps its previous configuration");
            return;
        }
        synchronized (lifecycle) {
            settings = next;
            current.apply(next);
        }
        LOG.info("Line '{}' reconfigured live: {}", next.lineId(), describe(next));
        current.announceStatus();
    }

    /**
     * Parses the configuration; on failure records and reports the problem and returns null. The file's own text is
     * checked first: a value that is not a number is refused by name before it could become a default, and keys the
     * line does not know are reported with the nearest known one.
     */
    private LineSettings parse(LineConfig config, Map<String, Object> properties, String consequence) {
        Path home = Path.of(System.getProperty("linesight.home", "")).toAbsolutePath();
        Path data = Path.of(System.getProperty("linesight.data", System.getProperty("java.io.tmpdir") + "/linesight"))
                .toAbsolutePath();
        String file = RawProperties.file(properties);
        String where = file.isEmpty() ? "" : " (" + file + ")";
        for (String unknown : RawProperties.unknownKeys(properties)) {
            LOG.warn("Line '{}'{}: {}", config.line_id(), where, unknown);
        }
        try {
            List<String> raw = RawProperties.problems(properties);
            if (!raw.isEmpty()) {
                throw new IllegalArgumentException("Invalid configuration " + LineSettings.PID + " for line '"
                        + config.line_id() + "'" + where + ": " + String.join("; ", raw));
            }
            return LineSettings.from(config, home, data);
        } catch (IllegalArgumentException e) {
            if (settings == null && config.line_id() != null && config.line_id().matches("[A-Za-z0-9_.-]{1,64}")) {
                lineId = config.line_id();
            }
            refuseConfig(e.getMessage() + consequence);
            return null;
        } catch (RuntimeException e) {
            // Declarative Services could not convert a value the raw check does not know: refuse, never crash.
            refuseConfig("a value cannot be read (" + e.getMessage() + ")" + where + consequence);
            return null;
        }
    }

    private void refuseConfig(String problem) {
        if (settings == null) {
            configProblem = "configuration refused: " + problem;
        }
        LOG.error("Line '{}': configuration refused: {}. Fix the line's file in config/; FileInstall applies it when saved.",
                lineId, problem);
        publishEvent(EventKind.CONFIG_REFUSED, "configuration refused: " + problem);
    }

    private void start(LineSettings parsed) {
        RunningLine started;
        synchronized (lifecycle) {
            settings = parsed;
            lineId = parsed.lineId();
            configProblem = null;
            started = new RunningLine(parsed, lifecycle, cameras, pendingSinks, this::publishEvent,
                    StartingMarker.register(parsed.lineId()));
            pendingSinks.clear();
            line = started;
            started.start();
        }
        started.announceStatus();
    }

    static String describe(LineSettings s) {
        return "camera " + s.cameraTarget() + ", model package " + s.modelPackage() + ", reject " + s.rules().rejectLabels()
                + " >= " + s.rules().rejectMinConfidence() + ", review >= " + s.rules().reviewMinConfidence()
                + (s.rules().countRules().isEmpty() ? "" : ", count rules " + s.rules().countRules() + " -> " + s.rules().countVerdict())
                + ", review frames to " + (s.reviewMaxFrames() == 0 ? "nowhere (off)" : s.reviewFolder() + " (at most " + s.reviewMaxFrames() + ")")
                + ", shadow promotion rule: " + s.shadowRule().describe();
    }

    @Deactivate
    void deactivate() {
        RunningLine current = line;
        if (current != null && current.running()) {
            current.stop();
        }
    }

    // ---- references -------------------------------------------------------------------------------

    /**
     * Every camera is bound; the line picks the one its camera.target matches ({@link CameraChoice}). The reference
     * is deliberately not named "camera": Declarative Services would apply the line's camera.target to it, and a
     * malformed filter in an edited file would unbind the camera before the line could refuse the edit.
     */
    @Reference(name = "cameras", service = FrameSource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addCamera(FrameSource source, Map<String, Object> properties) {
        RunningLine current;
        synchronized (lifecycle) {
            cameras.add(source, properties);
            current = line;
            if (current != null) {
                current.chooseCamera();
            }
        }
        if (current != null) {
            current.announceStatus();
        }
    }

    void removeCamera(FrameSource source) {
        RunningLine current;
        synchronized (lifecycle) {
            cameras.remove(source);
            current = line;
            if (current != null) {
                current.cameraRemoved(source);
            }
        }
        if (current != null) {
            current.announceStatus();
        }
    }

    /** Direct binding (tests): the camera's source.id stands for its service properties. */
    void bindCamera(FrameSource source) {
        addCamera(source, Map.of());
    }

    @Reference(name = "modelRuntime", service = ModelRuntime.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(model.runtime=onnx)")
    void bindModelRuntime(ModelRuntime runtime) {
        synchronized (lifecycle) {
            modelRuntime = runtime; // only to retire the models when it leaves: the deployment loads them
        }
    }

    void unbindModelRuntime(ModelRuntime runtime) {
        synchronized (lifecycle) {
            if (modelRuntime != runtime) {
                return;
            }
            modelRuntime = null;
        }
        RunningLine current = line;
        if (current != null) {
            current.retireModels("the model runtime went away");
        }
    }

    @Reference(name = "events", service = EventBoard.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindEvents(EventBoard board) {
        events = board;
    }

    void unbindEvents(EventBoard board) {
        if (events == board) {
            events = null;
        }
    }

    @Reference(name = "sinks", service = ResultSink.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindSink(ResultSink sink, Map<String, Object> properties) {
        synchronized (lifecycle) {
            RunningLine current = line;
            if (current == null) {
                pendingSinks.put(sink, properties);
            } else {
                current.addSink(sink, properties);
            }
        }
    }

    void unbindSink(ResultSink sink) {
        synchronized (lifecycle) {
            pendingSinks.remove(sink);
            RunningLine current = line;
            if (current != null) {
                current.removeSink(sink);
            }
        }
    }

    private void publishEvent(EventKind kind, String message) {
        EventBoard board = events;
        if (board != null) {
            board.publish(RuntimeEvent.of(kind, "line/" + lineId, message));
        }
    }

    // ---- InspectionLine ---------------------------------------------------------------------------

    @Override
    public String id() {
        return lineId;
    }

    @Override
    public LineStatus status() {
        RunningLine current = line;
        if (current == null) {
            LineCondition c = LineCondition.unconfigured(configProblem);
            return new LineStatus(lineId, c.state(), c.detail(), c.sourceId(), c.cameraState(), c.model(),
                    io.linesight.api.inspection.LineCounters.zero(), 0, 0, 0, Optional.empty(), Instant.now());
        }
        return current.status();
    }

    @Override
    public void resetCounters() {
        RunningLine current = line;
        if (current != null) {
            current.resetCounters();
        }
    }

    @Override
    public Optional<Path> configuredPackage() {
        RunningLine current = line;
        return current == null ? Optional.empty() : current.configuredPackage();
    }

    @Override
    public void modelUnavailable(String problem) {
        RunningLine current = line;
        if (current != null) {
            current.modelUnavailable(problem);
        }
    }

    @Override
    public Optional<ModelInfo> installModel(LoadedModel model, String origin) {
        RunningLine current = line;
        if (current == null) {
            model.close();
            throw new IllegalStateException("Line '" + lineId + "' is not running: " + status().stateDetail());
        }
        return current.installModel(model, origin);
    }

    @Override
    public void startShadow(LoadedModel candidate, String origin) {
        RunningLine current = line;
        if (current == null) {
            candidate.close();
            throw new IllegalStateException("Line '" + lineId + "' is not running: " + status().stateDetail());
        }
        current.startShadow(candidate, origin);
    }

    @Override
    public Optional<ShadowFigures> stopShadow(String why) {
        RunningLine current = line;
        return current == null ? Optional.empty() : current.stopShadow(why);
    }

    @Override
    public Optional<ShadowFigures> shadow() {
        RunningLine current = line;
        return current == null ? Optional.empty() : current.shadow();
    }
}
