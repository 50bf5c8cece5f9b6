package io.linesight.sparkplug;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.Task;
import io.linesight.api.output.OutputStatus;
import io.linesight.api.watch.DriftFigures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runtime as the edge node sees it, for the node's own tests: lines, outputs and alarms the test sets, the events
 * the node raises and the commands it carries out, recorded. (The integration tests run the node in the real
 * runtime.)
 */
final class FakeRuntime implements Surroundings, CommandHandler {

    static final ModelInfo MODEL = new ModelInfo("defect-mobilenetv2", "0.3.0", "ab".repeat(32), Task.CLASSIFY,
            List.of("good", "defect"));

    final Map<String, LineStatus> lines = new ConcurrentHashMap<>();
    final List<OutputStatus> outputs = new CopyOnWriteArrayList<>();
    final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    final List<RuntimeEvent> raised = new CopyOnWriteArrayList<>();
    final List<String> commandsDone = new CopyOnWriteArrayList<>();
    final List<io.linesight.api.fleet.DeploymentStatus> deployments = new CopyOnWriteArrayList<>();
    final List<String> desiredStates = new CopyOnWriteArrayList<>();
    volatile boolean fleetAgent;

    static LineStatus status(String lineId, LineState state, long pass, long reject) {
        return new LineStatus(lineId, state, state == LineState.FAULT ? "camera lost" : "", "conveyor",
                state == LineState.FAULT ? SourceState.LOST : SourceState.STREAMING, Optional.of(MODEL),
                new LineCounters(pass, reject, 0, Map.of()), 10.0, 42.0, 55.0, Optional.empty(), Instant.now());
    }

    static InspectionEvent inspection(String lineId, long sequence, Verdict verdict, Instant captured) {
        float defect = verdict == Verdict.REJECT ? 0.93f : 0.04f;
        Classification result = new Classification(new float[] {1 - defect, defect},
                List.of(verdict == Verdict.REJECT ? new ClassScore(1, "defect", defect)
                        : new ClassScore(0, "good", 1 - defect)), 1_000_000, 5_000_000, 100_000);
        return new InspectionEvent(lineId, "conveyor", sequence, System.nanoTime(), captured, MODEL, result, verdict,
                verdict == Verdict.REJECT ? "defect 0.93 >= 0.65" : "good", new StageLatencies(0, 1_000_000, 5_000_000,
                100_000, 10_000, 7_000_000), null);
    }

    static SparkplugSettings settings(String brokerUrl, Path journal, String primaryHost, boolean everyVerdict,
                                      Set<Command> allowed) {
        return new SparkplugSettings(List.of(brokerUrl), "plant", "box1", "linesight-test-" + System.nanoTime(), "",
                "", null, null, "", 10, primaryHost, everyVerdict, Duration.ofMillis(200), 1_000, journal,
                64L * 1024 * 1024, Duration.ofHours(24), Duration.ofMillis(200), 500, allowed);
    }

    /** The same settings with another replay rate. */
    static SparkplugSettings withReplayRate(SparkplugSettings s, int perSecond) {
        return new SparkplugSettings(s.brokers(), s.groupId(), s.edgeNodeId(), s.clientId(), s.username(),
                s.password(), s.caFile(), s.keyStore(), s.keyStorePassword(), s.keepAliveSeconds(), s.primaryHostId(),
                s.everyVerdict(), s.dataInterval(), s.maxMessagesPerSecond(), s.journalFile(), s.journalMaxBytes(),
                s.journalMaxAge(), s.fsyncInterval(), perSecond, s.commandsAllowed());
    }

    @Override
    public List<LineStatus> lines() {
        return List.copyOf(lines.values());
    }

    @Override
    public Optional<ShadowFigures> shadow(String lineId) {
        return Optional.empty();
    }

    @Override
    public List<DriftFigures> drift() {
        return List.of();
    }

    @Override
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    @Override
    public List<OutputStatus> outputs() {
        return List.copyOf(outputs);
    }

    @Override
    public List<io.linesight.api.fleet.DeploymentStatus> deployments() {
        return List.copyOf(deployments);
    }

    /** Records what arrived as "topic: text" when a fleet agent is said to run. */
    @Override
    public boolean desiredState(byte[] envelope, String topic) {
        if (fleetAgent) {
            desiredStates.add(topic + ": " + new String(envelope, java.nio.charset.StandardCharsets.UTF_8));
        }
        return fleetAgent;
    }

    @Override
    public void publish(RuntimeEvent event) {
        raised.add(event);
    }

    @Override
    public String apply(String lineId, Command command, Object value, String who) {
        if (command == Command.ACKNOWLEDGE_ALARM && (Long) value == 999) {
            throw new IllegalArgumentException("no listed, unacknowledged alarm has id 999");
        }
        commandsDone.add(lineId + " " + command + " " + value + " " + who);
        if (command == Command.RESET_COUNTERS) {
            LineStatus s = lines.get(lineId);
            lines.put(lineId, new LineStatus(s.lineId(), s.state(), s.stateDetail(), s.sourceId(), s.sourceState(),
                    s.model(), LineCounters.zero(), s.framesPerSecond(), s.latencyP50Ms(), s.latencyP95Ms(),
                    s.lastVerdict(), Instant.now()));
        }
        return command + " done";
    }
}
