package io.linesight.watch;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.watch.DriftFigures;
import io.linesight.api.watch.DriftWatch;
import io.linesight.api.watch.HealthWindowStatus;
import io.linesight.api.watch.HealthWindowStatus.State;
import io.linesight.api.watch.HealthWindows;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * The health window: a result sink of every line that, after a line switches to another model, applies the rules of
 * {@link HealthRules} to the new model for {@code healthWindowFrames} frames or {@code healthWindowMs}, whichever comes
 * first, and rolls the line back to its previous model ({@link ModelDeployment#rollback}, actor
 * {@value #ACTOR}) when one breaks: a history entry, the latching alarm MODEL_ROLLED_BACK and one WARN, each naming
 * the rule and its figures.
 *
 * <p>Threads: the line's thread only updates fixed arrays in its {@link LineHealth}. One daemon thread (a scheduled
 * executor whose queue holds nothing but its one periodic task) polls the lines' error counters, applies the rules,
 * and calls the deployment, which may take seconds: a slow rollback delays the next evaluation, never a line.
 */
@Component(configurationPid = HealthWindowConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ResultSink.class, HealthWindows.class}, immediate = true)
@Designate(ocd = HealthWindowConfig.class)
public final class HealthWindowComponent implements ResultSink, HealthWindows {

    /** The actor of the rollbacks in the line's history. */
    static final String ACTOR = "health-window";

    private static final Logger LOG = LoggerFactory.getLogger(HealthWindowComponent.class);

    private final HealthSettings settings;
    private final HealthRules rules;
    private final Clock clock;
    private final Map<String, LineHealth> lines = new ConcurrentHashMap<>();
    private final Map<String, InspectionLine> inspectionLines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService evaluator;
    private volatile ModelDeployment deployment;
    private volatile EventBoard events;
    private volatile DriftWatch drift;

    @Activate
    public HealthWindowComponent(HealthWindowConfig config) {
        this(HealthSettings.from(config), Clock.systemUTC(), true);
    }

    /** For tests: {@code schedule} false leaves evaluation to {@link #evaluate()}. */
    HealthWindowComponent(HealthSettings settings, Clock clock, boolean schedule) {
        this.settings = settings;
        this.rules = new HealthRules(settings);
        this.clock = clock;
        this.evaluator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linesight-health-window");
            t.setDaemon(true);
            return t;
        });
        if (schedule && settings.enabled()) {
            evaluator.scheduleWithFixedDelay(this::evaluateQuietly, settings.evaluateEveryMs(),
                    settings.evaluateEveryMs(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Health window: {}", settings.describe());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        evaluator.shutdownNow();
        evaluator.awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---- references -------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDeployment")
    void bindDeployment(ModelDeployment service) {
        deployment = service;
    }

    void unbindDeployment(ModelDeployment service) {
        if (deployment == service) {
            deployment = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindEvents")
    void bindEvents(EventBoard board) {
        events = board;
    }

    void unbindEvents(EventBoard board) {
        if (events == board) {
            events = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDrift")
    void bindDrift(DriftWatch watch) {
        drift = watch;
    }

    void unbindDrift(DriftWatch watch) {
        if (drift == watch) {
            drift = null;
        }
    }

    /** The lines, polled for their inference-error counter: a model that fails every frame judges none. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "unbindLine")
    void bindLine(InspectionLine line) {
        inspectionLines.put(line.id(), line);
    }

    void unbindLine(InspectionLine line) {
        inspectionLines.remove(line.id(), line);
    }

    // ---- the line's side --------------------------------------------------------------------------

    /** Line thread: the frame's verdict and inference time into the line's fixed arrays. */
    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        long inferenceNanos = event.latencies() == null ? 0 : event.latencies().inferenceNanos();
        health(event.lineId()).judged(event.model(), event.verdict() == Verdict.REJECT, inferenceNanos,
                errorCount(status), clock.millis());
    }

    @Override
    public void lineStatusChanged(LineStatus status) {
        health(status.lineId()).statusSeen(status.model().orElse(null), errorCount(status), clock.millis());
    }

    @Override
    public void lineRemoved(String lineId) {
        lines.remove(lineId);
    }

    @Override
    public List<HealthWindowStatus> windows() {
        long now = clock.millis();
        List<HealthWindowStatus> out = new ArrayList<>();
        lines.values().forEach(h -> out.add(h.status(now)));
        out.sort(Comparator.comparing(HealthWindowStatus::lineId));
        return out;
    }

    private LineHealth health(String lineId) {
        return lines.computeIfAbsent(lineId, id -> new LineHealth(id, settings));
    }

    private static long errorCount(LineStatus status) {
        return status == null ? -1 : status.counters().dropped().get(DropCause.INFERENCE_ERROR);
    }

    // ---- the evaluator's side ---------------------------------------------------------------------

    /** Evaluator thread (or a test): polls the lines, then applies the rules to every open window. */
    void evaluate() {
        inspectionLines.values().forEach(line -> lineStatusChanged(line.status()));
        lines.forEach(this::evaluate);
    }

    private void evaluateQuietly() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.warn("Health window: evaluation failed ({}); it runs again in {} ms", e, settings.evaluateEveryMs(), e);
        }
    }

    private void evaluate(String lineId, LineHealth health) {
        LineHealth.OpenWindow w = health.openWindow();
        if (w == null) {
            return;
        }
        if (!w.announced()) {
            announce(lineId, w);
            health.announced(w.token());
        }
        Optional<HealthRules.Breach> broken = rules.firstBroken(new HealthRules.Evidence(w.figures(), w.previous(),
                w.inferenceErrors(), driftOf(lineId, w.model())));
        if (broken.isPresent()) {
            rollBack(lineId, health, w, broken.get());
        } else if (closes(w, clock.millis())) {
            pass(lineId, health, w);
        }
    }

    private boolean closes(LineHealth.OpenWindow w, long now) {
        return (settings.windowFrames() > 0 && w.judged() >= settings.windowFrames())
                || (settings.windowMs() > 0 && now - w.openedAtMs() >= settings.windowMs());
    }

    private void announce(String lineId, LineHealth.OpenWindow w) {
        String skipped = rules.skippedComparisons(w.previous());
        LOG.info("Line '{}': health window open for {} (previous {}: {})", lineId, w.model(), w.previousModel(),
                describe(w.previous()));
        if (!skipped.isEmpty()) {
            LOG.info("Line '{}': the previous model {} left figures of {} frames only, too few to compare with; skipped"
                    + " in this window: {}; the inference-error rule applies", lineId, w.previousModel(),
                    w.previous().frames(), skipped);
        }
    }

    private void pass(String lineId, LineHealth health, LineHealth.OpenWindow w) {
        String note = "passed after " + w.judged() + " frames: " + describe(w.figures()) + ", " + w.inferenceErrors()
                + " inference errors";
        if (health.close(w.token(), State.PASSED, note)) {
            LOG.info("Line '{}': health window of {} {}", lineId, w.model(), note);
        }
    }

    private void rollBack(String lineId, LineHealth health, LineHealth.OpenWindow w, HealthRules.Breach breach) {
        ModelDeployment service = deployment;
        Optional<String> active = service == null ? Optional.empty() : activeModel(service.history(lineId), w);
        if (service != null && active.isPresent()) {
            String note = breach.reason() + "; " + w.modelId() + " is no longer the line's active model in its"
                    + " history (" + active.get() + " is): no rollback";
            if (health.close(w.token(), State.SUPERSEDED, note)) {
                LOG.info("Line '{}': {}", lineId, note);
            }
            return;
        }
        if (!health.rollingBack(w.token(), breach.reason())) {
            return; // the line switched models since the snapshot: that window is superseded already
        }
        if (service == null) {
            failed(lineId, health, w, breach, "no model deployment service is running");
            return;
        }
        try {
            Activation back = service.rollback(lineId, ACTOR, breach.reason());
            rolledBack(lineId, health, w, breach, back);
        } catch (DeploymentException | RuntimeException e) {
            failed(lineId, health, w, breach, e.getMessage());
        }
    }

    /**
     * Empty when the line's history shows the model under watch as the active one (the last entry that was not
     * refused and not a shadow trial, which leaves the active model as it was); otherwise the model it shows, or
     * "none" (a history with no entry cannot have activated it).
     */
    static Optional<String> activeModel(List<Activation> history, LineHealth.OpenWindow w) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Activation a = history.get(i);
            if (!"refused".equals(a.action()) && !"shadow".equals(a.action())) {
                boolean same = a.model().equals(w.modelId()) && (a.sha256() == null || a.sha256().equals(w.sha256()));
                return same ? Optional.empty() : Optional.of(a.model());
            }
        }
        return Optional.of("none");
    }

    private void rolledBack(String lineId, LineHealth health, LineHealth.OpenWindow w, HealthRules.Breach breach,
            Activation back) {
        String text = breach.reason() + "; rolled back from " + w.modelId() + " to " + back.model()
                + " (no health window for it); acknowledge once checked";
        health.settle(w.token(), State.ROLLED_BACK, text);
        LOG.warn("Line '{}': {}", lineId, text);
        EventBoard board = events;
        if (board != null) {
            board.publish(RuntimeEvent.of(EventKind.MODEL_ROLLED_BACK, "line/" + lineId, text));
        }
    }

    private void failed(String lineId, LineHealth health, LineHealth.OpenWindow w, HealthRules.Breach breach,
            String why) {
        String text = breach.reason() + "; the rollback of " + w.modelId() + " failed: " + why
                + "; the line keeps it: check the model and roll back by hand (model:rollback " + lineId + ")";
        health.settle(w.token(), State.ROLLBACK_FAILED, text);
        LOG.warn("Line '{}': {}", lineId, text);
    }

    /** The drift watch's figures for this line, if they are about the model under watch. */
    private DriftFigures driftOf(String lineId, String model) {
        DriftWatch watch = drift;
        if (watch == null || !settings.rollbackOnDrift()) {
            return null;
        }
        return watch.figures().stream().filter(f -> f.lineId().equals(lineId) && model.equals(f.model()))
                .findFirst().orElse(null);
    }

    private static String describe(ModelFrames.Figures f) {
        return f.frames() == 0 ? "no frames" : String.format(Locale.ROOT,
                "reject rate %.3f, inference p95 %.2f ms over %d frames", f.rejectRate(), f.latencyP95Ms(), f.frames());
    }
}
