package io.linesight.fleet.agent;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import io.linesight.api.watch.HealthWindowStatus;
import io.linesight.api.watch.HealthWindows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test doubles of what the fleet agent drives: a model deployment that records its calls and can refuse a gate, lines
 * whose model and shadow figures the test sets, health windows the test sets, and a clock the test moves.
 */
final class FakeRuntime implements AgentServices {

    final FakeDeployment deployment = new FakeDeployment();
    final Map<String, FakeLine> lines = new ConcurrentHashMap<>();
    final List<HealthWindowStatus> windows = new CopyOnWriteArrayList<>();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-08T10:00:00Z"));
    volatile boolean withHealthWindows = true;

    FakeRuntime(String... lineIds) {
        for (String id : lineIds) {
            lines.put(id, new FakeLine(id, model("base", "1.0")));
        }
    }

    @Override
    public Optional<ModelDeployment> deployment() {
        return Optional.of(deployment);
    }

    @Override
    public List<InspectionLine> lines() {
        return List.copyOf(lines.values());
    }

    @Override
    public Optional<HealthWindows> healthWindows() {
        return withHealthWindows ? Optional.of(() -> List.copyOf(windows)) : Optional.empty();
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** The health window of {@code lineId} for {@code model} ({@code name:version}) in {@code state}. */
    void window(String lineId, String model, HealthWindowStatus.State state, String note) {
        windows.removeIf(w -> w.lineId().equals(lineId));
        windows.add(new HealthWindowStatus(lineId, model, "base:1.0", state, 100, -1, 0.01, 0.01, 100, 0, 5, 5, note,
                now.get()));
    }

    static ModelInfo model(String name, String version) {
        return new ModelInfo(name, version, "0".repeat(64), Task.CLASSIFY, List.of("ok", "bad"));
    }

    static ShadowFigures figures(String lineId, ModelInfo candidate, ShadowFigures.State state, long frames,
            double agreement, String stopReason) {
        List<Long> nine = Collections.nCopies(9, 0L);
        List<Long> ten = Collections.nCopies(10, 0L);
        return new ShadowFigures(lineId, candidate, model("base", "1.0"), state, stopReason, frames, 0, agreement,
                agreement, nine, ten, ten, 5, 6, 5, 7, 0, 0, "rule", "", false, Instant.parse("2026-12-08T10:00:00Z"));
    }

    /** A line whose model and shadow trial the fake deployment sets. */
    static final class FakeLine implements InspectionLine {
        final String id;
        volatile ModelInfo model;
        volatile ShadowFigures shadow;

        FakeLine(String id, ModelInfo model) {
            this.id = id;
            this.model = model;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public LineStatus status() {
            return new LineStatus(id, LineState.RUNNING, "", "camera", SourceState.STREAMING, Optional.ofNullable(model),
                    LineCounters.zero(), 10, 1, 2, Optional.empty(), Instant.now());
        }

        @Override
        public void resetCounters() {
        }

        @Override
        public Optional<ModelInfo> installModel(LoadedModel loaded, String origin) {
            throw new UnsupportedOperationException("the fake deployment sets the model itself");
        }

        @Override
        public Optional<ShadowFigures> shadow() {
            return Optional.ofNullable(shadow);
        }
    }

    /** Records every call as one string; the packages it stores are those the test registered by file name. */
    final class FakeDeployment implements ModelDeployment {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<StoredModel> stored = new CopyOnWriteArrayList<>();
        final Map<String, String[]> packagesByFile = new ConcurrentHashMap<>();
        volatile String gateFailure;

        void expectPackage(String fileName, String name, String version) {
            packagesByFile.put(fileName, new String[] {name, version});
        }

        void store(String name, String version) {
            stored.add(new StoredModel(name, version, "0".repeat(64), "fleet", Instant.now(), null));
        }

        @Override
        public StoredModel deploy(Path packagePath, String actor) throws DeploymentException {
            String[] id = packagesByFile.get(packagePath.getFileName().toString());
            if (id == null || !Files.isRegularFile(packagePath)) {
                throw new DeploymentException(DeploymentException.Reason.NOT_TRUSTED, "not a package: " + packagePath);
            }
            calls.add("deploy " + id[0] + "@" + id[1] + " " + actor);
            store(id[0], id[1]);
            return stored.get(stored.size() - 1);
        }

        @Override
        public List<StoredModel> stored() {
            return List.copyOf(stored);
        }

        @Override
        public StoredModel remove(String name, String version, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Activation activate(String lineId, String name, String version, String actor, String reason)
                throws DeploymentException {
            gate(name, version);
            calls.add("activate " + lineId + " " + name + "@" + version + " " + actor);
            lines.get(lineId).model = model(name, version);
            return null;
        }

        @Override
        public Activation shadow(String lineId, String name, String version, String actor) throws DeploymentException {
            gate(name, version);
            calls.add("shadow " + lineId + " " + name + "@" + version + " " + actor);
            lines.get(lineId).shadow = figures(lineId, model(name, version), ShadowFigures.State.RUNNING, 0, 0, "");
            return null;
        }

        @Override
        public ShadowFigures stopShadow(String lineId, String actor) throws DeploymentException {
            calls.add("stopShadow " + lineId + " " + actor);
            FakeLine line = lines.get(lineId);
            ShadowFigures f = line.shadow;
            if (f == null || !f.running()) {
                throw new DeploymentException(DeploymentException.Reason.INVALID_STATE, "no trial runs");
            }
            line.shadow = figures(lineId, f.candidate(), ShadowFigures.State.STOPPED, f.framesJudged(),
                    f.verdictAgreement(), "stopped by " + actor);
            return line.shadow;
        }

        @Override
        public Activation promote(String lineId, String actor) throws DeploymentException {
            calls.add("promote " + lineId + " " + actor);
            FakeLine line = lines.get(lineId);
            ShadowFigures f = line.shadow;
            line.model = f.candidate();
            line.shadow = figures(lineId, f.candidate(), ShadowFigures.State.PROMOTED, f.framesJudged(),
                    f.verdictAgreement(), "promoted");
            return null;
        }

        private void gate(String name, String version) throws DeploymentException {
            if (stored.stream().noneMatch(s -> s.id().equals(name + "@" + version))) {
                throw new DeploymentException(DeploymentException.Reason.NOT_FOUND, name + "@" + version
                        + " is not stored");
            }
            String failure = gateFailure;
            if (failure != null) {
                throw new DeploymentException(DeploymentException.Reason.GATE_FAILED, failure);
            }
        }

        @Override
        public Activation rollback(String lineId, String actor, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Activation> history(String lineId) {
            return List.of();
        }

        @Override
        public Optional<Path> activePackage(String lineId) {
            return Optional.empty();
        }
    }
}
