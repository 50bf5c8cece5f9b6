package io.linesight.it;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Starts the built runtime ({@code java -jar runtime/target/linesight.jar}) as a user would, with the
 * shipped configuration (ports moved to free ones, the PLC simulator replaced by this test's own
 * Modbus slave), and checks the default line from the outside: as SCADA over OPC UA, as a PLC over
 * Modbus TCP, and as an OT engineer over the telnet console. Then stops it with SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefaultLineEndToEndTest {

    private RuntimeProcess runtime;
    private int opcUaPort;
    private int telnetPort;
    private RecordingPlc plc;

    @BeforeAll
    void startRuntime() throws Exception {
        runtime = new RuntimeProcess("e2e");
        opcUaPort = RuntimeProcess.freePort();
        telnetPort = RuntimeProcess.freePort();
        int plcPort = RuntimeProcess.freePort();
        plc = new RecordingPlc(plcPort);
        Files.delete(runtime.config("io.linesight.plc.simulator.cfg")); // this test is the PLC
        runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(opcUaPort));
        runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(telnetPort));
        runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
        runtime.start();
    }

    @AfterAll
    void cleanUp() {
        if (runtime != null) {
            runtime.close();
        }
        if (plc != null) {
            plc.close();
        }
    }

    @Test
    @Order(1)
    void startsEveryBundle() {
        String started = runtime.outputLine("LineSight started");
        assertTrue(started.contains(" 0 failed"), started);
    }

    @Test
    @Order(2)
    void scadaSeesTheLineCountersIncrease() throws Exception {
        OpcUaClient client = OpcUaClient.create("opc.tcp://127.0.0.1:" + opcUaPort,
                endpoints -> endpoints.stream()
                        .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())).findFirst(),
                b -> b.setApplicationName(LocalizedText.english("LineSight IT SCADA"))
                        .setApplicationUri("urn:linesight:it:scada").setRequestTimeout(uint(5_000)).build());
        client.connect().get(30, TimeUnit.SECONDS);
        try {
            String[] namespaces = (String[]) client.readValue(0, TimestampsToReturn.Neither,
                    Identifiers.Server_NamespaceArray).get().getValue().getValue();
            int ns = List.of(namespaces).indexOf("urn:linesight");
            assertTrue(ns > 0, "namespace urn:linesight in " + List.of(namespaces));
            runtime.await(() -> readLong(client, ns, "Lines/default/Counters/Total") > 0, 60, "the first inspections");
            long first = readLong(client, ns, "Lines/default/Counters/Total");
            runtime.await(() -> readLong(client, ns, "Lines/default/Counters/Total") >= first + 10, 30, "ten more inspections");
            assertEquals("RUNNING", read(client, ns, "Lines/default/State").getValue().getValue());
            long pass = readLong(client, ns, "Lines/default/Counters/Pass");
            long reject = readLong(client, ns, "Lines/default/Counters/Reject");
            long review = readLong(client, ns, "Lines/default/Counters/Review");
            assertTrue(pass > reject, "most simulated parts are good: pass=" + pass + " reject=" + reject);
            assertTrue(pass + reject + review >= first + 10);
            String verdict = (String) read(client, ns, "Lines/default/LastVerdict").getValue().getValue();
            assertTrue(List.of("PASS", "REJECT", "REVIEW").contains(verdict), verdict);
            double fps = ((Number) read(client, ns, "Lines/default/FrameRate").getValue().getValue()).doubleValue();
            assertTrue(fps > 1 && fps < 20, "frame rate " + fps + " for a 10 parts/s conveyor");
            assertEquals("defect-mobilenetv2", read(client, ns, "Lines/default/Model/Name").getValue().getValue());
            assertEquals(Boolean.TRUE, read(client, ns, "Outputs/default/Connected").getValue().getValue(),
                    "the PLC output named after its configuration file is connected");
        } finally {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void plcReceivesRejectPulsesResultsAndHeartbeat() throws Exception {
        // 1 part in 10 is defective at 10 parts/s: rejects arrive within seconds.
        runtime.await(() -> plc.risingEdges(0) >= 2, 60, "two reject pulses on coil 0");
        runtime.await(() -> plc.writes(0).size() >= 3, 30, "three heartbeats on register 0");
        List<Integer> heartbeats = plc.writes(0);
        for (int i = 1; i < heartbeats.size(); i++) {
            assertEquals((heartbeats.get(i - 1) + 1) & 0xFFFF, heartbeats.get(i), "heartbeat counts up: " + heartbeats);
        }
        List<Integer> verdicts = plc.writes(10);
        assertTrue(verdicts.contains(2), "a REJECT verdict code (2) was written: " + verdicts.subList(0, Math.min(20, verdicts.size())));
        assertTrue(verdicts.contains(1), "a PASS verdict code (1) was written");
        assertTrue(plc.coilWrites.stream().anyMatch(w -> w.address() == 0 && !w.on()), "pulses end (coil OFF)");
    }

    @Test
    @Order(4)
    void engineerListsBundlesAndLinesOverTelnet() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", telnetPort)) {
            socket.setSoTimeout(1_000);
            TelnetReader reader = new TelnetReader(socket);
            reader.readUntil("g! ", 20); // negotiation takes about a second: type only after the prompt
            OutputStream out = socket.getOutputStream();
            out.write("lb -s\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String bundles = reader.readUntil("io.linesight.line", 20) + reader.readUntil("g! ", 20);
            assertTrue(bundles.matches("(?s).*Active.*io\\.linesight\\.line.*"), bundles);
            assertFalse(bundles.contains("Installed"), "every bundle resolved:\n" + bundles);
            out.write("scr:list\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String components = reader.readUntil("g! ", 20);
            assertTrue(components.contains("io.linesight.line.InspectionLineComponent"), components);
            assertFalse(components.toUpperCase(java.util.Locale.ROOT).matches("(?s).*(UNSATISFIED|FAILED).*"),
                    "every component satisfied and activated:\n" + components);
            out.write("inspect:lines\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String lines = reader.readUntil("g! ", 20);
            out.write("inspect:outputs\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String outputs = reader.readUntil("g! ", 20);
            assertTrue(outputs.matches("(?s).*default\\s+plc\\s+127\\.0\\.0\\.1:\\d+\\s+CONNECTED.*"), outputs);
            assertTrue(lines.matches("(?s).*default\\s+RUNNING\\s+conveyor.*defect-mobilenetv2:\\d+\\.\\d+\\.\\d+.*"), lines);
            out.write("linesight\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String overview = reader.readUntil("g! ", 20);
            for (String command : List.of("inspect:lines", "inspect:outputs", "alarm:ack", "model:inspect", "bundle:upgrade")) {
                assertTrue(overview.contains(command), command + " in the overview:\n" + overview);
            }
            assertFalse(overview.contains("felix:") || overview.contains("scr:"), "only LineSight's commands:\n" + overview);
        }
    }

    @Test
    @Order(5)
    void stopsCleanlyWithinTenSecondsOnSigterm() throws Exception {
        assertEquals(0, runtime.terminate(10), "exit status after a clean shutdown");
        List<String> logFile = runtime.logFile();
        assertTrue(logFile.stream().anyMatch(l -> l.contains("Line 'default' stopped")), "the line reported its stop");
        assertTrue(logFile.stream().anyMatch(l -> l.contains("LineSight stopped")), "the launcher reported the stop");
        assertFalse(logFile.stream().anyMatch(l -> l.contains(" ERROR ")),
                "no ERROR in the log:\n" + String.join("\n", logFile));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static DataValue read(OpcUaClient client, int ns, String path) throws Exception {
        return client.readValue(0, TimestampsToReturn.Both, new NodeId(ns, path)).get(5, TimeUnit.SECONDS);
    }

    private static long readLong(OpcUaClient client, int ns, String path) {
        try {
            Object value = read(client, ns, path).getValue().getValue();
            return value == null ? -1 : ((Number) value).longValue();
        } catch (Exception e) {
            return -1;
        }
    }
}
