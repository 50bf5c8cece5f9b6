package io.linesight.watch;

import io.linesight.api.deploy.GoldenOutputs;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.model.ModelInfo;
import java.util.Optional;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detections;
import io.linesight.api.watch.DriftFigures;
import io.linesight.api.watch.DriftWatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * The drift watch: a result sink of every line that compares what the line's active model says now with what it said
 * right after its activation. Per line, the top-1 confidence and the verdict of each judged frame go into a reference
 * window (the first {@code referenceFrames}) and a rolling window (the latest {@code windowFrames}); every
 * {@code evaluateEveryMs} its own thread computes the confidence PSI and KS statistic and the verdict-share PSI
 * ({@link PopulationStability}, {@link KolmogorovSmirnov}), and raises MODEL_DRIFT when one reaches its threshold,
 * clearing it when all are back below. A new model on the line starts a new reference (and clears the alarm).
 *
 * <p>The line's thread only copies two numbers into fixed arrays; nothing here can slow a verdict or grow with frames.
 */
@Component(configurationPid = DriftWatchConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ResultSink.class, DriftWatch.class}, immediate = true)
@Designate(ocd = DriftWatchConfig.class)
public final class DriftWatchComponent implements ResultSink, DriftWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DriftWatchComponent.class);
    private static final int CONFIDENCE_BINS = 10;

    /** One line: its windows for the current model, its latest figures, and whether its alarm stands. */
    private static final class Watched {
        volatile LineWindows windows;
        volatile DriftFigures figures;
        String alarmedModel;

        Watched(LineWindows windows) {
            this.windows = windows;
        }
    }

    private final DriftWatchConfig config;
    private final Clock clock;
    private final Map<String, Watched> lines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService evaluator;
    private volatile EventBoard events;
    private volatile ModelDeployment deployment;
    private final boolean goldenReference;

    @Activate
    public DriftWatchComponent(DriftWatchConfig config) {
        this(config, Clock.systemUTC(), true);
    }

    /** For tests: {@code schedule} false leaves evaluation to {@link #evaluate()}. */
    DriftWatchComponent(DriftWatchConfig config, Clock clock, boolean schedule) {
        this.config = config;
        this.clock = clock;
        this.goldenReference = referenceIsGolden(config.reference());
        this.evaluator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linesight-drift-watch");
            t.setDaemon(true);
            return t;
        });
        if (schedule) {
            evaluator.scheduleWithFixedDelay(this::evaluateQuietly, config.evaluateEveryMs(), config.evaluateEveryMs(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("Drift watch: reference {}, window {} frames, every {} ms; drifting at PSI >= {} or KS >= {}",
                goldenReference ? "the model's golden set (else its first " + config.referenceFrames() + " frames)"
                        : config.referenceFrames() + " frames", config.windowFrames(), config.evaluateEveryMs(),
                config.psiThreshold(), config.ksThreshold());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        evaluator.shutdownNow();
        evaluator.awaitTermination(5, TimeUnit.SECONDS);
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

    /** Only for the golden reference: what a model answered on its golden set is kept by the deployment. */
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

    private static boolean referenceIsGolden(String reference) {
        String value = reference == null ? "frames" : reference.trim();
        if (value.equals("golden")) {
            return true;
        }
        if (!value.equals("frames")) {
            throw new IllegalArgumentException("reference is '" + reference + "' in " + DriftWatchConfig.PID
                    + ": it must be 'frames' or 'golden'");
        }
        return false;
    }

    /** Line thread: two numbers into the line's windows; a new model starts new windows. */
    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        String model = event.model().displayName();
        Watched watched = lines.computeIfAbsent(event.lineId(), id -> new Watched(newWindows(event.model())));
        LineWindows windows = watched.windows;
        if (!windows.model().equals(model)) {
            windows = newWindows(event.model());
            watched.windows = windows;
        }
        windows.add(topConfidence(event), event.verdict(), topClass(event));
    }

    @Override
    public void lineRemoved(String lineId) {
        Watched gone = lines.remove(lineId);
        if (gone != null) {
            evaluator.execute(() -> clearAlarm(lineId, gone, "the line was removed"));
        }
    }

    @Override
    public List<DriftFigures> figures() {
        List<DriftFigures> out = new ArrayList<>();
        lines.values().forEach(w -> {
            if (w.figures != null) {
                out.add(w.figures);
            }
        });
        out.sort(Comparator.comparing(DriftFigures::lineId));
        return out;
    }

    /** Evaluator thread (or a test): new figures for every line, and the alarms that follow from them. */
    void evaluate() {
        lines.forEach(this::evaluate);
    }

    private void evaluateQuietly() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.warn("Drift watch: evaluation failed ({}); it runs again in {} ms", e.toString(), config.evaluateEveryMs(), e);
        }
    }

    private void evaluate(String lineId, Watched watched) {
        if (goldenReference && !watched.windows.goldenLookedFor()) {
            lookUpGoldenReference(lineId, watched.windows);
        }
        LineWindows.Snapshot s = watched.windows.snapshot();
        if (watched.alarmedModel != null && !watched.alarmedModel.equals(s.model())) {
            clearAlarm(lineId, watched, "the line runs another model now (" + s.model() + "); watching it from its first frames");
        }
        if (!s.full(config.referenceFrames(), config.windowFrames())) {
            watched.figures = new DriftFigures(lineId, s.model(), DriftFigures.State.LEARNING,
                    s.referenceConfidence().length, s.windowConfidence().length, 0, 0, 0, 0,
                    rejectRate(s.referenceVerdicts()), rejectRate(s.windowVerdicts()), clock.instant());
            return;
        }
        double confidencePsi = PopulationStability.of(s.referenceConfidence(), s.windowConfidence(), CONFIDENCE_BINS, 0, 1);
        double confidenceKs = KolmogorovSmirnov.statistic(s.referenceConfidence(), s.windowConfidence());
        double verdictPsi = s.golden() ? 0 // the golden set was never judged by the line's thresholds
                : PopulationStability.ofShares(PopulationStability.categoryShares(s.referenceVerdicts(), 3),
                PopulationStability.categoryShares(s.windowVerdicts(), 3));
        double classPsi = PopulationStability.ofShares(PopulationStability.categoryShares(s.referenceClasses(), s.classes()),
                PopulationStability.categoryShares(s.windowClasses(), s.classes()));
        boolean drifting = confidencePsi >= config.psiThreshold() || verdictPsi >= config.psiThreshold()
                || classPsi >= config.psiThreshold() || confidenceKs >= config.ksThreshold();
        DriftFigures figures = new DriftFigures(lineId, s.model(), drifting ? DriftFigures.State.DRIFTING
                : DriftFigures.State.STABLE, s.referenceConfidence().length, s.windowConfidence().length, confidencePsi,
                confidenceKs, verdictPsi, classPsi, rejectRate(s.referenceVerdicts()), rejectRate(s.windowVerdicts()), clock.instant());
        watched.figures = figures;
        if (drifting && watched.alarmedModel == null) {
            watched.alarmedModel = s.model();
            String text = "model " + s.model() + " judges differently from " + (s.golden() ? "its golden set ("
                    + figures.referenceFrames() + " images)" : "its first " + figures.referenceFrames() + " frames")
                    + ": " + describe(figures) + ". Check the camera, lighting and product; if the product changed,"
                    + " retrain and deploy a model for it";
            LOG.warn("Line '{}': {}", lineId, text);
            publish(EventKind.MODEL_DRIFT, lineId, text);
        } else if (!drifting && watched.alarmedModel != null) {
            clearAlarm(lineId, watched, "back within the thresholds: " + describe(figures));
        }
    }

    private void clearAlarm(String lineId, Watched watched, String why) {
        if (watched.alarmedModel == null) {
            return;
        }
        watched.alarmedModel = null;
        LOG.info("Line '{}': drift alarm cleared: {}", lineId, why);
        publish(EventKind.MODEL_DRIFT_GONE, lineId, why);
    }

    private String describe(DriftFigures f) {
        return String.format(Locale.ROOT, "confidence PSI %.3f (threshold %.2f), KS %.3f (threshold %.2f), verdict PSI"
                        + " %.3f, class PSI %.3f, reject rate %.1f %% (was %.1f %%)", f.confidencePsi(), config.psiThreshold(),
                f.confidenceKs(), config.ksThreshold(), f.verdictPsi(), f.classPsi(), 100 * f.windowRejectRate(),
                100 * f.referenceRejectRate());
    }

    private void publish(EventKind kind, String lineId, String text) {
        EventBoard board = events;
        if (board != null) {
            board.publish(RuntimeEvent.of(kind, "line/" + lineId, text));
        }
    }

    private LineWindows newWindows(ModelInfo model) {
        return new LineWindows(model.displayName(), model.name(), model.version(), model.labels().size(),
                config.referenceFrames(), config.windowFrames());
    }

    /** Evaluator thread, once per model: the golden set's answers become the reference, when the deployment kept them. */
    private void lookUpGoldenReference(String lineId, LineWindows windows) {
        ModelDeployment service = deployment;
        if (service == null) {
            return; // looked for again once the deployment is there
        }
        windows.goldenLookedFor(true);
        Optional<GoldenOutputs> golden = Optional.empty();
        try {
            golden = service.goldenOutputs(windows.packageName(), windows.packageVersion());
        } catch (RuntimeException e) {
            LOG.warn("Drift watch: the golden-set answers of {} cannot be read ({})", windows.model(), e.toString());
        }
        if (golden.isEmpty() || golden.get().topConfidence().isEmpty()) {
            LOG.info("Line '{}': no golden-set answers kept for {} (its gate did not run on this runtime); the drift"
                    + " reference is its first {} frames", lineId, windows.model(), config.referenceFrames());
            return;
        }
        GoldenOutputs g = golden.get();
        windows.useGoldenReference(g.topConfidence().stream().mapToDouble(Double::doubleValue).toArray(),
                g.topClass().stream().mapToInt(Integer::intValue).toArray());
        LOG.info("Line '{}': drift reference of {} is its golden set ({} images)", lineId, windows.model(),
                g.topConfidence().size());
    }

    /** The classifier's best class, or the class of the detector's most confident object (-1: none). */
    static int topClass(InspectionEvent event) {
        if (event.result() instanceof Classification c) {
            return c.best().index();
        }
        if (event.result() instanceof Detections d) {
            return d.objects().isEmpty() ? -1 : d.objects().get(0).classIndex();
        }
        return -1;
    }

    /** The classifier's top-1 probability, or the detector's most confident object (0 when it found none). */
    static double topConfidence(InspectionEvent event) {
        if (event.result() instanceof Classification c) {
            return c.best().confidence();
        }
        if (event.result() instanceof Detections d) {
            return d.objects().isEmpty() ? 0 : d.objects().get(0).confidence();
        }
        return 0;
    }

    private static double rejectRate(int[] verdicts) {
        if (verdicts.length == 0) {
            return 0;
        }
        long rejects = java.util.Arrays.stream(verdicts).filter(v -> v == 1).count();
        return rejects / (double) verdicts.length;
    }
}
