package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.event.EventBoard;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model deployment of this runtime: arrive → verify → store → gate → activate → record. Every arrival
 * path (drop folder, console, later HTTP) calls {@link #deploy}; every operator path calls
 * {@link #activate} / {@link #rollback}. Activations of one line are serialised; gates run one at a time on
 * the gate thread, so a line's inference thread never loads or gates a model.
 *
 * <p>The deployment is the only path by which a model reaches a line. When a line appears, and whenever its
 * service properties change (its file was edited), {@link LineModelOwner} gives it the model its configuration
 * and history say: the configured package as an activation of its own when it changed, else the last activated
 * model, verified against today's trust list.
 *
 * <p>Removal ({@link #remove} and the retention sweep) and the start of every activation hold one repository lock,
 * so a version is either gone before an activation looks for it (NOT_FOUND) or the activation is registered as
 * switching its line first, and then neither the version nor anything in that line's rollback chain is removed
 * until it is done. Removal never waits for a gate: it refuses with "try again".
 */
@Component(service = ModelDeployment.class, configurationPid = DeploySettings.PID, immediate = true)
@Designate(ocd = DeployConfig.class)
public class ModelDeploymentService implements ModelDeployment {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDeploymentService.class);
    private static final int GATE_QUEUE = 16;
    static final long SWEEP_MINUTES = 10;
    static final String RETENTION_ACTOR = "retention";

    private final DeploySettings settings;
    private final ModelRepository repository;
    private final PackageVerifier verifier;
    private final PackageUnpacker unpacker;
    private final ActivationLog log;
    private final Events events = new Events();
    private final ExecutorService gateThread;
    private final ScheduledExecutorService timer;
    private final Activator activator;
    private final DropFolder drop;
    private final LineModelOwner owner;
    private final Set<InspectionLine> lines = new CopyOnWriteArraySet<>();
    private final Map<String, Object> lineLocks = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Retention retention;
    /** Taken by removals and by the start of every activation; never held while a gate runs. */
    private final Object repositoryLock = new Object();
    /** Line id to the {@code name@version} being activated on it right now. */
    private final Map<String, String> switching = new ConcurrentHashMap<>();
    /** Versions in a shadow trial now, with their lines; the shadow trial plugs in here (none yet). */
    private volatile Supplier<Map<String, List<String>>> shadows = this::runningShadowTrials;

    @Activate
    public ModelDeploymentService(DeployConfig config,
            @Reference(name = "modelRuntime", target = "(" + ModelRuntime.RUNTIME + "=onnx)") ModelRuntime runtime) {
        this(DeploySettings.from(config, System::getProperty), runtime);
    }

    ModelDeploymentService(DeploySettings settings, ModelRuntime runtime) {
        this(settings, runtime, Clock.systemUTC());
    }

    /** {@code clock} decides the retention's "now" (tests move it forward). */
    ModelDeploymentService(DeploySettings settings, ModelRuntime runtime, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.retention = new Retention(settings.keepVersionsPerModel(), settings.refusedRetention());
        this.repository = openRepository(settings.repository());
        this.verifier = new PackageVerifier(new TrustedKeys(settings.trustedKeys()), settings.acceptUnsigned());
        this.unpacker = new PackageUnpacker(settings.maxPackageBytes());
        this.log = new ActivationLog(repository.root().resolve(ModelRepository.HISTORY));
        this.drop = settings.drop() == null ? null : new DropFolder(settings.drop(), this);
        this.gateThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(GATE_QUEUE), r -> daemon(r, "linesight-model-gate"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "linesight-model-deploy"));
        this.activator = new Activator(repository, verifier, log, runtime, gateThread, events);
        this.owner = new LineModelOwner(repository, log, activator, events,
                (folder, actor) -> store(folder, actor, true),
                (line, model, action, actor, reason, regate) -> switchLine(line, model, action, actor, reason, true,
                        regate));
        if (drop != null) {
            timer.scheduleWithFixedDelay(this::pollDrop, settings.dropPollMs(), settings.dropPollMs(),
                    TimeUnit.MILLISECONDS);
        }
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, SWEEP_MINUTES, TimeUnit.MINUTES);
        ShadowAutoPromotion autoPromotion = new ShadowAutoPromotion(() -> lines, this);
        timer.scheduleWithFixedDelay(() -> background(autoPromotion::check), ShadowAutoPromotion.PERIOD_MS,
                ShadowAutoPromotion.PERIOD_MS, TimeUnit.MILLISECONDS);
        LOG.info("Model deployment ready: {}", settings.describe());
        if (settings.acceptUnsigned()) {
            LOG.warn("acceptUnsigned=true: UNSIGNED model packages will be accepted. This is for demos only;"
                    + " production must not run like this");
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        gateThread.shutdownNow();
        activator.cancelPending();
        await(timer);
        await(gateThread);
        LOG.info("Model deployment stopped");
    }

    // ---- references -------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedLine")
    void bindLine(InspectionLine line) {
        lines.add(line);
        schedule(() -> reconcile(line), 0);
    }

    /** The line's service properties changed: its file was edited, maybe its model.package. */
    void updatedLine(InspectionLine line) {
        schedule(() -> reconcile(line), 0);
    }

    void unbindLine(InspectionLine line) {
        lines.remove(line);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEventBoard(EventBoard board) {
        events.bind(board);
    }

    void unbindEventBoard(EventBoard board) {
        events.unbind(board);
    }

    // ---- ModelDeployment --------------------------------------------------------------------------

    @Override
    public StoredModel deploy(Path packagePath, String actor) throws DeploymentException {
        return store(packagePath, actorOf(actor), false);
    }

    /** Unpacks, verifies and stores a package; {@code fromConfig} allows it unsigned (see PackageVerifier). */
    private StoredModel store(Path packagePath, String actor, boolean fromConfig) throws DeploymentException {
        Path staging = repository.newStaging();
        try {
            Path root = unpacker.unpack(packagePath, staging);
            refuseReservedNames(root, packagePath);
            PackageCard card = PackageCard.read(root);
            String signer = verifier.verify(root, card.id() + " (" + packagePath.getFileName() + ")", Set.of(),
                    fromConfig || settings.acceptUnsigned());
            StoredModel stored = repository.store(root, card, signer, actor);
            LOG.info("Model package {} stored from {} by {}: signed by {}, model sha256 {}", stored.id(),
                    packagePath, actor, signer, stored.sha256());
            return stored;
        } catch (DeploymentException e) {
            LOG.warn("Model package {} refused ({}): {}", packagePath, e.reason(), e.getMessage());
            events.refused(String.valueOf(packagePath.getFileName()), e.getMessage() + " Nothing changed on any line.");
            throw e;
        } finally {
            ModelRepository.deleteTree(staging);
        }
    }

    @Override
    public List<StoredModel> stored() {
        return states().models();
    }

    @Override
    public StoredModel remove(String name, String version, String actor) throws DeploymentException {
        synchronized (repositoryLock) {
            ModelStates states = states();
            ModelStates.Entry entry = states.entry(name + "@" + version).orElseThrow(() -> new DeploymentException(
                    Reason.NOT_FOUND, "No package " + name + "@" + version + " in the repository (stored: "
                            + states.models().stream().map(StoredModel::id).toList() + ")"));
            if (entry.keepReason() != null) {
                throw new DeploymentException(Reason.INVALID_STATE, "Cannot remove " + entry.id() + ": "
                        + entry.keepReason());
            }
            refuseWhileSwitching(states, entry.id());
            delete(entry, actorOf(actor), "asked by " + actorOf(actor));
            return entry.model();
        }
    }

    @Override
    public Activation activate(String lineId, String name, String version, String actor, String reason)
            throws DeploymentException {
        InspectionLine line = line(lineId);
        StoredModel model = storedModel(name, version);
        synchronized (lockOf(lineId)) {
            return switchLine(line, lineId, model, ActivationStack.ACTIVATE, actor, reason, true);
        }
    }

    @Override
    public Activation rollback(String lineId, String actor, String reason) throws DeploymentException {
        InspectionLine line = line(lineId);
        synchronized (lockOf(lineId)) {
            ActivationStack stack = ActivationStack.replay(log.read(lineId));
            String target = stack.rollbackTarget().orElseThrow(() -> new DeploymentException(Reason.INVALID_STATE,
                    "Line '" + lineId + "' has nothing to roll back to: its history holds no model before "
                            + stack.active().orElse("the current one")));
            String[] nameVersion = target.split("@", 2);
            StoredModel model = repository.find(nameVersion[0], nameVersion[1]).orElseThrow(() ->
                    new DeploymentException(Reason.INVALID_STATE, "Line '" + lineId + "' would roll back to "
                            + target + ", which is not in the repository: deploy it, then use model:activate"));
            return switchLine(line, lineId, model, ActivationStack.ROLLBACK, actor, reason, true);
        }
    }

    @Override
    public Optional<io.linesight.api.deploy.GoldenOutputs> goldenOutputs(String name, String version) {
        return repository.goldenOutputs(name, version);
    }

    @Override
    public List<Activation> history(String lineId) {
        return log.read(lineId);
    }

    @Override
    public Optional<Path> activePackage(String lineId) {
        return ActivationStack.replay(log.read(lineId)).active().flatMap(ModelDeploymentService::split)
                .flatMap(nv -> repository.folder(nv[0], nv[1]));
    }

    // ---- shadow trials ------------------------------------------------------------------------------

    @Override
    public Activation shadow(String lineId, String name, String version, String actor) throws DeploymentException {
        InspectionLine line = line(lineId);
        StoredModel model = storedModel(name, version);
        synchronized (lockOf(lineId)) {
            Optional<ModelInfo> active = line.status().model();
            if (active.isPresent() && LineModelOwner.runs(active.get(), model)) {
                throw new DeploymentException(Reason.INVALID_STATE, "Line '" + lineId + "' runs " + model.id()
                        + " already: a shadow trial needs another model (see model:list)");
            }
            String reason = "shadow trial beside " + active.map(Activator::id).orElse("no model");
            return switchLine(line, model, ActivationStack.SHADOW, actor, reason, true, true, activator::shadow);
        }
    }

    @Override
    public ShadowFigures stopShadow(String lineId, String actor) throws DeploymentException {
        InspectionLine line = line(lineId);
        synchronized (lockOf(lineId)) {
            ShadowFigures figures = line.stopShadow("stopped by " + actorOf(actor)).orElseThrow(() -> noTrial(line));
            LOG.info("Line '{}': shadow trial of {} stopped by {}: {}", lineId, figures.candidate().displayName(),
                    actorOf(actor), figures.summary());
            return figures;
        }
    }

    @Override
    public Activation promote(String lineId, String actor) throws DeploymentException {
        InspectionLine line = line(lineId);
        synchronized (lockOf(lineId)) {
            ShadowFigures figures = line.shadow().filter(ShadowFigures::running).orElseThrow(() -> noTrial(line));
            ModelInfo candidate = figures.candidate();
            StoredModel model = storedModel(candidate.name(), candidate.version());
            if (!LineModelOwner.runs(candidate, model)) {
                throw new DeploymentException(Reason.INVALID_STATE, "Line '" + lineId + "' tries " + model.id()
                        + " with model sha256 " + candidate.sha256() + ", the repository holds " + model.sha256()
                        + ": stop the trial and start it again");
            }
            String reason = "promoted from shadow: " + figures.summary() + (figures.unmet().isEmpty()
                    ? "; rule met (" + figures.rule() + ")" : "; by hand, rule not met (" + figures.unmet() + ")");
            // an ordinary activation: verified again; the gate passed on this runtime when the trial started
            return switchLine(line, model, ActivationStack.ACTIVATE, actor, reason, true, false);
        }
    }

    private static DeploymentException noTrial(InspectionLine line) {
        String last = line.shadow().map(f -> "; its last trial (" + f.candidate().displayName() + ") is " + f.state()
                + (f.stopReason().isEmpty() ? "" : ": " + f.stopReason())).orElse("");
        return new DeploymentException(Reason.INVALID_STATE, "Line '" + line.id() + "' runs no shadow trial" + last
                + "; start one with model:shadow " + line.id() + " <name@version>");
    }

    // ---- the model a line runs ---------------------------------------------------------------------

    private void reconcile(InspectionLine line) {
        if (!lines.contains(line)) {
            return;
        }
        synchronized (lockOf(line.id())) {
            owner.reconcile(line);
        }
    }

    // ---- states, removal, retention ---------------------------------------------------------------

    /** {@code name@version} of every running shadow trial's candidate, with the lines that try it. */
    private Map<String, List<String>> runningShadowTrials() {
        Map<String, List<String>> trials = new java.util.TreeMap<>();
        for (InspectionLine line : lines) {
            line.shadow().filter(ShadowFigures::running).ifPresent(f -> trials.computeIfAbsent(
                    f.candidate().name() + "@" + f.candidate().version(), k -> new java.util.ArrayList<>()).add(line.id()));
        }
        return trials;
    }

    /** The shadow trial's hook: which versions are in a trial now, with their lines (tests replace it). */
    void shadowTrials(Supplier<Map<String, List<String>>> trials) {
        this.shadows = trials;
    }

    ModelStates states() {
        return ModelStates.compute(repository.list(), log.readAll(), shadows.get());
    }

    /**
     * One retention pass: deletes what {@link Retention} says is due (each one INFO line), skipping versions a
     * line being switched may need, then purges the drop folder's old refusals. Timer thread (and tests).
     */
    void sweep() {
        Instant now = clock.instant();
        synchronized (repositoryLock) {
            ModelStates states = states();
            for (Retention.Due due : retention.due(states, now)) {
                if (switchingNeeds(states, due.entry().id()).isEmpty()) {
                    deleteQuietly(due.entry(), due.why());
                }
            }
        }
        if (drop != null && !settings.refusedRetention().isZero()) {
            drop.purgeRefused(now.minus(settings.refusedRetention()), "refused longer ago than refusedRetentionHours="
                    + settings.refusedRetention().toHours());
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep sweeping
            LOG.warn("Model repository retention sweep failed: {}", e.toString());
        }
    }

    private void deleteQuietly(ModelStates.Entry entry, String why) {
        try {
            delete(entry, RETENTION_ACTOR, why);
        } catch (DeploymentException e) {
            LOG.warn("Retention could not delete {}: {}", entry.id(), e.getMessage());
        }
    }

    /** The caller holds the repository lock and checked that the version may go. */
    private void delete(ModelStates.Entry entry, String actor, String why) throws DeploymentException {
        long bytes = repository.remove(entry.model().name(), entry.model().version());
        LOG.info("Model package {} ({}) removed by {} ({}): {} bytes freed; its history entries stay", entry.id(),
                entry.state().name().toLowerCase(java.util.Locale.ROOT), actor, why, bytes);
    }

    private void refuseWhileSwitching(ModelStates states, String id) throws DeploymentException {
        Optional<String> line = switchingNeeds(states, id);
        if (line.isPresent()) {
            throw new DeploymentException(Reason.INVALID_STATE, "Cannot remove " + id + " now: it is being activated"
                    + " on line '" + line.get() + "', or that line, being switched, may roll back to it; try again"
                    + " when the activation is done");
        }
    }

    /** A line being switched right now that activates {@code id} or has it in its rollback chain. */
    private Optional<String> switchingNeeds(ModelStates states, String id) {
        return switching.entrySet().stream()
                .filter(s -> s.getValue().equals(id) || states.inStackOf(s.getKey(), id))
                .map(Map.Entry::getKey).findFirst();
    }

    /**
     * Installs {@code model} on {@code line}; the caller holds the line's lock. Registered as switching under the
     * repository lock, where the version's folder is looked up, so a removal cannot slip in between.
     */
    private Activation switchLine(InspectionLine line, String lineId, StoredModel model, String action,
            String actor, String reason, boolean record) throws DeploymentException {
        return switchLine(line, model, action, actor, reason, record, true);
    }

    /** As above; {@code regate} false lets a restore skip a gate that passed here before (see Activator.Request). */
    private Activation switchLine(InspectionLine line, StoredModel model, String action, String actor, String reason,
            boolean record, boolean regate) throws DeploymentException {
        return switchLine(line, model, action, actor, reason, record, regate, activator::activate);
    }

    /** What the activator does with a request on a line: activate it, or start its shadow trial. */
    @FunctionalInterface
    private interface ActivatorStep {
        Activation apply(InspectionLine line, Activator.Request request) throws DeploymentException;
    }

    private Activation switchLine(InspectionLine line, StoredModel model, String action, String actor, String reason,
            boolean record, boolean regate, ActivatorStep step) throws DeploymentException {
        String lineId = line.id();
        Activator.Request request;
        synchronized (repositoryLock) {
            Path folder = repository.folder(model.name(), model.version()).orElseThrow(() -> new DeploymentException(
                    Reason.NOT_FOUND, "Package " + model.id() + " was removed from the repository just now;"
                            + " deploy it again"));
            request = new Activator.Request(lineId, model, folder, action, actorOf(actor), reason, record, regate);
            switching.put(lineId, model.id());
        }
        try {
            return step.apply(line, request);
        } finally {
            switching.remove(lineId);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private InspectionLine line(String lineId) throws DeploymentException {
        for (InspectionLine line : lines) {
            if (line.id().equals(lineId)) {
                return line;
            }
        }
        throw new DeploymentException(Reason.NOT_FOUND, "No line '" + lineId + "' (lines: "
                + lines.stream().map(InspectionLine::id).sorted().toList() + ")");
    }

    private StoredModel storedModel(String name, String version) throws DeploymentException {
        return repository.find(name, version).orElseThrow(() -> new DeploymentException(Reason.NOT_FOUND,
                "No package " + name + "@" + version + " in the repository (stored: "
                        + repository.list().stream().map(StoredModel::id).toList() + "); deploy it first"));
    }

    private Object lockOf(String lineId) {
        return lineLocks.computeIfAbsent(lineId, id -> new Object());
    }

    private static void refuseReservedNames(Path root, Path source) throws DeploymentException {
        for (String reserved : ModelRepository.RESERVED) {
            if (Files.exists(root.resolve(reserved))) {
                throw new DeploymentException(Reason.NOT_TRUSTED, "Package " + source.getFileName() + " holds "
                        + reserved + ", a name the repository writes itself: remove it and sign the package again");
            }
        }
    }

    private void pollDrop() {
        try {
            drop.poll();
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep watching
            LOG.warn("Drop folder {} poll failed", settings.drop(), e);
        }
    }

    /** A periodic task that throws is never run again: log and keep it running. */
    private static void background(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Model deployment background task failed", e);
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            timer.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Model deployment background task failed", e);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Model deployment is stopping; task not scheduled");
        }
    }

    private static ModelRepository openRepository(Path root) {
        try {
            return new ModelRepository(root);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("repositoryDirectory " + root + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static Optional<String[]> split(String id) {
        String[] parts = id.split("@", 2);
        return parts.length == 2 ? Optional.of(parts) : Optional.empty();
    }

    private static String actorOf(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void await(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Model deployment thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
