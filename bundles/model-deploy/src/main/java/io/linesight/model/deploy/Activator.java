package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.ModelRuntime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One activation, start to end: re-verify the stored package, load and gate it on the gate thread (never
 * a line's), hand the gated model to the line, record the outcome and tell the event board. The gated
 * instance is the one the line gets; a model that is not handed over is closed here. Callers serialise
 * activations of one line.
 */
final class Activator {

    private static final Logger LOG = LoggerFactory.getLogger(Activator.class);
    /** Files the repository writes beside a stored package; not part of what was signed. */
    static final Set<String> REPOSITORY_FILES = Set.of(ModelRepository.DEPLOYMENT_FILE, ModelRepository.GATE_FILE,
            ModelRepository.GOLDEN_OUTPUTS_FILE, ModelRepository.DEPLOYMENT_FILE + ".tmp",
            ModelRepository.GATE_FILE + ".tmp", ModelRepository.GOLDEN_OUTPUTS_FILE + ".tmp");

    /** What the gate thread hands back: the model only when it passed. */
    private record Gated(LoadedModel model, GateReport report) {
    }

    /**
     * An activation request.
     *
     * @param regate false for a restore: a model whose gate passed on this runtime is loaded without running the
     *               golden set again (the stored version is immutable and its files were just verified)
     */
    record Request(String lineId, StoredModel model, Path folder, String action, String actor, String reason,
                   boolean recordSuccess, boolean regate) {
    }

    private final ModelRepository repository;
    private final PackageVerifier verifier;
    private final ActivationLog log;
    private final ModelRuntime runtime;
    private final Executor gateThread;
    private final Events events;
    private final GoldenGate gate = new GoldenGate();
    private final Set<CompletableFuture<Gated>> pending = ConcurrentHashMap.newKeySet();

    Activator(ModelRepository repository, PackageVerifier verifier, ActivationLog log, ModelRuntime runtime,
            Executor gateThread, Events events) {
        this.repository = repository;
        this.verifier = verifier;
        this.log = log;
        this.runtime = runtime;
        this.gateThread = gateThread;
        this.events = events;
    }

    /** Gates {@code request.model()} and installs it on {@code line}; the caller holds the line's lock. */
    Activation activate(InspectionLine line, Request request) throws DeploymentException {
        String previous = line.status().model().map(Activator::id).orElse(null);
        String signature = reverify(request, previous);
        Gated gated = gate(request);
        if (gated.model() == null) {
            throw refuse(request, previous, gated.report(), Reason.GATE_FAILED,
                    "Model " + request.model().id() + " failed its gate: " + gated.report().detail());
        }
        try {
            line.installModel(gated.model(), "repository " + request.model().id());
        } catch (RuntimeException e) {
            gated.model().close(); // idempotent; the line may have closed it already
            GateReport report = withDetail(gated.report(), gated.report().detail() + "; the line refused it: "
                    + e.getMessage());
            throw refuse(request, previous, report, Reason.INVALID_STATE, "Line '" + request.lineId()
                    + "' refused " + request.model().id() + ": " + e.getMessage());
        }
        return succeeded(request, previous, withDetail(gated.report(), signature + "; " + gated.report().detail()));
    }

    /**
     * Verifies and gates {@code request.model()} exactly as {@link #activate} does, then hands it to {@code line} as
     * the candidate of a shadow trial and records that (action {@code shadow}); the line's active model stays. The
     * caller holds the line's lock.
     */
    Activation shadow(InspectionLine line, Request request) throws DeploymentException {
        String active = line.status().model().map(Activator::id).orElse(null);
        String signature = reverify(request, active);
        Gated gated = gate(request);
        if (gated.model() == null) {
            throw refuse(request, active, gated.report(), Reason.GATE_FAILED,
                    "Model " + request.model().id() + " failed its gate: " + gated.report().detail());
        }
        try {
            line.startShadow(gated.model(), "repository " + request.model().id());
        } catch (RuntimeException e) {
            gated.model().close(); // idempotent; the line may have closed it already
            GateReport report = withDetail(gated.report(), gated.report().detail() + "; the line refused it as a"
                    + " shadow candidate: " + e.getMessage());
            throw refuse(request, active, report, Reason.INVALID_STATE, "Line '" + request.lineId()
                    + "' cannot run " + request.model().id() + " in shadow: " + e.getMessage());
        }
        Activation entry = log.append(new Activation(0, Instant.now(), request.lineId(), request.model().id(),
                request.model().sha256(), active, request.action(), request.actor(), request.reason(),
                withDetail(gated.report(), signature + "; " + gated.report().detail())));
        LOG.info("Line '{}' runs {} in shadow beside {} ({} by {}); gate: {}", request.lineId(), request.model().id(),
                active, request.action(), request.actor(), gated.report().detail());
        return entry;
    }

    /** Verifies the stored package of {@code request} only (a line that runs it already); records a refusal. */
    void verify(Request request) throws DeploymentException {
        reverify(request, request.model().id());
    }

    private Activation succeeded(Request request, String previous, GateReport report) throws DeploymentException {
        Activation entry = new Activation(0, Instant.now(), request.lineId(), request.model().id(),
                request.model().sha256(), previous, request.action(), request.actor(), request.reason(), report);
        if (request.recordSuccess()) {
            entry = log.append(entry);
        }
        String message = "Line '" + request.lineId() + "' now runs " + request.model().id() + " (" + request.action()
                + " by " + request.actor() + (request.reason() == null ? "" : ": " + request.reason()) + "); gate: "
                + report.detail();
        LOG.info("{}; it replaced {}", message, previous == null ? "no model" : previous);
        events.activated(request.lineId(), message);
        return entry;
    }

    /**
     * The stored copy must still be what was verified at arrival, and its signer trusted today: a key removed
     * from the trust list since makes the package untrusted, wherever the request comes from. A package stored
     * from a line's configuration may be unsigned; its files are then checked against the digest taken when it
     * was stored.
     *
     * @return what was verified, for the record: {@code signature: key 'k' trusted now} or {@code unsigned ...}
     */
    private String reverify(Request request, String previous) throws DeploymentException {
        StoredModel model = request.model();
        try {
            boolean fromConfig = repository.fromConfig(model.name(), model.version());
            boolean signed = java.nio.file.Files.exists(request.folder().resolve(PackageManifest.SIGNATURE));
            if (signed || !fromConfig) {
                String signer = verifier.verify(request.folder(), model.id() + " (repository copy)", REPOSITORY_FILES,
                        fromConfig);
                if (!PackageVerifier.UNSIGNED.equals(signer)) {
                    return "signature: key '" + signer + "' trusted now";
                }
            }
            // an unsigned package from a line's file: one pass over its files against the digest taken when stored
            // (the verifier would only hash them once more; at start this runs in a cold JVM, on the start's path)
            repository.checkIntact(model.name(), model.version(), REPOSITORY_FILES);
            return fromConfig ? "unsigned, from the line's configuration, files as stored"
                    : "unsigned (acceptUnsigned=true), files as stored";
        } catch (DeploymentException e) {
            GateReport report = GoldenGate.failed(Double.NaN, Double.NaN, e.getMessage());
            throw refuse(request, previous, report, e.reason(), e.getMessage());
        }
    }

    private Gated gate(Request request) throws DeploymentException {
        CompletableFuture<Gated> future = new CompletableFuture<>();
        pending.add(future);
        try {
            gateThread.execute(() -> {
                try {
                    Gated gated = loadAndGate(request);
                    if (!future.complete(gated)) {
                        close(gated.model()); // cancelled while it ran: nobody will install it
                    }
                } catch (Throwable t) { // e.g. a native library error: the caller must not wait forever
                    future.completeExceptionally(t);
                    throw t;
                }
            });
            return future.get();
        } catch (RejectedExecutionException e) {
            throw new DeploymentException(Reason.FAILED, "Too many activations are waiting for the gate; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(g -> close(g.model())); // nobody will install it
            throw new DeploymentException(Reason.FAILED, "Interrupted while gating " + request.model().id(), e);
        } catch (CancellationException e) {
            throw new DeploymentException(Reason.FAILED, "The gate of " + request.model().id()
                    + " did not finish: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new DeploymentException(Reason.FAILED, "The gate of " + request.model().id()
                    + " did not finish: " + e.getCause(), e.getCause());
        } finally {
            pending.remove(future);
        }
    }

    /** Fails every activation waiting for the gate; called when the runtime stops. */
    void cancelPending() {
        pending.forEach(f -> f.completeExceptionally(new CancellationException("model deployment is stopping")));
    }

    /** Runs on the gate thread. A model that does not pass is closed here, on the thread that used it. */
    private Gated loadAndGate(Request request) {
        GateReport earlier = request.model().gate();
        if (!request.regate() && earlier != null && earlier.passed()) {
            return loadOnly(request, earlier);
        }
        PackageCard card;
        LoadedModel model;
        try {
            card = PackageCard.read(request.folder());
            model = runtime.load(request.folder());
        } catch (DeploymentException | ModelLoadException | RuntimeException e) {
            return save(request, null, GoldenGate.failed(Double.NaN, Double.NaN, "card check failed: " + e.getMessage()));
        }
        GateReport report;
        GoldenRecorder answers = new GoldenRecorder();
        try {
            report = gate.run(model, request.folder(), card, answers);
        } catch (InterruptedException e) {
            model.close();
            Thread.currentThread().interrupt();
            return new Gated(null, GoldenGate.failed(Double.NaN, Double.NaN, "the gate was interrupted"));
        } catch (RuntimeException e) {
            model.close();
            return save(request, null, GoldenGate.failed(Double.NaN, Double.NaN, "the gate failed: " + e));
        }
        if (!report.passed()) {
            model.close();
        } else {
            repository.saveGoldenOutputs(request.model().name(), request.model().version(),
                    answers.outputs(request.model().id()));
        }
        return save(request, report.passed() ? model : null, report);
    }

    /** A restore of a model whose gate passed here before: load it, keep the earlier report. */
    private Gated loadOnly(Request request, GateReport earlier) {
        try {
            LoadedModel model = runtime.load(request.folder());
            return new Gated(model, withDetail(earlier, "gate passed earlier on this runtime (" + earlier.detail()
                    + "), not run again"));
        } catch (ModelLoadException | RuntimeException e) {
            return save(request, null, GoldenGate.failed(Double.NaN, Double.NaN, "cannot load: " + e.getMessage()));
        }
    }

    private Gated save(Request request, LoadedModel passed, GateReport report) {
        repository.saveGate(request.model().name(), request.model().version(), report);
        LOG.info("Gate of {} for line '{}': {} - {}", request.model().id(), request.lineId(),
                report.passed() ? "passed" : "FAILED", report.detail());
        return new Gated(passed, report);
    }

    private DeploymentException refuse(Request request, String previous, GateReport report, Reason reason,
            String message) throws DeploymentException {
        log.append(new Activation(0, Instant.now(), request.lineId(), request.model().id(), request.model().sha256(),
                previous, ActivationStack.REFUSED, request.actor(), request.reason(), report));
        String keeps = (message.endsWith(".") ? "" : ".") + " Line '" + request.lineId() + "' keeps " + (previous == null ? "no model" : previous) + ".";
        LOG.warn("{}{}", message, keeps);
        events.refused(request.model().name(), message + keeps);
        return new DeploymentException(reason, message + keeps);
    }

    static String id(ModelInfo info) {
        return info.name() + "@" + info.version();
    }

    private static GateReport withDetail(GateReport r, String detail) {
        return new GateReport(r.passed(), r.metric(), r.value(), r.minimum(), r.images(), r.latencyMs(),
                r.latencyBudgetMs(), detail);
    }

    private static void close(LoadedModel model) {
        if (model != null) {
            model.close();
        }
    }
}
