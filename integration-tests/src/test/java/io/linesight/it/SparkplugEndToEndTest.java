package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.sparkplug.peer.HostMessage;
import io.linesight.sparkplug.peer.HostMetric;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the runtime as a Sparkplug B edge node against a real broker (mosquitto) and an independent host
 * (sparkplug-payload on Node), configured by the shipped example file: births of the default line and its PLC output,
 * every verdict as DDATA, commands with and without the allow-list, NDEATH by the broker when the runtime is killed
 * (-9), and a 60 s broker outage at 10 frames/s with a kill -9 and restart in the middle of it: afterwards every
 * frame of the outage reaches the host, in order, marked historical, with live data flowing during the replay.
 */
class SparkplugEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String HOST_ID = "scada";
    private static final String PREFIX = "spBv1.0/plant/";
    private static final String DDATA = PREFIX + "DDATA/box1/default";
    private static final long OUTAGE_MS = 60_000;

    @Test
    void theRuntimeIsAnEdgeNodeThatLosesNothingWhileTheBrokerIsAway() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl(),
                        SparkplugHost.Options.defaults().withHostId(HOST_ID));
                RuntimeProcess runtime = new RuntimeProcess("sparkplug")) {
            configure(runtime, broker.tcpUrl());
            runtime.start();

            HostMessage nbirth = host.await(m -> m.topic().equals(PREFIX + "NBIRTH/box1"), WAIT);
            HostMessage dbirth = host.await(m -> m.topic().equals(PREFIX + "DBIRTH/box1/default"), WAIT);
            host.await(m -> m.topic().equals(PREFIX + "DBIRTH/box1/output-default"), WAIT);
            long inspection = alias(dbirth, "Last Inspection");
            long state = alias(dbirth, "State");
            assertTrue(dbirth.metric("Model/Name").orElseThrow().asString().equals("defect-mobilenetv2"));
            host.await(m -> m.topic().equals(DDATA) && m.metricByAlias(inspection).isPresent(), WAIT);
            assertTrue(dbirth.metric("State").orElseThrow().asString().equals("RUNNING")
                    || host.await(m -> m.topic().equals(DDATA) && m.metricByAlias(state).map(HostMetric::asString)
                    .orElse("").equals("RUNNING"), WAIT) != null);

            commands(host, dbirth, runtime);

            // killed while connected: the broker publishes the Will, an NDEATH with this session's bdSeq
            long bdSeq = nbirth.metric("bdSeq").orElseThrow().asLong();
            int beforeKill = host.messageCount();
            runtime.close();
            HostMessage death = host.awaitFrom(beforeKill, m -> m.topic().equals(PREFIX + "NDEATH/box1"), WAIT);
            assertEquals(bdSeq, death.metric("bdSeq").orElseThrow().asLong(), "the Will carries the session's bdSeq");

            runtime.start();
            HostMessage rebirth = host.awaitFrom(beforeKill, m -> m.topic().equals(PREFIX + "NBIRTH/box1"), WAIT);
            assertEquals((bdSeq + 1) % 256, rebirth.metric("bdSeq").orElseThrow().asLong());
            HostMessage dbirth2 = host.awaitFrom(beforeKill, m -> m.topic().equals(PREFIX + "DBIRTH/box1/default"),
                    WAIT);
            long inspection2 = alias(dbirth2, "Last Inspection");
            host.awaitFrom(host.messageCount(), m -> m.topic().equals(DDATA) && m.metricByAlias(inspection2)
                    .isPresent(), WAIT);

            outage(broker, host, runtime);
        }
    }

    private static void configure(RuntimeProcess runtime, String brokerUrl) throws Exception {
        Path cfg = runtime.config("io.linesight.sparkplug.cfg");
        Files.copy(RuntimeProcess.REPO.resolve("config-examples/io.linesight.sparkplug.cfg"), cfg);
        String text = Files.readString(cfg)
                .replace("brokers = tcp://127.0.0.1:1883", "brokers = " + brokerUrl)
                .replace("edgeNodeId =\n", "edgeNodeId = box1\n")
                .replace("primaryHostId =\n", "primaryHostId = " + HOST_ID + "\n")
                .replace("verdicts = flagged", "verdicts = every")
                .replace("commands.allowed =\n", "commands.allowed = resetCounters, activateModel, setThresholds\n");
        Files.writeString(cfg, text);
        assertTrue(text.contains("edgeNodeId = box1") && text.contains("verdicts = every")
                && text.contains("commands.allowed = resetCounters, activateModel, setThresholds")
                && text.contains(brokerUrl), text);
    }

    /**
     * DCMD: a command not in the allow-list (roll back) is refused with a reason; reset counters, activate model and set
     * thresholds (allowed) are carried out through the console's services and answered.
     */
    private static void commands(SparkplugHost host, HostMessage dbirth, RuntimeProcess runtime) throws Exception {
        long result = alias(dbirth, "Last Command Result");
        long inspected = alias(dbirth, "Counters/Inspected");
        String dcmd = PREFIX + "DCMD/box1/default";

        int from = host.messageCount();
        host.publishCommand(dcmd, List.of(SparkplugHost.metric("Commands/Roll Back Model", "Boolean", true),
                SparkplugHost.metric("Requester", "String", "it")));
        String refused = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT).metricByAlias(result)
                .orElseThrow().asString();
        assertTrue(refused.startsWith("REFUSED: Commands/Roll Back Model: commands.allowed does not list"), refused);
        assertTrue(runtime.outputContains("from sparkplug:it refused: commands.allowed does not list rollBackModel"),
                "the refusal is logged with who asked");

        // a version that is not stored: refused by the deployment, with its reason
        from = host.messageCount();
        host.publishCommand(dcmd, List.of(SparkplugHost.metric("Commands/Activate Model", "String",
                "defect-mobilenetv2@9.9.9")));
        String unknown = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT).metricByAlias(result)
                .orElseThrow().asString();
        assertTrue(unknown.startsWith("REFUSED: Commands/Activate Model: ") && unknown.contains("9.9.9"), unknown);
        // the stored version: activated through the gate, recorded, the line keeps inspecting
        from = host.messageCount();
        host.publishCommand(dcmd, List.of(SparkplugHost.metric("Commands/Activate Model", "String",
                "defect-mobilenetv2@0.2.0")));
        String activated = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT).metricByAlias(result)
                .orElseThrow().asString();
        assertTrue(activated.startsWith("OK: Commands/Activate Model: activate defect-mobilenetv2"), activated);

        from = host.messageCount();
        host.publishCommand(dcmd, List.of(SparkplugHost.metric("Commands/Set Thresholds", "String",
                "reject.minConfidence=0.7")));
        String thresholds = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT)
                .metricByAlias(result).orElseThrow().asString();
        assertTrue(thresholds.startsWith("OK: Commands/Set Thresholds"), thresholds);
        assertTrue(Files.readAllLines(runtime.config("io.linesight.line-default.cfg")).contains(
                "reject.minConfidence=0.7"), "written into the line's file");
        runtime.await(() -> runtime.outputContains("reject [defect] >= 0.7"), 30, "the line to apply the threshold");

        host.awaitFrom(from, m -> m.metricByAlias(inspected).map(HostMetric::asLong).orElse(0L) > 20, WAIT);
        from = host.messageCount();
        host.publishCommand(dcmd, List.of(SparkplugHost.metric("Commands/Reset Counters", "Boolean", true)));
        HostMessage answer = host.awaitFrom(from, m -> m.metricByAlias(result).isPresent(), WAIT);
        String done = answer.metricByAlias(result).orElseThrow().asString();
        assertTrue(done.startsWith("OK: Commands/Reset Counters"), done);
        // the answer carries the changed counters, or the next data message does
        long after = host.awaitFrom(host.messages().indexOf(answer), m -> m.metricByAlias(inspected).isPresent(), WAIT)
                .metricByAlias(inspected).orElseThrow().asLong();
        assertTrue(after < 15, "counters reset: inspected " + after);
    }

    private void outage(MosquittoBroker broker, SparkplugHost host, RuntimeProcess runtime) throws Exception {
        int start = host.messageCount();
        long stopped = System.currentTimeMillis();
        broker.stop();
        Thread.sleep(OUTAGE_MS / 2 - 5_000);
        runtime.close(); // kill -9 in the middle of the outage
        long killedAt = System.currentTimeMillis();
        runtime.start();
        long restartedAt = System.currentTimeMillis();
        Thread.sleep(Math.max(0, stopped + OUTAGE_MS - System.currentTimeMillis()));
        long journalBytes = journalSize(runtime);
        broker.start();
        long back = System.currentTimeMillis();


        host.awaitFrom(start, m -> m.topic().equals(PREFIX + "DBIRTH/box1/default"), WAIT);
        awaitReplay(host, start, System.currentTimeMillis() + 2_000);
        long replayDone = System.currentTimeMillis();
        Seen seen = seen(host, start);

        Run first = new Run();
        Run second = new Run();
        int historical = 0;
        int duringOutage = 0;
        int liveDuringOutage = 0;
        int liveAmidReplay = 0;
        int pendingLive = 0;
        for (Received r : seen.inspections) {
            if (r.captured < stopped) {
                continue;
            }
            Run run = r.captured < killedAt ? first : second;
            if (r.captured < back) {
                duringOutage++;
                liveDuringOutage += r.historical ? 0 : 1;
            }
            run.sequences.merge(r.sequence, 1, Integer::sum);
            if (r.historical) {
                historical++;
                liveAmidReplay += pendingLive;
                pendingLive = 0;
                run.ordered &= r.sequence > run.lastHistorical;
                run.lastHistorical = r.sequence;
            } else {
                pendingLive++;
            }
        }
        // frames the line itself dropped (the model slower than the camera) were never judged, so never sent: the
        // host knows how many from the line's counters, which went up with the data
        long overrunFirst = seen.overrunAt(killedAt) - seen.overrunAt(stopped);
        long overrunSecond = seen.overrunAfter(restartedAt);
        long duplicates = seen.inspections.stream().filter(r -> r.captured >= stopped).count()
                - first.sequences.size() - second.sequences.size();
        String figures = String.format(Locale.ROOT, "outage %d ms; first run %d frames (%d..%d), %d missing inside,"
                        + " %d overrun drops; second run %d frames (%d..%d), %d missing inside, %d overrun drops;"
                        + " %d judged during the outage, %d historical; live amid replay %d; duplicates %d; journal file %d bytes when the broker"
                        + " returned; replay done %d ms after it returned",
                back - stopped, first.sequences.size(), first.sequences.firstKey(), first.sequences.lastKey(),
                first.missing(), overrunFirst, second.sequences.size(), second.sequences.firstKey(),
                second.sequences.lastKey(), second.missing(), overrunSecond, duringOutage, historical, liveAmidReplay, duplicates,
                journalBytes, replayDone - back);
        System.out.println("sparkplug outage: " + figures);
        assertTrue(first.sequences.size() > 150, figures);
        assertTrue(second.sequences.size() > 150, figures);
        assertTrue(first.missing() <= overrunFirst, "a frame of the first run was lost: " + figures);
        assertTrue(second.missing() <= overrunSecond, "a frame of the second run was lost: " + figures);
        assertTrue(first.ordered && second.ordered, "historical frames in order: " + figures);
        assertEquals(0, liveDuringOutage, "every frame judged while the broker was away comes as historical: "
                + figures);
        assertTrue(duringOutage > 500, figures);
        assertTrue(liveAmidReplay > 0, "live frames flowed amid the replay: " + figures);
    }

    /** The frames of one run of the runtime that the host received. */
    private static final class Run {
        final TreeMap<Long, Integer> sequences = new TreeMap<>();
        boolean ordered = true;
        long lastHistorical = -1;

        /** Sequences between the first and the last received that never came. */
        long missing() {
            return sequences.isEmpty() ? 0 : sequences.lastKey() - sequences.firstKey() + 1 - sequences.size();
        }
    }

    private record Received(long sequence, long captured, boolean historical) {
    }

    /** What the host got from message {@code from} on: inspections and the line's overrun counter, by time. */
    private record Seen(List<Received> inspections, TreeMap<Long, Long> overrun) {
        long overrunAt(long millis) {
            Map.Entry<Long, Long> e = overrun.floorEntry(millis);
            return e == null ? 0 : e.getValue();
        }

        long overrunAfter(long millis) {
            return overrun.tailMap(millis).values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    /** Reads the messages with the aliases of the birth before each (a new session may give new aliases). */
    private static Seen seen(SparkplugHost host, int from) {
        List<Received> inspections = new ArrayList<>();
        TreeMap<Long, Long> overrun = new TreeMap<>();
        Long inspection = null;
        Long dropped = null;
        List<HostMessage> all = host.messages();
        for (HostMessage m : all.subList(from, all.size())) {
            if (m.topic().equals(PREFIX + "DBIRTH/box1/default")) {
                inspection = alias(m, "Last Inspection");
                dropped = alias(m, "Counters/Dropped/Overrun");
                continue;
            }
            if (!m.topic().equals(DDATA) || inspection == null) {
                continue;
            }
            HostMetric metric = m.metricByAlias(inspection).orElse(null);
            if (metric != null) {
                long seq = metric.asTemplate().metric("Sequence").orElseThrow().asLong();
                inspections.add(new Received(seq, metric.timestamp(), metric.historical()));
            }
            m.metricByAlias(dropped).ifPresent(d -> overrun.put(d.timestamp(), d.asLong()));
        }
        return new Seen(inspections, overrun);
    }

    /** Waits until a live inspection captured after {@code until} arrived and no historical one came for 3 s. */
    private static void awaitReplay(SparkplugHost host, int from, long until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long historical = -1;
        while (true) {
            Seen seen = seen(host, from);
            boolean liveSeen = seen.inspections.stream().anyMatch(r -> !r.historical && r.captured > until);
            long now = seen.inspections.stream().filter(Received::historical).count();
            if (liveSeen && now == historical) {
                return;
            }
            historical = now;
            assertTrue(System.nanoTime() < deadline, "the replay did not finish: " + now + " historical so far");
            Thread.sleep(3_000);
        }
    }

    private static long journalSize(RuntimeProcess runtime) throws Exception {
        Path journal = runtime.dataFolder().resolve("sparkplug/journal.mv");
        return Files.exists(journal) ? Files.size(journal) : -1;
    }

    private static long alias(HostMessage birth, String metric) {
        return birth.metric(metric).orElseThrow(() -> new AssertionError(metric + " not in " + birth.topic()))
                .alias();
    }
}
