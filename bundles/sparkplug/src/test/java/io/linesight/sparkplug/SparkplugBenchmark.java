package io.linesight.sparkplug;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.sparkplug.journal.JournalSettings;
import io.linesight.sparkplug.journal.MessageJournal;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Figures for issue 18, printed, not asserted (not in the suite: run it by name).
 * <ol>
 *   <li>Cost on the inference thread: {@link EdgeNode#frameJudged} per frame at 300 frames/s, with the node connected
 *       and with the broker down, against a baseline measured in the same run (a sink that only counts).</li>
 *   <li>Journal write throughput through the node: the broker down, every verdict sent, frames as fast as the node
 *       takes them; against the 600 messages/s goal (20 x a 30 frames/s line).</li>
 *   <li>Replay of a 1-hour backlog at 30 frames/s (108,000 messages) with an unlimited replay rate: how long until the
 *       independent host has all of them.</li>
 * </ol>
 * {@code mvn -o test -pl bundles/sparkplug -Dtest=SparkplugBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dbench.seconds=20] [-Dbench.backlog=108000]}
 */
class SparkplugBenchmark {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int BACKLOG = Integer.getInteger("bench.backlog", 108_000);

    @Test
    void figures() throws Exception {
        Path dir = Files.createTempDirectory("sparkplug-bench");
        FakeRuntime runtime = new FakeRuntime();
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        System.out.printf(Locale.ROOT, "sparkplug benchmark: %d s per phase, %d cores%n", SECONDS,
                Runtime.getRuntime().availableProcessors());
        long[] baseline = callCost(null, 300);
        report("baseline (a sink that counts)", baseline);
        try (MosquittoBroker broker = MosquittoBroker.launch()) {
            SparkplugSettings settings = FakeRuntime.withReplayRate(FakeRuntime.settings(broker.tcpUrl(),
                    dir.resolve("j.mv"), "", true, Set.of()), 100_000);
            settings = withRate(settings, 100_000);
            try (MessageJournal journal = open(settings); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
                EdgeNode node = new EdgeNode(settings, journal, runtime, runtime);
                node.start();
                host.await(m -> m.is("DBIRTH"), Duration.ofSeconds(30));
                report("frameJudged, node connected", callCost(node, 300));
                broker.stop();
                Thread.sleep(1_000);
                report("frameJudged, broker down", callCost(node, 300));
                journalThroughput(node, journal);
                node.close();
            }
            replay(broker, settings, runtime);
            for (int fps : new int[] {10, 30}) {
                bandwidth(broker, dir, runtime, true, fps);
                bandwidth(broker, dir, runtime, false, fps);
            }
        }
    }

    /**
     * Bytes a second upstream for one line at {@code fps} with 10 % rejects: payloads as the host received them plus
     * each PUBLISH's MQTT overhead (fixed header, topic), data messages only (births are once per session).
     */
    private static void bandwidth(MosquittoBroker broker, Path dir, FakeRuntime runtime, boolean every, int fps)
            throws Exception {
        SparkplugSettings settings = withRate(FakeRuntime.settings(broker.tcpUrl(),
                dir.resolve("bandwidth-" + every + fps + ".mv"), "", every, Set.of()), 100_000);
        settings = new SparkplugSettings(settings.brokers(), settings.groupId(), settings.edgeNodeId(),
                settings.clientId(), "", "", null, null, "", settings.keepAliveSeconds(), "", every,
                Duration.ofSeconds(1), settings.maxMessagesPerSecond(), settings.journalFile(), settings.journalMaxBytes(),
                settings.journalMaxAge(), settings.fsyncInterval(), settings.replayPerSecond(), Set.of());
        try (MessageJournal journal = open(settings); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            EdgeNode node = new EdgeNode(settings, journal, runtime, runtime);
            node.start();
            host.await(m -> m.is("DBIRTH"), Duration.ofSeconds(30));
            int from = host.messageCount();
            long period = 1_000_000_000L / fps;
            long next = System.nanoTime();
            int frames = SECONDS * fps;
            long pass = 0;
            long reject = 0;
            for (int i = 1; i <= frames; i++) {
                Verdict v = i % 10 == 0 ? Verdict.REJECT : Verdict.PASS;
                pass += v == Verdict.PASS ? 1 : 0;
                reject += v == Verdict.REJECT ? 1 : 0;
                LineStatus status = FakeRuntime.status("a", LineState.RUNNING, pass, reject);
                runtime.lines.put("a", status);
                node.frameJudged(FakeRuntime.inspection("a", i, v, Instant.now()), status);
                next += period;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            Thread.sleep(1_500);
            long bytes = 0;
            long messages = 0;
            long inspectionBytes = 0;
            long inspections = 0;
            var all = host.messages();
            for (var m : all.subList(from, all.size())) {
                if (!m.is("DDATA") && !m.is("NDATA")) {
                    continue;
                }
                long wire = m.bytes() + m.topic().length() + 2 + 2; // PUBLISH: fixed header (2), topic length (2)
                bytes += wire;
                messages++;
                if (m.metrics().size() == 1 && "Template".equals(m.metrics().get(0).type())) {
                    inspectionBytes += wire;
                    inspections++;
                }
            }
            System.out.printf(Locale.ROOT, "  bandwidth, verdicts=%s at %d frames/s: %.0f bytes/s (%.1f kbit/s), %.1f"
                            + " messages/s; an inspection message %d bytes on the wire%n", every ? "every" : "flagged",
                    fps, bytes / (double) SECONDS, bytes * 8 / 1000.0 / SECONDS, messages / (double) SECONDS,
                    inspections == 0 ? 0 : inspectionBytes / inspections);
            node.close();
        }
    }

    private static MessageJournal open(SparkplugSettings s) throws Exception {
        return MessageJournal.open(s.journalFile(), new JournalSettings(s.journalMaxBytes(), s.journalMaxAge(),
                s.fsyncInterval()), Clock.systemUTC());
    }

    private static SparkplugSettings withRate(SparkplugSettings s, int perSecond) {
        return new SparkplugSettings(s.brokers(), s.groupId(), s.edgeNodeId(), s.clientId(), s.username(),
                s.password(), s.caFile(), s.keyStore(), s.keyStorePassword(), s.keepAliveSeconds(), s.primaryHostId(),
                s.everyVerdict(), s.dataInterval(), perSecond, s.journalFile(), s.journalMaxBytes(), s.journalMaxAge(),
                s.fsyncInterval(), s.replayPerSecond(), s.commandsAllowed());
    }

    /** Nanoseconds per call, paced at {@code perSecond}; a null node measures the counting baseline. */
    private static long[] callCost(EdgeNode node, int perSecond) {
        int n = SECONDS * perSecond;
        long[] cost = new long[n];
        long[] counted = {0};
        long period = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        LineStatus status = FakeRuntime.status("a", LineState.RUNNING, 0, 0);
        for (int i = 0; i < n; i++) {
            InspectionEvent event = FakeRuntime.inspection("a", i + 1, i % 10 == 0 ? Verdict.REJECT : Verdict.PASS,
                    Instant.now());
            long t0 = System.nanoTime();
            if (node == null) {
                counted[0] += event.sequence();
            } else {
                node.frameJudged(event, status);
            }
            cost[i] = System.nanoTime() - t0;
            next += period;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        return cost;
    }

    private static void report(String what, long[] cost) {
        long[] sorted = cost.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-34s p50 %6.2f us, p99 %6.2f us, p99.9 %7.2f us, max %8.1f us (%d calls)%n",
                what, sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
                sorted[(int) (sorted.length * 0.999)] / 1e3, sorted[sorted.length - 1] / 1e3, sorted.length);
    }

    /** As fast as the node takes frames with the broker down: messages journaled per second. */
    private static void journalThroughput(EdgeNode node, MessageJournal journal) throws InterruptedException {
        long before = journal.figures().appended();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(SECONDS).toNanos();
        LineStatus status = FakeRuntime.status("a", LineState.RUNNING, 0, 0);
        long offered = 0;
        while (System.nanoTime() < end) {
            node.frameJudged(FakeRuntime.inspection("a", offered + 1, Verdict.PASS, Instant.now()), status);
            offered++;
            if (offered % 64 == 0) {
                Thread.sleep(1);
            }
        }
        Thread.sleep(500);
        double seconds = (System.nanoTime() - start) / 1e9;
        long journaled = journal.figures().appended() - before;
        System.out.printf(Locale.ROOT, "  journal through the node: %d messages in %.1f s = %.0f messages/s (goal"
                        + " 600/s: %.1fx); offered %d, dropped at the hand-off %d; journal %d entries, %.1f MB"
                        + " accounted, file %.1f MB%n", journaled, seconds, journaled / seconds,
                journaled / seconds / 600, offered, node.framesDropped(), journal.figures().entries(),
                journal.figures().bytes() / 1e6, journal.figures().fileBytes() / 1e6);
    }

    /** A backlog of {@link #BACKLOG} inspections, journaled with the broker down, then replayed to a host. */
    private static void replay(MosquittoBroker broker, SparkplugSettings connected, FakeRuntime runtime)
            throws Exception {
        // the node waits for the host's STATE, so the host misses nothing of the replay
        SparkplugSettings settings = withRate(FakeRuntime.withReplayRate(FakeRuntime.settings(broker.tcpUrl(),
                connected.journalFile().resolveSibling("backlog.mv"), "bench", true, Set.of()), 100_000), 100_000);
        try (MessageJournal journal = open(settings)) {
            EdgeNode node = new EdgeNode(settings, journal, runtime, runtime);
            node.start();
            LineStatus status = FakeRuntime.status("a", LineState.RUNNING, 0, 0);
            Instant t0 = Instant.now().minusSeconds(3600);
            long started = System.nanoTime();
            for (int i = 1; i <= BACKLOG; i++) {
                node.frameJudged(FakeRuntime.inspection("a", i, Verdict.PASS, t0.plusMillis(i * 33L)), status);
                if (i % 512 == 0) {
                    while (journal.figures().appended() < i - 2_048) {
                        Thread.sleep(1);
                    }
                }
            }
            while (journal.figures().entries() < BACKLOG) {
                Thread.sleep(10);
            }
            double filled = (System.nanoTime() - started) / 1e9;
            long fileBytes = journal.figures().fileBytes();
            broker.start();
            try (SparkplugHost host = SparkplugHost.start(broker.tcpUrl(),
                    SparkplugHost.Options.defaults().withHostId("bench"))) {
                host.await(m -> m.is("NBIRTH"), Duration.ofSeconds(60));
                long replayStart = System.nanoTime();
                host.awaitCount(m -> m.is("DDATA") && m.metrics().stream().anyMatch(x -> x.historical()), BACKLOG,
                        Duration.ofMinutes(30));
                double replayed = (System.nanoTime() - replayStart) / 1e9;
                System.out.printf(Locale.ROOT, "  1-hour backlog: %d inspections journaled in %.1f s (file %.1f MB),"
                                + " replayed to the host in %.1f s = %.0f messages/s with no replay limit; at the"
                                + " default replay.messagesPerSecond=100 it takes %.0f min%n", BACKLOG, filled,
                        fileBytes / 1e6, replayed, BACKLOG / replayed, BACKLOG / 100.0 / 60);
            }
            node.close();
        }
    }
}
