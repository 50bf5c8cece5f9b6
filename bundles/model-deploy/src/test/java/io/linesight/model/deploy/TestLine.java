package io.linesight.model.deploy;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A line as the deployment sees it: it takes the model it is given, closes the one it replaces, and
 * remembers every installation. It can be told to refuse models, as a real line does when a model knows
 * none of its reject labels.
 */
final class TestLine implements InspectionLine {

    record Installed(ModelInfo info, String origin) {
    }

    private final String id;
    final List<Installed> installed = new CopyOnWriteArrayList<>();
    private volatile LoadedModel active;
    private volatile ModelInfo activeInfo;
    volatile String refusal;
    /** What the line's file names as model.package; null as for a line whose file was refused. */
    volatile Path configured;
    final List<String> unavailable = new CopyOnWriteArrayList<>();
    /** Runs when a model arrives, before it is taken: a test holds an activation in flight here. */
    volatile Runnable beforeInstall = () -> { };
    /** The shadow candidate the line was given (closed when its trial ends), and where its trial stands. */
    volatile LoadedModel candidate;
    volatile ShadowFigures.State shadowState;
    volatile String shadowStop = "";
    /** What the test lets the trial's figures say. */
    volatile long shadowFrames;
    volatile boolean autoPromote;
    private volatile Instant shadowStarted;

    TestLine(String id) {
        this.id = id;
    }

    /** A line whose file names {@code configured} as its model.package. */
    TestLine(String id, Path configured) {
        this(id);
        this.configured = configured;
    }

    @Override
    public Optional<Path> configuredPackage() {
        return Optional.ofNullable(configured);
    }

    @Override
    public void modelUnavailable(String problem) {
        unavailable.add(problem);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public LineStatus status() {
        return new LineStatus(id, LineState.RUNNING, "", "cam", SourceState.STREAMING, Optional.ofNullable(activeInfo),
                LineCounters.zero(), 0, 0, 0, Optional.empty(), Instant.now());
    }

    @Override
    public void resetCounters() {
    }

    @Override
    public synchronized Optional<ModelInfo> installModel(LoadedModel model, String origin) {
        beforeInstall.run();
        if (refusal != null) {
            model.close();
            throw new IllegalArgumentException(refusal);
        }
        LoadedModel previous = active;
        ModelInfo previousInfo = activeInfo;
        active = model;
        activeInfo = model.info();
        installed.add(new Installed(model.info(), origin));
        if (previous != null) {
            previous.close();
        }
        if (candidate != null && shadowState == ShadowFigures.State.RUNNING) {
            endShadow(LineModelOwner.runs(model.info(), candidateAsStored()) ? ShadowFigures.State.PROMOTED
                    : ShadowFigures.State.STOPPED, "the active model changed");
        }
        return Optional.ofNullable(previousInfo);
    }

    @Override
    public synchronized void startShadow(LoadedModel model, String origin) {
        if (refusal != null) {
            model.close();
            throw new IllegalArgumentException(refusal);
        }
        if (candidate != null) {
            candidate.close();
        }
        candidate = model;
        shadowState = ShadowFigures.State.RUNNING;
        shadowStop = "";
        shadowStarted = Instant.now();
    }

    @Override
    public synchronized Optional<ShadowFigures> stopShadow(String why) {
        if (shadowState != ShadowFigures.State.RUNNING) {
            return Optional.empty();
        }
        endShadow(ShadowFigures.State.STOPPED, why);
        return shadow();
    }

    /** The trial is READY_TO_PROMOTE while the test says it judged 100 frames or more. */
    @Override
    public Optional<ShadowFigures> shadow() {
        LoadedModel c = candidate;
        ShadowFigures.State state = shadowState;
        if (c == null || state == null) {
            return Optional.empty();
        }
        boolean ready = shadowFrames >= 100;
        if (state == ShadowFigures.State.RUNNING && ready) {
            state = ShadowFigures.State.READY_TO_PROMOTE;
        }
        List<Long> nine = List.of(shadowFrames, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        List<Long> bins = java.util.Collections.nCopies(ShadowFigures.BINS, 0L);
        return Optional.of(new ShadowFigures(id, c.info(), activeInfo, state, shadowStop, shadowFrames, 0, 1, 1, nine,
                bins, bins, 10, 12, 11, 13, 0, 0, "frames >= 100", ready ? "" : shadowFrames + " of 100 frames",
                autoPromote, shadowStarted));
    }

    private void endShadow(ShadowFigures.State state, String why) {
        shadowState = state;
        shadowStop = why;
        candidate.close();
    }

    private io.linesight.api.deploy.StoredModel candidateAsStored() {
        ModelInfo c = candidate.info();
        return new io.linesight.api.deploy.StoredModel(c.name(), c.version(), c.sha256(), "", Instant.now(), null);
    }

    Optional<ModelInfo> model() {
        return Optional.ofNullable(activeInfo);
    }

    /** Closes the active model (the end of a test). */
    synchronized void stop() {
        if (candidate != null) {
            candidate.close();
        }
        if (active != null) {
            active.close();
            active = null;
        }
    }
}
