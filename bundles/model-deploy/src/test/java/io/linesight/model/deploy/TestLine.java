package io.linesight.model.deploy;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
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
        return Optional.ofNullable(previousInfo);
    }

    Optional<ModelInfo> model() {
        return Optional.ofNullable(activeInfo);
    }

    /** Closes the active model (the end of a test). */
    synchronized void stop() {
        if (active != null) {
            active.close();
            active = null;
        }
    }
}
