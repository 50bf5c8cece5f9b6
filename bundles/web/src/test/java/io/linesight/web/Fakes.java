package io.linesight.web;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.ModelState;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test doubles of our own contracts (no third-party peers here) and a configuration builder. */
final class Fakes {

    static final String TOKEN = "0123456789abcdef-test-token";
    static final ModelInfo MODEL = new ModelInfo("defect-mobilenetv2", "0.2.0", "df216f22", Task.CLASSIFY, List.of("ok", "defect"));

    private Fakes() {
    }

    /** A configuration annotation from a map; missing keys take the annotation's defaults. */
    @SuppressWarnings("unchecked")
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            return method.getDefaultValue();
        });
    }

    static WebConfig webConfig(Map<String, Object> values) {
        Map<String, Object> all = new java.util.HashMap<>(values);
        all.putIfAbsent("tokens", new String[] {"ops:" + HexFormat.of().formatHex(BearerTokens.sha256(TOKEN))});
        return config(WebConfig.class, all);
    }

    static LineStatus status(String line, LineState state, long pass, long reject, long overrun) {
        return new LineStatus(line, state, state == LineState.RUNNING ? "" : "camera lost", "conveyor", SourceState.STREAMING,
                Optional.of(MODEL), new LineCounters(pass, reject, 0, Map.of(DropCause.OVERRUN, overrun)), 9.5, 12.5, 30.25,
                Optional.of(Verdict.PASS), Instant.parse("2026-01-01T00:00:00Z"));
    }

    static InspectionEvent event(String line, long sequence, Verdict verdict, float defect, long totalMs) {
        Classification c = new Classification(new float[] {1 - defect, defect},
                List.of(new ClassScore(defect >= 0.5f ? 1 : 0, defect >= 0.5f ? "defect" : "ok", Math.max(defect, 1 - defect))),
                1_000_000, 4_000_000, 100_000);
        return new InspectionEvent(line, "conveyor", sequence, System.nanoTime(), Instant.parse("2026-01-01T00:00:01Z"), MODEL, c,
                verdict, "defect " + defect, new StageLatencies(0, 1_000_000, 4_000_000, 100_000, 10_000, totalMs * 1_000_000), null);
    }

    /** A line whose status a test sets; counts resets. */
    static final class Line implements InspectionLine {
        final String id;
        volatile LineStatus status;
        int resets;
        volatile Optional<io.linesight.api.inspection.ShadowFigures> shadow = Optional.empty();

        @Override
        public Optional<io.linesight.api.inspection.ShadowFigures> shadow() {
            return shadow;
        }

        Line(String id, LineState state) {
            this.id = id;
            this.status = Fakes.status(id, state, 3, 1, 2);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public LineStatus status() {
            return status;
        }

        @Override
        public void resetCounters() {
            resets++;
        }

        @Override
        public Optional<ModelInfo> installModel(LoadedModel model, String origin) {
            throw new UnsupportedOperationException();
        }
    }

    /** A deployment that records calls (and the bytes of each deployed file) and refuses with a configurable reason. */
    static final class Deployment implements ModelDeployment {
        final List<String> calls = new ArrayList<>();
        final List<byte[]> deployed = new ArrayList<>();
        final List<Path> deployedFrom = new ArrayList<>();
        DeploymentException.Reason refuse;
        RuntimeException fail;
        Path activePackage;

        @Override
        public StoredModel deploy(Path packagePath, String actor) throws DeploymentException {
            calls.add("deploy by " + actor);
            deployedFrom.add(packagePath);
            try {
                deployed.add(java.nio.file.Files.readAllBytes(packagePath));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            if (fail != null) {
                throw fail;
            }
            if (refuse != null) {
                throw new DeploymentException(refuse, "refused: " + refuse + " (model.json does not match MANIFEST.sha256)");
            }
            return new StoredModel("defect-mobilenetv2", "0.2.1", "ab12", "ci-key", Instant.parse("2026-01-01T00:00:03Z"),
                    null);
        }

        @Override
        public List<StoredModel> stored() {
            return List.of(new StoredModel("defect-mobilenetv2", "0.2.0", "df216f22", "unsigned", Instant.parse("2026-01-01T00:00:00Z"),
                    new GateReport(true, "accuracy", 1.0, 0.95, 100, 7.5, 100, "passed"), ModelState.ACTIVE, "default"));
        }

        @Override
        public Activation activate(String lineId, String name, String version, String actor, String reason) throws DeploymentException {
            calls.add("activate " + lineId + " " + name + "@" + version + " by " + actor + ": " + reason);
            return answer(lineId, name + "@" + version, "activate", actor, reason);
        }

        @Override
        public Activation rollback(String lineId, String actor, String reason) throws DeploymentException {
            calls.add("rollback " + lineId + " by " + actor + ": " + reason);
            return answer(lineId, "defect-mobilenetv2@0.1.0", "rollback", actor, reason);
        }

        private Activation answer(String lineId, String model, String action, String actor, String reason) throws DeploymentException {
            if (refuse != null) {
                throw new DeploymentException(refuse, "refused: " + refuse);
            }
            return new Activation(2, Instant.parse("2026-01-01T00:00:02Z"), lineId, model, "abc", "defect-mobilenetv2@0.2.0",
                    action, actor, reason, null);
        }

        @Override
        public List<Activation> history(String lineId) {
            return List.of(new Activation(1, Instant.parse("2026-01-01T00:00:00Z"), lineId, "defect-mobilenetv2@0.2.0", "df216f22",
                    null, "activate", "console", "first", null));
        }

        @Override
        public Optional<Path> activePackage(String lineId) {
            return Optional.ofNullable(activePackage);
        }

        @Override
        public StoredModel remove(String name, String version, String actor) throws DeploymentException {
            calls.add("remove " + name + "@" + version + " by " + actor);
            if (refuse != null) {
                throw new DeploymentException(refuse, "refused: " + refuse + " (it is active on line 'default')");
            }
            return stored().get(0).withState(ModelState.RETIRED, null);
        }

        @Override
        public Activation shadow(String lineId, String name, String version, String actor) throws DeploymentException {
            calls.add("shadow " + lineId + " " + name + "@" + version + " by " + actor);
            return answer(lineId, name + "@" + version, "shadow", actor, "shadow trial");
        }

        @Override
        public io.linesight.api.inspection.ShadowFigures stopShadow(String lineId, String actor) throws DeploymentException {
            calls.add("unshadow " + lineId + " by " + actor);
            if (refuse != null) {
                throw new DeploymentException(refuse, "refused: " + refuse);
            }
            return shadowFigures(lineId, io.linesight.api.inspection.ShadowFigures.State.STOPPED);
        }

        @Override
        public Activation promote(String lineId, String actor) throws DeploymentException {
            calls.add("promote " + lineId + " by " + actor);
            return answer(lineId, "defect-mobilenetv2@0.3.0", "activate", actor, "promoted from shadow");
        }
    }

    /** Figures of a trial that judged 40 frames: 38 agree, 2 the candidate sent to REVIEW. */
    static io.linesight.api.inspection.ShadowFigures shadowFigures(String lineId,
            io.linesight.api.inspection.ShadowFigures.State state) {
        ModelInfo candidate = new ModelInfo("defect-mobilenetv2", "0.3.0", "cc", io.linesight.api.model.Task.CLASSIFY,
                List.of("ok", "defect"));
        ModelInfo active = new ModelInfo("defect-mobilenetv2", "0.2.0", "aa", io.linesight.api.model.Task.CLASSIFY,
                List.of("ok", "defect"));
        List<Long> bins = java.util.Collections.nCopies(10, 4L);
        return new io.linesight.api.inspection.ShadowFigures(lineId, candidate, active, state,
                state == io.linesight.api.inspection.ShadowFigures.State.STOPPED ? "stopped by web:op" : "", 40, 3,
                0.95, 0.975, List.of(30L, 0L, 2L, 0L, 8L, 0L, 0L, 0L, 0L), bins, bins, 7, 9, 8, 11.5, 0, 2,
                "frames >= 500", "40 of 500 frames", false, Instant.parse("2026-01-01T00:00:05Z"));
    }
}
