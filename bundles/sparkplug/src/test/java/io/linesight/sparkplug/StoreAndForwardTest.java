package io.linesight.sparkplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventKind;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import io.linesight.sparkplug.journal.JournalSettings;
import io.linesight.sparkplug.journal.MessageJournal;
import io.linesight.sparkplug.peer.HostMessage;
import io.linesight.sparkplug.peer.HostMetric;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-and-forward against a real broker that goes away and a primary host that goes offline: every frame judged
 * during the outage reaches the host afterwards, once (or as a documented duplicate), in order, marked historical,
 * while live data keeps flowing during the replay. The node waits for the primary host's STATE, as a plant that must
 * not lose data configures it.
 */
class StoreAndForwardTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HOST_ID = "scada";
    private static final String DDATA_A = "spBv1.0/plant/DDATA/box1/a";

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean feeding = true;
    private MessageJournal journal;
    private volatile EdgeNode node;
    private Thread feeder;

    private void startNode(SparkplugSettings settings) throws Exception {
        journal = MessageJournal.open(settings.journalFile(), new JournalSettings(settings.journalMaxBytes(),
                settings.journalMaxAge(), settings.fsyncInterval()), Clock.systemUTC());
        node = new EdgeNode(settings, journal, runtime, runtime);
        node.start();
    }

    private void stopNode() {
        node.close();
        journal.close();
    }

    /** A line judging 10 frames a second, every one sent (verdicts=every). */
    private void feed() {
        feeder = new Thread(() -> {
            while (feeding) {
                EdgeNode n = node;
                if (n == null) {
                    // the runtime is restarting: no line judges anything
                    sleep(20);
                    continue;
                }
                long seq = sequence.incrementAndGet();
                n.frameJudged(FakeRuntime.inspection("a", seq, seq % 7 == 0 ? Verdict.REJECT : Verdict.PASS,
                        Instant.now()), FakeRuntime.status("a", LineState.RUNNING, seq, 0));
                sleep(100);
            }
        }, "feeder");
        feeder.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        feeding = false;
        if (feeder != null) {
            feeder.join(5_000);
        }
        if (node != null) {
            stopNode();
        }
    }

    @Test
    void aBrokerOutageLosesNoFrame() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl(),
                        SparkplugHost.Options.defaults().withHostId(HOST_ID))) {
            // replayed slowly enough (20/s) that live frames (10/s) come amid the replay
            startNode(FakeRuntime.withReplayRate(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), HOST_ID,
                    true, Set.of()), 20));
            HostMessage dbirth = host.await(m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/a"), WAIT);
            long inspection = dbirth.metric(InspectionTemplate.METRIC).orElseThrow().alias();
            feed();
            awaitSequence(host, 20);

            broker.stop();
            long lastBefore = sequence.get();
            Thread.sleep(6_000);
            long lastDuring = sequence.get();
            assertTrue(lastDuring - lastBefore >= 40, "frames judged during the outage: " + (lastDuring - lastBefore));
            broker.start();

            long target = sequence.get() + 30;
            awaitSequence(host, target);
            feeding = false;
            feeder.join();
            long last = sequence.get();
            Outcome o = awaitAll(host, inspection, last);
            for (long s = 1; s <= last; s++) {
                assertTrue(o.count.containsKey(s), "frame " + s + " never reached the host");
            }
            assertTrue(o.historical.size() >= lastDuring - lastBefore,
                    "the outage's frames come as historical: " + o.historical.size());
            assertSorted(o.historical);
            assertTrue(o.liveDuringReplay > 0, "live data flowed while the journal was replayed");
            // duplicates only around the outage (the resend window), never of a frame judged long before
            o.count.forEach((s, n) -> assertTrue(n == 1 || s > lastBefore - 200, "frame " + s + " came " + n + "x"));
        }
    }

    @Test
    void theJournalSurvivesARestartDuringTheOutage() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl(),
                        SparkplugHost.Options.defaults().withHostId(HOST_ID))) {
            SparkplugSettings settings = FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), HOST_ID, true,
                    Set.of());
            startNode(settings);
            HostMessage dbirth = host.await(m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/a"), WAIT);
            long inspection = dbirth.metric(InspectionTemplate.METRIC).orElseThrow().alias();
            feed();
            awaitSequence(host, 10);
            broker.stop();
            Thread.sleep(3_000);
            // the runtime restarts while the broker is away: the new node opens the same journal
            EdgeNode old = node;
            node = null;
            old.close();
            journal.close();
            startNode(settings);
            Thread.sleep(3_000);
            broker.start();
            awaitSequence(host, sequence.get() + 10);
            feeding = false;
            feeder.join();
            long last = sequence.get();
            Outcome o = awaitAll(host, inspection, last);
            for (long s = 1; s <= last; s++) {
                assertTrue(o.count.containsKey(s), "frame " + s + " never reached the host");
            }
        }
    }

    @Test
    void birthWaitsForThePrimaryHostAndItsAbsenceIsJournaled() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost observer = SparkplugHost.start(broker.tcpUrl())) {
            startNode(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), HOST_ID, true, Set.of()));
            feed();
            Thread.sleep(2_000);
            assertFalse(observer.messages().stream().anyMatch(m -> m.is("NBIRTH")), "no birth without the host");
            try (SparkplugHost host = SparkplugHost.start(broker.tcpUrl(),
                    SparkplugHost.Options.defaults().withHostId(HOST_ID))) {
                HostMessage dbirth = host.await(m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/a"), WAIT);
                long inspection = dbirth.metric(InspectionTemplate.METRIC).orElseThrow().alias();
                long beforeBirth = sequence.get();
                awaitSequence(host, beforeBirth + 5);
                Outcome early = outcome(host, inspection);
                assertTrue(early.historical.size() >= 15, "the frames judged before the host came are replayed: "
                        + early.historical.size());

                int from = observer.messageCount();
                host.stateOffline();
                observer.awaitFrom(from, m -> m.is("NDEATH"), WAIT);
                Thread.sleep(2_000);
                host.stateOnline();
                observer.awaitFrom(from, m -> m.is("NBIRTH"), WAIT);
                feeding = false;
                feeder.join();
                Outcome o = awaitAll(host, inspection, sequence.get());
                for (long s = 1; s <= sequence.get(); s++) {
                    assertTrue(o.count.containsKey(s), "frame " + s + " never reached the host");
                }
            }
        }
    }

    @Test
    void aLongOutageRaisesUpstreamLostAndItClearsWhenTheBrokerIsBack() throws Exception {
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launch(); SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            startNode(FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j.mv"), "", false, Set.of()));
            host.await(m -> m.is("NBIRTH"), WAIT);
            broker.stop();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (runtime.raised.stream().noneMatch(e -> e.kind() == EventKind.UPSTREAM_LOST)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(runtime.raised.stream().anyMatch(e -> e.kind() == EventKind.UPSTREAM_LOST
                    && e.source().equals(EdgeNode.ALARM_SOURCE) && e.message().contains(broker.tcpUrl())),
                    runtime.raised.toString());
            broker.start();
            while (runtime.raised.stream().noneMatch(e -> e.kind() == EventKind.UPSTREAM_RESTORED)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(EventKind.UPSTREAM_RESTORED, runtime.raised.get(runtime.raised.size() - 1).kind());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitSequence(SparkplugHost host, long sequenceNumber) {
        host.await(m -> m.topic().equals(DDATA_A) && m.metrics().stream().anyMatch(x -> "Template".equals(x.type())
                && x.asTemplate().metric("Sequence").map(HostMetric::asLong).orElse(-1L) >= sequenceNumber), WAIT);
    }

    /** Waits until the host saw every frame 1..last (the replay may still run after the newest live frame). */
    private static Outcome awaitAll(SparkplugHost host, long alias, long last) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Outcome o = outcome(host, alias);
            long missing = 0;
            for (long s = 1; s <= last; s++) {
                missing += o.count.containsKey(s) ? 0 : 1;
            }
            if (missing == 0 || System.nanoTime() > deadline) {
                return o;
            }
            sleep(100);
        }
    }

    private record Outcome(Map<Long, Integer> count, List<Long> historical, int liveDuringReplay) {
    }

    /** Frame sequences the host saw: how often, which as historical (in arrival order), live ones amid the replay. */
    private static Outcome outcome(SparkplugHost host, long alias) {
        Map<Long, Integer> count = new HashMap<>();
        List<Long> historical = new ArrayList<>();
        int liveAmidReplay = 0;
        int pendingLive = 0;
        for (HostMessage m : host.messages()) {
            if (!m.topic().equals(DDATA_A)) {
                continue;
            }
            HostMetric metric = m.metricByAlias(alias).orElse(null);
            if (metric == null) {
                continue;
            }
            long s = metric.asTemplate().metric("Sequence").orElseThrow().asLong();
            count.merge(s, 1, Integer::sum);
            if (metric.historical()) {
                historical.add(s);
                liveAmidReplay += pendingLive;
                pendingLive = 0;
            } else if (!historical.isEmpty()) {
                pendingLive++;
            }
        }
        return new Outcome(count, historical, liveAmidReplay);
    }

    private static void assertSorted(List<Long> sequences) {
        for (int i = 1; i < sequences.size(); i++) {
            assertTrue(sequences.get(i) > sequences.get(i - 1) || sequences.get(i) <= sequences.get(0) + 0,
                    "historical frames out of order at " + i + ": " + sequences.subList(Math.max(0, i - 3),
                            Math.min(sequences.size(), i + 3)));
        }
    }
}
