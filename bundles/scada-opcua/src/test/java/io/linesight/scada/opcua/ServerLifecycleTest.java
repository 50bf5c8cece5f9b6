package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.event;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, failing to start and stopping the server, as the DS runtime would drive the component. */
class ServerLifecycleTest {

    @TempDir
    static Path pki;

    @Test
    void stopReleasesPortAndThreadsAndAStartOnTheSamePortServesAgain() throws Exception {
        int port = TestConfigs.freePort();
        OpcUaScadaComponent first = new OpcUaScadaComponent(TestConfigs.loopback(port, pki));
        assertEquals(Optional.of("opc.tcp://127.0.0.1:" + port), first.endpointUrl());
        first.publish(event("line-1", 1, Verdict.PASS, Instant.now()), status("line-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        ScadaClient connected = ScadaClient.connect(first.endpointUrl().orElseThrow());
        connected.readUntil("Lines/line-1/Counters/Pass", v -> Long.valueOf(1).equals(v.getValue().getValue()));

        first.deactivate(); // with a client still connected, as when an engineer updates the bundle
        assertEquals(Optional.empty(), PortCheck.whyUnavailable("127.0.0.1", port));
        assertFalse(ourThreadsAlive(), "linesight-opcua threads left after deactivate");
        connected.close();

        OpcUaScadaComponent second = new OpcUaScadaComponent(TestConfigs.loopback(port, pki));
        try (ScadaClient scada = ScadaClient.connect(second.endpointUrl().orElseThrow())) {
            second.publish(event("line-1", 2, Verdict.REJECT, Instant.now()), status("line-1", counters(1, 1, 0), Optional.of(Verdict.REJECT)));
            scada.readUntil("Lines/line-1/Counters/Reject", v -> Long.valueOf(1).equals(v.getValue().getValue()));
            assertEquals("REJECT", scada.read("Lines/line-1/LastVerdict").getValue().getValue());
        } finally {
            second.deactivate();
        }
    }

    @Test
    void portInUseLeavesAWorkingSinkWithoutServer() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            OpcUaScadaComponent blocked = new OpcUaScadaComponent(TestConfigs.loopback(taken.getLocalPort(), pki));

            assertEquals(Optional.empty(), blocked.endpointUrl());
            blocked.publish(event("line-1", 1, Verdict.PASS, Instant.now()), status("line-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
            blocked.lineStatusChanged(status("line-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
            blocked.bindLine(new FixedLine("line-9", status("line-9", LineCounters.zero(), Optional.empty())), Map.of());
            blocked.lineRemoved("line-1");
            blocked.deactivate();
            assertFalse(ourThreadsAlive(), "a component without server started no threads");
        }
    }

    @Test
    void portInUseIsExplainedWithPortAndPid() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerSettings settings = ServerSettings.from(TestConfigs.loopback(taken.getLocalPort(), pki), System::getProperty);

            EndpointUnavailableException e = assertThrows(EndpointUnavailableException.class,
                    () -> ScadaServer.start(settings, new RuntimeInfo("test", () -> 0), LineCommands.NONE));

            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("'port'"), e.getMessage());
            assertTrue(e.getMessage().contains(OpcUaScadaComponent.PID), e.getMessage());
        }
    }

    @Test
    void invalidConfigurationFailsActivationNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OpcUaScadaComponent(TestConfigs.config(Map.of("port", 0))));

        assertTrue(e.getMessage().contains("'port'"), e.getMessage());
    }

    /** Our threads end within deactivate; the poll only absorbs the instant between termination and exit. */
    private static boolean ourThreadsAlive() throws InterruptedException {
        long deadline = System.nanoTime() + ScadaClient.TIMEOUT.toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("linesight-opcua"))) {
            if (System.nanoTime() > deadline) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
