package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.model.ModelInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which model a line runs when it appears (at start, after a restart) and whenever its configuration
 * changes; the line itself never chooses. In order:
 * <ol>
 * <li>The package the line's file names ({@code model.package}) is an activation of its own when it differs
 * from the line's last activation from configuration (provenance {@code config}): stored in the repository,
 * verified, gated and recorded, so that a fresh install has a history to roll back to and an edited file is
 * never ignored.</li>
 * <li>Otherwise the line gets back the model its history last activated (a {@code restore} entry), checked
 * against today's trust list. When that model can no longer run (its signer left the trust list, its folder is
 * gone, it does not load) the next one down the history is tried, and the line falls back to the newest that
 * passes, with an alarm naming what was skipped and why.</li>
 * </ol>
 * So a line only ever runs a model its history shows. Callers hold the line's lock.
 */
final class LineModelOwner {

    private static final Logger LOG = LoggerFactory.getLogger(LineModelOwner.class);
    static final String RESTORE_ACTOR = "restore";

    /** Stores a package folder in the repository, as {@code actor}; unsigned is allowed for configuration. */
    interface PackageStore {
        StoredModel store(Path packageFolder, String actor) throws DeploymentException;
    }

    /**
     * Verifies, gates (unless {@code regate} is false and it passed here before), installs and records a stored
     * model on a line, as every activation does (the service's one switching path, which also keeps the version
     * from being removed meanwhile).
     */
    interface LineSwitch {
        Activation apply(InspectionLine line, StoredModel model, String action, String actor, String reason,
                boolean regate) throws DeploymentException;
    }

    private final ModelRepository repository;
    private final ActivationLog log;
    private final Activator activator;
    private final Events events;
    private final PackageStore store;
    private final LineSwitch switcher;

    LineModelOwner(ModelRepository repository, ActivationLog log, Activator activator, Events events,
            PackageStore store, LineSwitch switcher) {
        this.repository = repository;
        this.log = log;
        this.activator = activator;
        this.events = events;
        this.store = store;
        this.switcher = switcher;
    }

    /** Brings the line to the model its configuration and history say; the caller holds the line's lock. */
    void reconcile(InspectionLine line) {
        Optional<Path> configured = line.configuredPackage();
        if (configured.isEmpty()) {
            return; // the line's file was refused: the line shows why, and runs nothing new
        }
        String configProblem = null;
        try {
            if (activateConfiguredIfChanged(line, configured.get())) {
                return;
            }
        } catch (DeploymentException e) {
            configProblem = e.getMessage(); // logged and, where it names a model, recorded by whoever refused it
        }
        String restoreProblem = restore(line);
        if (line.status().model().isEmpty()) {
            line.modelUnavailable(configProblem != null ? configProblem : restoreProblem);
        }
    }

    // ---- 1. the configured package ----------------------------------------------------------------

    /** True when the configured package was activated now; false when it is the one recorded already. */
    private boolean activateConfiguredIfChanged(InspectionLine line, Path folder) throws DeploymentException {
        String lineId = line.id();
        ConfiguredPackage configured;
        try {
            configured = ConfiguredPackage.read(folder);
        } catch (DeploymentException e) {
            LOG.error("Line '{}': {}. The line keeps {}.", lineId, e.getMessage(),
                    line.status().model().map(Activator::id).orElse("no model"));
            events.refused(String.valueOf(folder.getFileName()), "Line '" + lineId + "': " + e.getMessage());
            throw e; // its message names the folder and what to do; the line adds its own name
        }
        Optional<Activation> lastFromConfig = lastFromConfig(lineId);
        if (lastFromConfig.isPresent() && lastFromConfig.get().model().equals(configured.id())
                && lastFromConfig.get().sha256().equalsIgnoreCase(configured.sha256())) {
            return false;
        }
        String reason = "model.package=" + folder;
        StoredModel stored = storeConfigured(line, configured, reason);
        LOG.info("Line '{}': its file names {} ({}), {}: activating it", lineId, configured.id(), folder,
                lastFromConfig.map(a -> "not " + a.model() + " as before").orElse("its first model from configuration"));
        switcher.apply(line, stored, ActivationStack.ACTIVATE, ModelRepository.CONFIG_ACTOR, reason, true);
        return true;
    }

    private StoredModel storeConfigured(InspectionLine line, ConfiguredPackage configured, String reason)
            throws DeploymentException {
        try {
            return store.store(configured.folder(), ModelRepository.CONFIG_ACTOR);
        } catch (DeploymentException e) {
            String previous = line.status().model().map(Activator::id).orElse(null);
            log.append(new Activation(0, Instant.now(), line.id(), configured.id(), configured.sha256(), previous,
                    ActivationStack.REFUSED, ModelRepository.CONFIG_ACTOR, reason,
                    GoldenGate.failed(Double.NaN, Double.NaN, "not stored: " + e.getMessage())));
            String message = "Line '" + line.id() + "': the package its file names cannot be stored: " + e.getMessage()
                    + ". The line keeps " + (previous == null ? "no model" : previous) + ".";
            LOG.error(message); // the store published MODEL_REFUSED already
            throw new DeploymentException(e.reason(), message, e);
        }
    }

    private Optional<Activation> lastFromConfig(String lineId) {
        List<Activation> history = log.read(lineId);
        for (int i = history.size() - 1; i >= 0; i--) {
            if (ModelRepository.CONFIG_ACTOR.equals(history.get(i).actor())) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }

    // ---- 2. restore, with fallback ------------------------------------------------------------------

    /** Returns null when the line runs a model of its history now, else why it cannot. */
    private String restore(InspectionLine line) {
        String lineId = line.id();
        List<String> candidates = ActivationStack.replay(log.read(lineId)).fromTop();
        if (candidates.isEmpty()) {
            return "its activation history holds no model";
        }
        List<String> skipped = new ArrayList<>();
        boolean untrusted = false;
        Set<String> tried = new HashSet<>();
        for (String id : candidates) {
            if (!tried.add(id)) {
                continue;
            }
            Optional<StoredModel> stored = find(id);
            if (stored.isEmpty()) {
                skipped.add(id + " is no longer in the repository");
                LOG.warn("Line '{}': {} of its history is no longer in the repository; trying the model before it",
                        lineId, id);
                continue;
            }
            try {
                restoreOne(line, stored.get(), skipped);
                if (!skipped.isEmpty()) {
                    fellBack(lineId, id, skipped, untrusted);
                }
                return null;
            } catch (DeploymentException e) {
                skipped.add(e.getMessage()); // recorded as refused by the activator
                untrusted |= e.reason() == Reason.NOT_TRUSTED;
            }
        }
        String problem = "no model of its history can run: " + String.join(" | ", skipped);
        if (untrusted) {
            events.trustRevoked(lineId, "Line '" + lineId + "' has no trusted model: " + String.join(" | ", skipped)
                    + ". Deploy a package signed by a trusted key and activate it; acknowledge once done");
        }
        return problem;
    }

    private void restoreOne(InspectionLine line, StoredModel model, List<String> skipped) throws DeploymentException {
        Path folder = repository.folder(model.name(), model.version()).orElseThrow(() ->
                new DeploymentException(Reason.NOT_FOUND, model.id() + " is no longer in the repository"));
        Optional<ModelInfo> current = line.status().model();
        String reason = skipped.isEmpty() ? "restart: the last activated model, verified again"
                : "fallback: " + String.join(" | ", skipped);
        Activator.Request request = new Activator.Request(line.id(), model, folder, ActivationStack.RESTORE,
                RESTORE_ACTOR, reason, true, false);
        if (current.isPresent() && runs(current.get(), model)) {
            activator.verify(request); // the line kept it (the deployment restarted): verify, nothing to install
            LOG.debug("Line '{}' already runs {}, verified again", line.id(), model.id());
            return;
        }
        switcher.apply(line, model, ActivationStack.RESTORE, RESTORE_ACTOR, reason, false);
    }

    private void fellBack(String lineId, String now, List<String> skipped, boolean untrusted) {
        String message = "Line '" + lineId + "' fell back to " + now + ": " + String.join(" | ", skipped)
                + (untrusted ? ". Restore the key to the trust list only if you trust it again, or deploy a package"
                + " signed by a trusted key; acknowledge once done" : "");
        LOG.warn(message);
        if (untrusted) {
            events.trustRevoked(lineId, message);
        }
    }

    private Optional<StoredModel> find(String id) {
        String[] nameVersion = id.split("@", 2);
        return nameVersion.length == 2 ? repository.find(nameVersion[0], nameVersion[1]) : Optional.empty();
    }

    static boolean runs(ModelInfo info, StoredModel model) {
        return info.name().equals(model.name()) && info.version().equals(model.version())
                && info.sha256().equalsIgnoreCase(model.sha256());
    }
}
