package io.linesight.sparkplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import io.linesight.sparkplug.journal.JournalSettings;
import io.linesight.sparkplug.journal.MessageJournal;
import io.linesight.sparkplug.peer.HostMessage;
import io.linesight.sparkplug.peer.HostMetric;
import io.linesight.sparkplug.peer.HostTemplate;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge node against a real broker (mosquitto) and an independent Sparkplug host (sparkplug-payload on Node): what
 * the host decodes is what the node meant to say.
 */
class EdgeNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NBIRTH = "spBv1.0/plant/NBIRTH/box1";
    private static final String DBIRTH_A = "spBv1.0/plant/DBIRTH/box1/a";
    private static final String DDATA_A = "spBv1.0/plant/DDATA/box1/a";

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private MessageJournal journal;
    private EdgeNode node;

    private EdgeNode start(SparkplugSettings settings) throws Exception {
        journal = MessageJournal.open(settings.journalFile(), new JournalSettings(settings.journalMaxBytes(),
                settings.journalMaxAge(), settings.fsyncInterval()), Clock.systemUTC());
        node = new EdgeNode(settings, journal, runtime, runtime);
        node.start();
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void birthsListEveryMetricWithUniqueAliasesAndDataFollowsByException() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 10, 1));
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            start(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", false, Set.of()));

            HostMessage nbirth = host.await(m -> m.topic().equals(NBIRTH), WAIT);
            assertEquals(0L, nbirth.seq());
            assertEquals(0L, nbirth.metric("bdSeq").orElseThrow().asLong());
            assertFalse(nbirth.metric("Node Control/Rebirth").orElseThrow().asBoolean());
            HostTemplate definition = nbirth.metric(InspectionTemplate.NAME).orElseThrow().asTemplate();
            assertTrue(definition.isDefinition());
            assertTrue(definition.metric("Verdict").isPresent() && definition.metric("Sequence").isPresent());

            HostMessage dbirth = host.await(m -> m.topic().equals(DBIRTH_A), WAIT);
            assertEquals(1L, dbirth.seq());
            assertEquals("RUNNING", dbirth.metric("State").orElseThrow().asString());
            assertEquals(11L, dbirth.metric("Counters/Inspected").orElseThrow().asLong());
            assertEquals("defect-mobilenetv2", dbirth.metric("Model/Name").orElseThrow().asString());
            assertTrue(dbirth.metric("Alarms/CAMERA_LOST/Active").isPresent());
            assertTrue(dbirth.metric("Commands/Reset Counters").isPresent());
            Set<Long> aliases = new HashSet<>();
            for (HostMessage birth : List.of(nbirth, dbirth)) {
                for (HostMetric m : birth.metrics()) {
                    if (m.alias() != null) {
                        assertTrue(aliases.add(m.alias()), "alias " + m.alias() + " of " + m.name() + " used twice");
                    }
                }
            }

            int from = host.messageCount();
            runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 15, 1));
            HostMessage data = host.awaitFrom(from, m -> m.topic().equals(DDATA_A), WAIT);
            long inspectedAlias = dbirth.metric("Counters/Inspected").orElseThrow().alias();
            HostMetric inspected = data.metricByAlias(inspectedAlias).orElseThrow();
            assertEquals(16L, inspected.asLong());
            assertEquals(null, inspected.name(), "data messages carry aliases only");
            assertTrue(data.metricByAlias(dbirth.metric("State").orElseThrow().alias()).isEmpty(),
                    "an unchanged metric is not sent again");
            assertFalse(inspected.historical());

            // a line's fault goes out at once, not at the next interval
            int beforeFault = host.messageCount();
            node.lineStatusChanged(FakeRuntime.status("a", LineState.FAULT, 15, 1));
            HostMessage fault = host.awaitFrom(beforeFault, m -> m.topic().equals(DDATA_A)
                    && m.metricByAlias(dbirth.metric("State").orElseThrow().alias()).isPresent(), WAIT);
            assertEquals("FAULT", fault.metricByAlias(dbirth.metric("State").orElseThrow().alias()).orElseThrow()
                    .asString());
            assertSeqContinuous(host.messages());

            String status = node.describe();
            assertTrue(status.startsWith("Sparkplug node plant/box1: ONLINE on " + broker.tcpUrl()), status);
            assertTrue(status.contains("devices: a (born: 1)") && status.contains("commands allowed: none"), status);
        }
    }

    @Test
    void everyVerdictGoesUpAsAnInspectionResultStampedWithItsCaptureTime() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            start(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", true, Set.of()));
            HostMessage dbirth = host.await(m -> m.topic().equals(DBIRTH_A), WAIT);
            long inspectionAlias = dbirth.metric(InspectionTemplate.METRIC).orElseThrow().alias();
            Instant t0 = Instant.parse("2026-12-07T10:00:00.000Z");
            for (int i = 1; i <= 300; i++) {
                Verdict verdict = i % 10 == 0 ? Verdict.REJECT : Verdict.PASS;
                node.frameJudged(FakeRuntime.inspection("a", i, verdict, t0.plusMillis(100L * i)),
                        FakeRuntime.status("a", LineState.RUNNING, i, 0));
                Thread.sleep(2);
            }
            List<HostMessage> inspections = host.awaitCount(m -> m.topic().equals(DDATA_A)
                    && m.metricByAlias(inspectionAlias).isPresent(), 300, WAIT);
            for (int i = 0; i < 300; i++) {
                HostMetric metric = inspections.get(i).metricByAlias(inspectionAlias).orElseThrow();
                HostTemplate result = metric.asTemplate();
                long sequence = result.metric("Sequence").orElseThrow().asLong();
                assertEquals(i + 1, sequence, "frames in order, none missing");
                assertEquals(t0.plusMillis(100L * sequence).toEpochMilli(), metric.timestamp());
                assertEquals(sequence % 10 == 0 ? "REJECT" : "PASS", result.metric("Verdict").orElseThrow().asString());
                assertEquals(InspectionTemplate.NAME, result.templateRef());
            }
            HostTemplate reject = inspections.get(9).metricByAlias(inspectionAlias).orElseThrow().asTemplate();
            assertEquals("defect", reject.metric("Class").orElseThrow().asString());
            assertEquals(0.93, reject.metric("Confidence").orElseThrow().asDouble(), 1e-6);
            assertEquals("defect-mobilenetv2@0.3.0", reject.metric("Model").orElseThrow().asString());
            assertSeqContinuous(host.messages());
        }
    }

    @Test
    void flaggedSendsOnlyRejectAndReview() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            start(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", false, Set.of()));
            HostMessage dbirth = host.await(m -> m.topic().equals(DBIRTH_A), WAIT);
            long inspectionAlias = dbirth.metric(InspectionTemplate.METRIC).orElseThrow().alias();
            for (int i = 1; i <= 100; i++) {
                node.frameJudged(FakeRuntime.inspection("a", i, i % 10 == 0 ? Verdict.REJECT : Verdict.PASS,
                        Instant.now()), FakeRuntime.status("a", LineState.RUNNING, i, 0));
            }
            List<HostMessage> rejects = host.awaitCount(m -> m.metricByAlias(inspectionAlias).isPresent()
                    && m.topic().equals(DDATA_A), 10, WAIT);
            Thread.sleep(500);
            List<HostMessage> all = host.messages().stream().filter(m -> m.topic().equals(DDATA_A)
                    && m.metricByAlias(inspectionAlias).isPresent()).toList();
            assertEquals(10, all.size(), "only the ten rejects");
            for (HostMessage m : rejects) {
                assertEquals("REJECT", m.metricByAlias(inspectionAlias).orElseThrow().asTemplate().metric("Verdict")
                        .orElseThrow().asString());
            }
        }
    }

    @Test
    void rebirthOnRequestAndDeviceBirthAndDeathWhenLinesComeAndGo() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            start(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", false, Set.of()));
            HostMessage first = host.await(m -> m.topic().equals(NBIRTH), WAIT);
            host.await(m -> m.topic().equals(DBIRTH_A), WAIT);

            int from = host.messageCount();
            host.publishCommand("spBv1.0/plant/NCMD/box1", List.of(SparkplugHost.metric("Node Control/Rebirth",
                    "Boolean", true)));
            HostMessage again = host.awaitFrom(from, m -> m.topic().equals(NBIRTH), WAIT);
            assertEquals(0L, again.seq());
            assertEquals(first.metric("bdSeq").orElseThrow().asLong(), again.metric("bdSeq").orElseThrow().asLong(),
                    "a rebirth keeps the session's bdSeq");
            host.awaitFrom(from, m -> m.topic().equals(DBIRTH_A), WAIT);

            from = host.messageCount();
            runtime.lines.put("b", FakeRuntime.status("b", LineState.STARTING, 0, 0));
            host.awaitFrom(from, m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/b"), WAIT);
            runtime.lines.remove("a");
            host.awaitFrom(from, m -> m.topic().equals("spBv1.0/plant/DDEATH/box1/a"), WAIT);
            List<HostMessage> all = host.messages();
            assertSeqContinuous(all.subList(all.indexOf(again), all.size()));
        }
    }

    @Test
    void commandsAreRefusedUnlessAllowedAndAnsweredWithLastCommandResult() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 40, 2));
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            start(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", false,
                    Set.of(Command.RESET_COUNTERS, Command.ACKNOWLEDGE_ALARM)));
            HostMessage dbirth = host.await(m -> m.topic().equals(DBIRTH_A), WAIT);
            long result = dbirth.metric("Last Command Result").orElseThrow().alias();
            long inspected = dbirth.metric("Counters/Inspected").orElseThrow().alias();

            int from = host.messageCount();
            host.publishCommand("spBv1.0/plant/DCMD/box1/a", List.of(SparkplugHost.metric("Commands/Activate Model",
                    "String", "defect-mobilenetv2@0.4.0"), SparkplugHost.metric("Requester", "String", "mes-7")));
            HostMessage refused = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT);
            String text = refused.metricByAlias(result).orElseThrow().asString();
            assertTrue(text.startsWith("REFUSED: Commands/Activate Model: commands.allowed does not list activateModel"),
                    text);
            assertTrue(runtime.commandsDone.isEmpty());

            from = host.messageCount();
            host.publishCommand("spBv1.0/plant/DCMD/box1/a", List.of(SparkplugHost.metric(null,
                    dbirth.metric("Commands/Reset Counters").orElseThrow().alias(), "Boolean", true)));
            HostMessage done = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT);
            assertTrue(done.metricByAlias(result).orElseThrow().asString().startsWith("OK: Commands/Reset Counters"));
            assertEquals(List.of("a RESET_COUNTERS true sparkplug:host"), runtime.commandsDone);
            HostMessage zero = host.awaitFrom(from, m -> m.metricByAlias(inspected).isPresent(), WAIT);
            assertEquals(0L, zero.metricByAlias(inspected).orElseThrow().asLong());

            from = host.messageCount();
            host.publishCommand("spBv1.0/plant/NCMD/box1", List.of(SparkplugHost.metric("Commands/Acknowledge Alarm",
                    "Int64", 999L)));
            HostMessage nodeAnswer = host.awaitFrom(from, m -> m.topic().equals("spBv1.0/plant/NDATA/box1")
                    && m.metrics().stream().anyMatch(x -> x.type().equals("String")
                    && x.value().getAsString().startsWith("REFUSED: Commands/Acknowledge Alarm")), WAIT);
            assertTrue(nodeAnswer.metrics().stream().anyMatch(x -> x.value().getAsString().contains("id 999")));
        }
    }

    @Test
    void desiredStatesRetainedBeforeTheNodeCameReachTheFleetAgentAndItsPhasesGoUp() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        runtime.fleetAgent = true;
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            // published (retained) while the box was away: it finds them when it connects
            host.publishText("linesight/v1/plant/desired", "group-wide", 1, true);
            host.publishText("linesight/v1/plant/desired/box1", "for box1", 1, true);
            host.publishText("linesight/v1/plant/desired/box2", "for box2", 1, true);
            start(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", false, Set.of()));
            HostMessage dbirth = host.await(m -> m.topic().equals(DBIRTH_A), WAIT);
            assertEquals("NONE", dbirth.metric("Fleet/Phase").orElseThrow().asString());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (runtime.desiredStates.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(Set.of("linesight/v1/plant/desired: group-wide", "linesight/v1/plant/desired/box1: for box1"),
                    Set.copyOf(runtime.desiredStates), "its group's and its own, not another box's");

            int from = host.messageCount();
            runtime.deployments.add(new io.linesight.api.fleet.DeploymentStatus("a", "dm-7", "m@2",
                    io.linesight.api.fleet.DeploymentPhase.DOWNLOADING, 0.42, "from http://cdn/m-2.zip",
                    Instant.parse("2026-12-08T10:00:00Z")));
            long phase = dbirth.metric("Fleet/Phase").orElseThrow().alias();
            HostMessage data = host.awaitFrom(from, m -> m.metricByAlias(phase).isPresent(), WAIT);
            assertEquals("DOWNLOADING", data.metricByAlias(phase).orElseThrow().asString());
            assertEquals(0.42, data.metricByAlias(dbirth.metric("Fleet/Progress").orElseThrow().alias()).orElseThrow()
                    .asDouble(), 1e-9);
            assertEquals("dm-7", data.metricByAlias(dbirth.metric("Fleet/Deployment").orElseThrow().alias())
                    .orElseThrow().asString());
        }
    }

    /** Each message after a birth has the next seq, 255 wrapping to 0 (NDEATH and STATE carry none). */
    static void assertSeqContinuous(List<HostMessage> messages) {
        Long previous = null;
        for (HostMessage m : messages) {
            if (m.type() == null || m.seq() == null || m.is("NDEATH") || m.is("NCMD") || m.is("DCMD")
                    || m.is("STATE")) {
                continue;
            }
            if (m.is("NBIRTH")) {
                assertEquals(0L, m.seq());
            } else if (previous != null) {
                assertEquals((previous + 1) % 256, m.seq(), "seq after " + previous + " on " + m.topic());
            }
            previous = m.seq();
        }
    }
}
