package io.linesight.fleet.agent;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.fleet.DeploymentPhase;
import io.linesight.api.fleet.DeploymentStatus;
import io.linesight.api.fleet.FleetAgent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.watch.HealthWindowStatus;
import io.linesight.api.watch.HealthWindows;
import io.linesight.fleet.manifest.DeploymentManifest;
import io.linesight.fleet.manifest.ManifestException;
import io.linesight.fleet.manifest.SignedManifest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The box's side of fleet delivery without OSGi: verifies desired states, follows the newest one through download,
 * verification, gate, optional shadow trial and health window on each targeted line, and keeps it in
 * {@code state.json} so a restart resumes.
 *
 * <p>Threads: {@link #desiredState} only enqueues (a bounded queue; when full, the oldest waiting state is dropped,
 * since a newer one supersedes it anyway). One worker thread does everything else, step by step every
 * {@link AgentSettings#tick()}; a package download runs on one download thread of its own so that the worker stays
 * free to notice a newer desired state and cancel it. The calls into the model deployment (store, gate, activate)
 * run on the worker and block it while they last; their deadlines are checked when they return.
 *
 * <p>Nothing stays stuck: each non-final phase has a deadline from the manifest (ACTIVE: the health window's minutes
 * and {@link AgentSettings#activeMargin()}), after which the line is FAILED with a sentence naming the phase.
 */
public final class FleetAgentCore implements FleetAgent, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetAgentCore.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration JOIN = Duration.ofSeconds(10);

    private record Arrival(byte[] envelope, String from) {
    }

    private final AgentSettings settings;
    private final AgentServices services;
    private final StateFile stateFile;
    private final BlockingQueue<Arrival> inbox;
    private final HttpClient http = PackageDownload.newHttpClient(CONNECT_TIMEOUT);
    private final ExecutorService downloader = Executors.newSingleThreadExecutor(r -> daemon(r, "fleet-download"));
    private final Thread worker;
    private final Instant started;

    private volatile List<DeploymentStatus> snapshot = List.of();
    private volatile String refusal = "";
    private final java.util.concurrent.atomic.AtomicLong notForThisBox = new java.util.concurrent.atomic.AtomicLong();
    /** Worker thread only: deployments already said to be for other boxes (bounded). */
    private final java.util.Set<String> notForThisBoxSeen = new java.util.LinkedHashSet<>();
    private volatile boolean closed;

    // ---- worker-only state ----
    private Current current;

    /** The deployment the box follows now. */
    private static final class Current {
        final byte[] envelope;
        final DeploymentManifest manifest;
        final Map<String, LineProgress> lines = new LinkedHashMap<>();
        PackageDownload download;
        Future<DownloadResult> downloading;
        Path downloaded;
        boolean stored;

        Current(byte[] envelope, DeploymentManifest manifest) {
            this.envelope = envelope.clone();
            this.manifest = manifest;
        }

        String id() {
            return manifest.deploymentId();
        }

        String model() {
            return manifest.model().packageId();
        }
    }

    /** Prepares the agent; {@link #start()} reads the saved state and starts the worker. */
    public FleetAgentCore(AgentSettings settings, AgentServices services) {
        this.settings = settings;
        this.services = services;
        this.stateFile = new StateFile(settings.stateFolder());
        this.inbox = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.started = services.clock().instant();
        this.worker = daemon(this::work, "fleet-agent");
    }

    /** Starts the worker, which first resumes the deployment saved in {@code state.json}, if any. */
    public void start() {
        worker.start();
    }

    @Override
    public void desiredState(byte[] envelope, String from) {
        if (closed) {
            return;
        }
        if (envelope.length > SignedManifest.MAX_BYTES) {
            refuse(from, "The desired state from " + from + " is " + envelope.length + " bytes, above the "
                    + SignedManifest.MAX_BYTES + " bytes a signed manifest may have.");
            return;
        }
        Arrival arrival = new Arrival(envelope.clone(), from);
        while (!inbox.offer(arrival)) {
            Arrival dropped = inbox.poll();
            if (dropped != null) {
                LOG.warn("fleet agent busy: the desired state from {} waiting since earlier was dropped for a newer one",
                        dropped.from());
            }
        }
    }

    @Override
    public List<DeploymentStatus> status() {
        return snapshot;
    }

    @Override
    public String refusal() {
        return refusal;
    }

    /** Stops the worker and the download (its {@code .part} is kept for the next start). */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        downloader.shutdownNow();
        try {
            downloader.awaitTermination(JOIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the worker ------------------------------------------------------------------------------------

    private void work() {
        resume();
        while (!closed) {
            try {
                Arrival arrival = inbox.poll(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
                if (arrival != null) {
                    accept(arrival);
                }
                advance();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("fleet agent: a step failed; trying again at the next tick", e);
            }
        }
        if (current != null && current.download != null) {
            current.download.cancel(false);
        }
    }

    private void resume() {
        Optional<StateFile.Saved> saved;
        try {
            saved = stateFile.load();
        } catch (IOException e) {
            LOG.warn("fleet agent: {}; starting without a current deployment", e.getMessage());
            return;
        }
        if (saved.isEmpty()) {
            publish();
            return;
        }
        DeploymentManifest manifest;
        try {
            manifest = SignedManifest.verify(saved.get().envelope(), settings.trustedKeys()).manifest();
        } catch (ManifestException e) {
            LOG.warn("fleet agent: the saved deployment no longer verifies ({}); dropped", e.getMessage());
            return;
        }
        current = new Current(saved.get().envelope(), manifest);
        Instant now = now();
        for (StateFile.SavedLine line : saved.get().lines()) {
            LineProgress progress;
            if (LineProgress.FINAL.contains(line.phase()) || line.phase() == DeploymentPhase.ACTIVE) {
                // a final phase stays; an ACTIVE line keeps waiting for its health window from where it was
                progress = new LineProgress(line.lineId(), line.phase(), line.since(), line.detail());
            } else {
                progress = new LineProgress(line.lineId(), DeploymentPhase.PENDING, now,
                        "resumed after a restart (was " + phaseName(line.phase()) + ")");
                progress.shadowStarted = line.shadowStarted();
            }
            current.lines.put(line.lineId(), progress);
        }
        LOG.info("fleet agent: resumed deployment {} ({}) on lines {}", current.id(), current.model(),
                current.lines.keySet());
        publish();
    }

    private void accept(Arrival arrival) {
        DeploymentManifest manifest;
        try {
            manifest = SignedManifest.verify(arrival.envelope(), settings.trustedKeys()).manifest();
        } catch (ManifestException e) {
            refuse(arrival.from(), "Refused the desired state from " + arrival.from() + ": " + e.getMessage());
            return;
        }
        if (current != null && current.id().equals(manifest.deploymentId())) {
            LOG.debug("fleet agent: deployment {} from {} again; already following it", manifest.deploymentId(),
                    arrival.from());
            return;
        }
        if (!targetsThisBox(manifest)) {
            // not a refusal: a group-wide topic carries desired states for other boxes too; said once per deployment
            notForThisBox.incrementAndGet();
            if (notForThisBoxSeen.add(manifest.deploymentId())) {
                if (notForThisBoxSeen.size() > 64) {
                    notForThisBoxSeen.remove(notForThisBoxSeen.iterator().next());
                }
                LOG.info("fleet agent: deployment {} from {} targets group {}, nodes {}; not this box (group {}, node"
                        + " {})", manifest.deploymentId(), arrival.from(), manifest.target().group(),
                        manifest.target().nodes(), settings.groupId(), settings.edgeNodeId());
            }
            return;
        }
        if (current != null && manifest.issuedAt().isBefore(current.manifest.issuedAt())) {
            refuse(arrival.from(), "Refused deployment " + manifest.deploymentId() + " from " + arrival.from()
                    + ": issued " + manifest.issuedAt() + ", before deployment " + current.id() + " (issued "
                    + current.manifest.issuedAt() + ") that this box follows; a stale desired state is not applied.");
            return;
        }
        Current next = new Current(arrival.envelope(), manifest);
        if (current != null) {
            supersede(current, next);
        }
        current = next;
        Instant now = now();
        for (String line : targetedLines(manifest)) {
            current.lines.put(line, new LineProgress(line, DeploymentPhase.PENDING, now, "accepted"));
        }
        LOG.info("fleet agent: following deployment {} ({}, {} trial) from {} on lines {}", current.id(),
                current.model(), manifest.trial().mode().jsonName(), arrival.from(),
                current.lines.isEmpty() ? "(none running yet)" : current.lines.keySet());
        save();
        publish();
    }

    private boolean targetsThisBox(DeploymentManifest manifest) {
        DeploymentManifest.Target target = manifest.target();
        return target.group().equals(settings.groupId()) && (target.nodes().equals(List.of(DeploymentManifest.Target.ALL))
                || target.nodes().contains(settings.edgeNodeId()));
    }

    private List<String> targetedLines(DeploymentManifest manifest) {
        List<String> out = new ArrayList<>();
        for (InspectionLine line : services.lines()) {
            if (manifest.targets(settings.groupId(), settings.edgeNodeId(), line.id())) {
                out.add(line.id());
            }
        }
        return out;
    }

    private void supersede(Current old, Current next) {
        LOG.info("fleet agent: deployment {} supersedes {}", next.id(), old.id());
        if (old.download != null && !old.downloading.isDone()) {
            // the .part is worth keeping only when the new deployment wants the same bytes
            old.download.cancel(!old.manifest.model().sha256().equals(next.manifest.model().sha256()));
        }
        for (LineProgress line : old.lines.values()) {
            if (line.phase == DeploymentPhase.SHADOW && line.shadowStarted) {
                stopShadow(old, line, "superseded by deployment " + next.id());
            }
        }
    }

    // ---- one step --------------------------------------------------------------------------------------

    private void advance() {
        if (current == null) {
            publish();
            return;
        }
        addAppearedLines();
        advancePackage();
        for (LineProgress line : List.copyOf(current.lines.values())) {
            if (line.isFinal()) {
                continue;
            }
            if (deadlinePassed(line)) {
                expire(line);
                continue;
            }
            switch (line.phase) {
                case PENDING -> pending(line);
                case GATING -> gate(line);
                case SHADOW -> shadow(line);
                case ACTIVE -> active(line);
                default -> {
                    // DOWNLOADING and VERIFYING move with the package in advancePackage()
                }
            }
        }
        publish();
    }

    // A line of a "*" target (or a named one) that came up after the deployment arrived joins it.
    private void addAppearedLines() {
        Instant now = now();
        for (String line : targetedLines(current.manifest)) {
            if (!current.lines.containsKey(line)) {
                current.lines.put(line, new LineProgress(line, DeploymentPhase.PENDING, now, "the line came up"));
                save();
            }
        }
    }

    private void pending(LineProgress line) {
        if (!current.stored && isStored()) {
            current.stored = true;
        }
        if (current.stored) {
            move(line, DeploymentPhase.GATING, "gating " + current.model());
            gate(line);
            return;
        }
        startDownload();
        move(line, current.downloaded == null ? DeploymentPhase.DOWNLOADING : DeploymentPhase.VERIFYING,
                "downloading " + current.model());
    }

    private boolean isStored() {
        Optional<ModelDeployment> deployment = services.deployment();
        return deployment.isPresent() && deployment.get().stored().stream()
                .anyMatch(stored -> stored.id().equals(current.model()));
    }

    private void startDownload() {
        boolean failedBefore = current.downloading != null && current.downloading.isDone() && current.downloaded == null;
        if (current.download != null && !failedBefore) {
            return; // running, or done: the lines that join follow it
        }
        // first download, or a line joined after the last one failed: try again (the .part, if any, is resumed)
        DeploymentManifest.Model model = current.manifest.model();
        PackageSource source = new PackageSource(current.manifest.urls(), model.name() + "-" + model.version() + ".zip",
                model.size(), model.sha256());
        DownloadSettings download = settings.download().toBuilder().deadline(current.manifest.deadlines().download())
                .build();
        current.download = new PackageDownload(http, source, settings.downloadFolder(), download);
        current.downloading = downloader.submit(current.download::run);
    }

    private void advancePackage() {
        if (current.downloading == null || current.stored) {
            return;
        }
        if (!current.downloading.isDone()) {
            DownloadProgress progress = current.download.progress();
            for (LineProgress line : current.lines.values()) {
                if (line.phase == DeploymentPhase.DOWNLOADING) {
                    line.progress = progress.totalBytes() <= 0 ? 0 : (double) progress.bytesDone() / progress.totalBytes();
                    line.detail = downloadDetail(progress);
                }
            }
            return;
        }
        if (current.downloaded == null) {
            DownloadResult result = downloadResult();
            if (result == null) {
                return;
            }
            if (!result.completed()) {
                failPhase(DeploymentPhase.DOWNLOADING, "The package " + current.model() + " was not downloaded ("
                        + result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + result.reason());
                return;
            }
            current.downloaded = result.file();
            movePhase(DeploymentPhase.DOWNLOADING, DeploymentPhase.VERIFYING, "verifying " + current.model());
        }
        verify();
    }

    private DownloadResult downloadResult() {
        try {
            return current.downloading.get();
        } catch (ExecutionException e) {
            failPhase(DeploymentPhase.DOWNLOADING, "The download of " + current.model() + " broke: " + e.getCause());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    private void verify() {
        Optional<ModelDeployment> deployment = services.deployment();
        if (deployment.isEmpty() || current.lines.values().stream().noneMatch(l -> l.phase == DeploymentPhase.VERIFYING)) {
            return; // waits for the model deployment (the VERIFYING deadline ends the wait)
        }
        try {
            deployment.get().deploy(current.downloaded, actor());
            current.stored = true;
            deleteQuietly(current.downloaded);
            movePhase(DeploymentPhase.VERIFYING, DeploymentPhase.GATING, "gating " + current.model());
        } catch (DeploymentException e) {
            // refused for good: its bytes are those the manifest pinned, so downloading them again changes nothing
            deleteQuietly(current.downloaded);
            failPhase(DeploymentPhase.VERIFYING, "The package " + current.model() + " was refused: " + e.getMessage());
        } catch (RuntimeException e) {
            failPhase(DeploymentPhase.VERIFYING, "Storing the package " + current.model() + " failed: " + e);
        }
    }

    private void gate(LineProgress line) {
        Optional<ModelDeployment> deployment = services.deployment();
        if (deployment.isEmpty() || findLine(line.lineId).isEmpty()) {
            return; // waits for the service or the line; the GATING deadline ends the wait
        }
        if (runsDesiredModel(line.lineId)) {
            move(line, DeploymentPhase.HEALTHY, "The line already runs " + current.model() + ".");
            return;
        }
        DeploymentManifest.Model model = current.manifest.model();
        try {
            if (current.manifest.trial() instanceof DeploymentManifest.Trial.Shadow) {
                deployment.get().shadow(line.lineId, model.name(), model.version(), actor());
                line.shadowStarted = true;
                move(line, DeploymentPhase.SHADOW, "shadow trial started");
            } else {
                deployment.get().activate(line.lineId, model.name(), model.version(), actor(),
                        "fleet deployment " + current.id());
                move(line, DeploymentPhase.ACTIVE, "health window open");
            }
        } catch (DeploymentException e) {
            move(line, DeploymentPhase.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            move(line, DeploymentPhase.FAILED, "The gate of " + current.model() + " broke: " + e);
        }
    }

    private void shadow(LineProgress line) {
        Optional<ShadowFigures> found = findLine(line.lineId).flatMap(InspectionLine::shadow);
        if (found.isEmpty()) {
            return;
        }
        ShadowFigures figures = found.get();
        DeploymentManifest.Trial.Shadow rule = (DeploymentManifest.Trial.Shadow) current.manifest.trial();
        if (!isDesired(figures.candidate())) {
            move(line, DeploymentPhase.FAILED, "Another shadow trial (" + figures.candidate().displayName()
                    + ") replaced this deployment's on the line.");
            return;
        }
        switch (figures.state()) {
            case PROMOTED -> move(line, DeploymentPhase.ACTIVE, "promoted after " + figures.summary()
                    + "; health window open");
            case STOPPED -> move(line, DeploymentPhase.FAILED, "The shadow trial stopped (" + figures.stopReason()
                    + ") after " + figures.summary() + ".");
            default -> {
                line.progress = Math.min(1.0, (double) figures.framesJudged() / rule.minFrames());
                line.detail = String.format(Locale.ROOT, "verdict agreement %.2f %% over %d of %d frames",
                        figures.verdictAgreement() * 100, figures.framesJudged(), rule.minFrames());
                if (ruleMet(figures, rule)) {
                    promote(line, figures);
                }
            }
        }
    }

    private static boolean ruleMet(ShadowFigures figures, DeploymentManifest.Trial.Shadow rule) {
        return figures.framesJudged() >= rule.minFrames() && figures.verdictAgreement() >= rule.minVerdictAgreement()
                && figures.latencyRatio() <= rule.maxLatencyRatio();
    }

    private void promote(LineProgress line, ShadowFigures figures) {
        Optional<ModelDeployment> deployment = services.deployment();
        if (deployment.isEmpty()) {
            return;
        }
        try {
            deployment.get().promote(line.lineId, actor());
            line.shadowStarted = false;
            move(line, DeploymentPhase.ACTIVE, "promoted after " + figures.summary() + "; health window open");
        } catch (DeploymentException | RuntimeException e) {
            move(line, DeploymentPhase.FAILED, "The promotion after the shadow trial failed: " + e.getMessage());
        }
    }

    private void active(LineProgress line) {
        Optional<HealthWindows> watch = services.healthWindows();
        Duration window = Duration.ofMinutes(current.manifest.health().windowMinutes());
        if (watch.isEmpty()) {
            // without a model watch nothing can judge the window; its length passing without a rollback is all there is
            if (!now().isBefore(line.since.plus(window))) {
                move(line, DeploymentPhase.HEALTHY, "No model watch runs on this box; " + window.toMinutes()
                        + " minutes passed on " + current.model() + " without a rollback.");
            }
            return;
        }
        String watched = current.manifest.model().name() + ":" + current.manifest.model().version();
        Optional<HealthWindowStatus> status = watch.get().windows().stream()
                .filter(w -> w.lineId().equals(line.lineId) && w.model().equals(watched)).findFirst();
        if (status.isEmpty()) {
            return;
        }
        HealthWindowStatus w = status.get();
        switch (w.state()) {
            case PASSED -> move(line, DeploymentPhase.HEALTHY, String.format(Locale.ROOT,
                    "Health window passed: %d frames, reject rate %.2f %%, latency p95 %.1f ms.", w.frames(),
                    w.rejectRate() * 100, w.latencyP95Ms()));
            case ROLLED_BACK -> move(line, DeploymentPhase.ROLLED_BACK, w.note());
            case ROLLBACK_FAILED -> move(line, DeploymentPhase.FAILED, "A health rule broke but the rollback failed: "
                    + w.note());
            case SUPERSEDED -> move(line, DeploymentPhase.FAILED, "Another activation replaced " + current.model()
                    + " before its health window closed: " + w.note());
            default -> line.progress = 0;
        }
    }

    // ---- deadlines -------------------------------------------------------------------------------------

    private boolean deadlinePassed(LineProgress line) {
        return now().isAfter(line.since.plus(deadline(line.phase)));
    }

    private Duration deadline(DeploymentPhase phase) {
        DeploymentManifest m = current.manifest;
        return switch (phase) {
            case PENDING, DOWNLOADING -> m.deadlines().download();
            case VERIFYING -> m.deadlines().verify();
            case GATING -> m.deadlines().gate();
            case SHADOW -> m.trial() instanceof DeploymentManifest.Trial.Shadow s ? s.maxDuration()
                    : m.deadlines().gate();
            case ACTIVE -> Duration.ofMinutes(m.health().windowMinutes()).plus(settings.activeMargin());
            default -> Duration.ofDays(36_500);
        };
    }

    private void expire(LineProgress line) {
        Duration allowed = deadline(line.phase);
        String sentence = "The phase " + phaseName(line.phase) + " did not end within its deadline of "
                + minutes(allowed) + " (since " + line.since + ")";
        if (line.phase == DeploymentPhase.SHADOW && line.shadowStarted) {
            Optional<ShadowFigures> figures = stopShadow(current, line, "the trial's time ran out");
            DeploymentManifest.Trial.Shadow rule = (DeploymentManifest.Trial.Shadow) current.manifest.trial();
            sentence += String.format(Locale.ROOT, "; the rule wants at least %d frames, verdict agreement at least"
                    + " %.2f %% and a latency ratio of at most %.2f", rule.minFrames(), rule.minVerdictAgreement() * 100,
                    rule.maxLatencyRatio());
            sentence += figures.map(f -> "; the trial stopped after " + f.summary()).orElse("");
        }
        move(line, DeploymentPhase.FAILED, sentence + ".");
        if (current.download != null && !current.downloading.isDone() && current.lines.values().stream()
                .noneMatch(l -> l.phase == DeploymentPhase.DOWNLOADING || l.phase == DeploymentPhase.PENDING)) {
            current.download.cancel(false);
        }
    }

    private static String minutes(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Optional<ShadowFigures> stopShadow(Current deployment, LineProgress line, String why) {
        line.shadowStarted = false;
        Optional<ModelDeployment> service = services.deployment();
        if (service.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(service.get().stopShadow(line.lineId, "fleet:" + deployment.id()));
        } catch (DeploymentException | RuntimeException e) {
            LOG.info("fleet agent: stopping the shadow trial of line {} ({}): {}", line.lineId, why, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean runsDesiredModel(String lineId) {
        return findLine(lineId).flatMap(l -> l.status().model()).filter(this::isDesired).isPresent();
    }

    private boolean isDesired(ModelInfo model) {
        DeploymentManifest.Model desired = current.manifest.model();
        return model.name().equals(desired.name()) && model.version().equals(desired.version());
    }

    private Optional<InspectionLine> findLine(String lineId) {
        return services.lines().stream().filter(l -> l.id().equals(lineId)).findFirst();
    }

    private void move(LineProgress line, DeploymentPhase phase, String detail) {
        if (line.phase != phase) {
            line.since = now();
        }
        line.phase = phase;
        line.progress = phase == DeploymentPhase.HEALTHY ? 1 : 0;
        line.detail = detail;
        if (phase == DeploymentPhase.FAILED || phase == DeploymentPhase.ROLLED_BACK) {
            LOG.warn("fleet agent: deployment {} on line {}: {} - {}", current.id(), line.lineId, phase, detail);
        } else {
            LOG.info("fleet agent: deployment {} on line {}: {} - {}", current.id(), line.lineId, phase, detail);
        }
        save();
    }

    private void movePhase(DeploymentPhase from, DeploymentPhase to, String detail) {
        for (LineProgress line : current.lines.values()) {
            if (line.phase == from) {
                move(line, to, detail);
            }
        }
    }

    private void failPhase(DeploymentPhase phase, String reason) {
        movePhase(phase, DeploymentPhase.FAILED, reason);
    }

    private void save() {
        try {
            stateFile.save(current.envelope, current.lines.values());
        } catch (IOException e) {
            LOG.warn("fleet agent: cannot save {}: {}", stateFile.path(), e.toString());
        }
    }

    private void publish() {
        List<DeploymentStatus> out = new ArrayList<>();
        if (current != null) {
            current.lines.values().forEach(line -> out.add(line.status(current.id(), current.model())));
        }
        for (InspectionLine line : services.lines()) {
            if (current == null || !current.lines.containsKey(line.id())) {
                out.add(new DeploymentStatus(line.id(), "", "", DeploymentPhase.NONE, 0, "", started));
            }
        }
        snapshot = List.copyOf(out);
    }

    /** Verified desired states that were for other boxes (not refusals), for tests and the log. */
    long notForThisBox() {
        return notForThisBox.get();
    }

    private void refuse(String from, String sentence) {
        refusal = sentence;
        LOG.warn("fleet agent: {}", sentence);
    }

    private String actor() {
        return "fleet:" + current.id();
    }

    private Instant now() {
        return services.clock().instant();
    }

    private static String downloadDetail(DownloadProgress p) {
        return String.format(Locale.ROOT, "%s of %s (%.0f %%) at %s/s%s", Sizes.format(p.bytesDone()),
                Sizes.format(p.totalBytes()), p.percent(), Sizes.format(p.bytesPerSecond()),
                p.lastError() == null ? "" : "; last error: " + p.lastError());
    }

    private static String phaseName(DeploymentPhase phase) {
        return phase.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("fleet agent: cannot delete {}: {}", file, e.toString());
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
