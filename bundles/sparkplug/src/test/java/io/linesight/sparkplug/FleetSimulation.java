package io.linesight.sparkplug;

import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.sparkplug.journal.JournalSettings;
import io.linesight.sparkplug.journal.MessageJournal;
import io.linesight.sparkplug.peer.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

/**
 * Fleet scale in a simulation (not in the suite): N edge nodes, the bundle's own {@link EdgeNode} each with one
 * simulated line at 10 frames/s and every verdict sent (no camera, no model), against one local mosquitto. A
 * subscriber on {@code spBv1.0/#} counts what the broker delivers and measures each inspection's latency from its
 * capture time (the metric timestamp) to delivery.
 * {@code mvn -o test -pl bundles/sparkplug -Dtest=FleetSimulation -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dfleet.nodes=10,50,200] [-Dfleet.seconds=30]}
 */
class FleetSimulation {

    private static final int SECONDS = Integer.getInteger("fleet.seconds", 30);
    private static final String NODES = System.getProperty("fleet.nodes", "10,50,200");
    private static final int FPS = 10;

    @Test
    void fleet() throws Exception {
        System.out.printf(Locale.ROOT, "fleet simulation: %d s per size, %d frames/s per node, every verdict, %d"
                + " cores, mosquitto %s%n", SECONDS, FPS, Runtime.getRuntime().availableProcessors(),
                MosquittoBroker.BINARY);
        for (String n : NODES.split(",")) {
            run(Integer.parseInt(n.trim()));
        }
    }

    private static void run(int nodes) throws Exception {
        Path dir = Files.createTempDirectory("fleet");
        try (MosquittoBroker broker = MosquittoBroker.launch()) {
            Subscriber sub = new Subscriber(broker.tcpUrl());
            List<EdgeNode> fleet = new ArrayList<>();
            List<MessageJournal> journals = new ArrayList<>();
            FakeRuntime runtime = new FakeRuntime();
            runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
            for (int i = 0; i < nodes; i++) {
                SparkplugSettings s = FakeRuntime.settings(broker.tcpUrl(), dir.resolve("j" + i + ".mv"), "", true,
                        Set.of());
                s = new SparkplugSettings(s.brokers(), s.groupId(), "sim-" + i, "sim-" + i, "", "", null, null, "",
                        30, "", true, Duration.ofSeconds(1), 1_000, s.journalFile(), 16L * 1024 * 1024,
                        Duration.ofHours(1), Duration.ofSeconds(1), 100, Set.of());
                MessageJournal journal = MessageJournal.open(s.journalFile(), new JournalSettings(s.journalMaxBytes(),
                        s.journalMaxAge(), s.fsyncInterval()), Clock.systemUTC());
                journals.add(journal);
                EdgeNode node = new EdgeNode(s, journal, runtime, runtime);
                node.start();
                fleet.add(node);
            }
            long births = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((births = sub.births.get()) < nodes && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            sub.reset();
            long start = System.nanoTime();
            long period = 1_000_000_000L / FPS;
            long next = start;
            long frames = 0;
            while (System.nanoTime() - start < Duration.ofSeconds(SECONDS).toNanos()) {
                frames++;
                LineStatus status = FakeRuntime.status("a", LineState.RUNNING, frames, 0);
                for (EdgeNode node : fleet) {
                    node.frameJudged(FakeRuntime.inspection("a", frames, frames % 10 == 0 ? Verdict.REJECT
                            : Verdict.PASS, Instant.now()), status);
                }
                next += period;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long messagesInRun = sub.messages.get();
            Thread.sleep(2_000);
            long[] latency = sub.latencies();
            Arrays.sort(latency);
            long dropped = fleet.stream().mapToLong(EdgeNode::framesDropped).sum();
            System.out.printf(Locale.ROOT, "  N=%3d: births %d/%d; broker delivered %.0f messages/s; inspections"
                            + " delivered %d of %d judged; capture-to-delivery p50 %.1f ms, p99 %.1f ms, max %.1f"
                            + " ms; dropped at the hand-off %d%n", nodes, births, nodes, messagesInRun / seconds,
                    sub.inspections.get(), frames * nodes, percentile(latency, 0.5), percentile(latency, 0.99),
                    latency.length == 0 ? 0 : latency[latency.length - 1] / 1e3, dropped);
            // the figures mean something only if the simulation did what it says
            org.junit.jupiter.api.Assertions.assertEquals(nodes, births, "every node was born");
            org.junit.jupiter.api.Assertions.assertEquals(frames * nodes, sub.inspections.get(),
                    "every judged frame was delivered");
            for (EdgeNode node : fleet) {
                node.close();
            }
            journals.forEach(MessageJournal::close);
            sub.close();
        }
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e3;
    }

    /** Counts what the broker delivers; inspection latency from the metric timestamp, microseconds. */
    private static final class Subscriber implements MqttCallback {
        final AtomicLong births = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final AtomicLong inspections = new AtomicLong();
        private final long[] latency = new long[2_000_000];
        private final AtomicLong recorded = new AtomicLong();
        private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
        private final MqttClient client;

        Subscriber(String url) throws Exception {
            client = new MqttClient(url, "fleet-subscriber", new MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMaxInflight(10_000);
            client.connect(o);
            client.subscribe("spBv1.0/#", 0);
        }

        void reset() {
            messages.set(0);
            inspections.set(0);
            recorded.set(0);
        }

        long[] latencies() {
            return Arrays.copyOf(latency, (int) Math.min(latency.length, recorded.get()));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            long now = System.currentTimeMillis();
            messages.incrementAndGet();
            if (topic.contains("/NBIRTH/")) {
                births.incrementAndGet();
            }
            if (!topic.contains("/DDATA/")) {
                return;
            }
            SparkplugBPayload payload = decoder.buildFromByteArray(message.getPayload(), null);
            for (Metric m : payload.getMetrics()) {
                if (m.getValue() instanceof org.eclipse.tahu.message.model.Template && m.getTimestamp() != null) {
                    inspections.incrementAndGet();
                    long i = recorded.getAndIncrement();
                    if (i < latency.length) {
                        latency[(int) i] = (now - m.getTimestamp().getTime()) * 1_000;
                    }
                }
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
