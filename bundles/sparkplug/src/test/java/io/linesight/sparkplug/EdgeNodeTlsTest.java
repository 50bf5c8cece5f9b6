package io.linesight.sparkplug;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.sparkplug.journal.JournalSettings;
import io.linesight.sparkplug.journal.MessageJournal;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over TLS to a real mosquitto: the plant's CA is trusted, a broker signed by another CA is not. */
class EdgeNodeTlsTest {

    @TempDir
    Path dir;

    private static SparkplugSettings tls(SparkplugSettings s, Path ca) {
        return tls(s, ca, null, "");
    }

    private static SparkplugSettings tls(SparkplugSettings s, Path ca, Path keyStore, String password) {
        return new SparkplugSettings(s.brokers(), s.groupId(), s.edgeNodeId(), s.clientId(), s.username(),
                s.password(), ca, keyStore, password, s.keepAliveSeconds(), s.primaryHostId(), s.everyVerdict(), s.dataInterval(),
                s.maxMessagesPerSecond(), s.journalFile(), s.journalMaxBytes(), s.journalMaxAge(), s.fsyncInterval(),
                s.replayPerSecond(), s.commandsAllowed());
    }

    private static EdgeNode start(SparkplugSettings s, FakeRuntime runtime, MessageJournal[] journal) throws Exception {
        journal[0] = MessageJournal.open(s.journalFile(), new JournalSettings(s.journalMaxBytes(), s.journalMaxAge(),
                s.fsyncInterval()), Clock.systemUTC());
        EdgeNode node = new EdgeNode(s, journal[0], runtime, runtime);
        node.start();
        return node;
    }

    @Test
    void theRightCaConnectsAndAnotherCaIsRefusedWithAnAlarm() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.launchWithTls();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            MessageJournal[] journal = new MessageJournal[1];
            EdgeNode good = start(tls(FakeRuntime.settings(broker.sslUrl(), dir.resolve("good.mv"), "", false, Set.of()),
                    broker.caFile()), runtime, journal);
            try {
                host.await(m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/a"), Duration.ofSeconds(30));
            } finally {
                good.close();
                journal[0].close();
            }

            FakeRuntime other = new FakeRuntime();
            other.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
            int from = host.messageCount();
            EdgeNode bad = start(tls(FakeRuntime.settings(broker.sslUrl(), dir.resolve("bad.mv"), "", false, Set.of()),
                    broker.wrongCaFile()), other, journal);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (other.raised.stream().noneMatch(e -> e.kind() == EventKind.UPSTREAM_LOST)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                List<RuntimeEvent> raised = other.raised;
                assertTrue(raised.stream().anyMatch(e -> e.kind() == EventKind.UPSTREAM_LOST
                        && e.message().toLowerCase().contains("certif")), raised.toString());
                List<?> after = host.messages().subList(from, host.messageCount());
                assertFalse(after.stream().anyMatch(m -> ((io.linesight.sparkplug.peer.HostMessage) m).is("NBIRTH")),
                        "no birth through a broker the node does not trust");
            } finally {
                bad.close();
                journal[0].close();
            }
        }
    }

    @Test
    void aBrokerThatRequiresClientCertificatesTakesTheNodesKeyStore() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        runtime.lines.put("a", FakeRuntime.status("a", LineState.RUNNING, 0, 0));
        try (MosquittoBroker broker = MosquittoBroker.builder().requireClientCertificates().launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl())) {
            Path keyStore = broker.tlsFiles().orElseThrow().clientKeyStore("box1", "s3cret");
            MessageJournal[] journal = new MessageJournal[1];
            EdgeNode without = start(tls(FakeRuntime.settings(broker.sslUrl(), dir.resolve("without.mv"), "", false,
                    Set.of()), broker.caFile()), runtime, journal);
            try {
                Thread.sleep(3_000);
                assertFalse(host.messages().stream().anyMatch(m -> m.is("NBIRTH")),
                        "no session without a client certificate");
            } finally {
                without.close();
                journal[0].close();
            }
            EdgeNode with = start(tls(FakeRuntime.settings(broker.sslUrl(), dir.resolve("with.mv"), "", false,
                    Set.of()), broker.caFile(), keyStore, "s3cret"), runtime, journal);
            try {
                host.await(m -> m.topic().equals("spBv1.0/plant/DBIRTH/box1/a"), Duration.ofSeconds(30));
            } finally {
                with.close();
                journal[0].close();
            }
        }
    }
}
