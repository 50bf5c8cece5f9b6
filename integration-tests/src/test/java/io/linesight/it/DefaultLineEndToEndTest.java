package io.linesight.it;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Every LineSight command typed wrong over telnet, as an engineer would: a missing or extra argument, an unknown
     * line, model, output or alarm, a file that is not there. Each answer is one line that says what to do, never a
     * Java exception, and the session shows the answer only: the log lines a command causes (a package refused, an
     * alarm raised) go to the runtime's output, not into the session.
     */
    @Test
    @Order(5)
    void everyCommandTypedWrongAnswersInOneLineWithoutExceptionOrLogLines() throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("linesight extra", "Usage: linesight");
        answers.put("inspect:lines extra", "Usage: inspect:lines");
        answers.put("inspect:status", "Usage: inspect:status <line>");
        answers.put("inspect:status default extra", "Usage: inspect:status <line>");
        answers.put("inspect:status nope", "No line 'nope'");
        answers.put("inspect:outputs a b", "Usage: inspect:outputs [output]");
        answers.put("inspect:outputs nope", "No output 'nope'");
        answers.put("alarm:list now", "Usage: alarm:list");
        answers.put("alarm:ack", "Usage: alarm:ack <id>");
        answers.put("alarm:ack 1 2", "Usage: alarm:ack <id>");
        answers.put("alarm:ack nope", "'nope' is not an alarm id");
        answers.put("alarm:ack 99999", "no unacknowledged alarm #99999");
        answers.put("alarm:journal 1 2", "Usage: alarm:journal [n]");
        answers.put("alarm:journal many", "'many' is not a number of entries");
        answers.put("bundle:upgrade", "Usage: bundle:upgrade <jar path or URL>");
        answers.put("bundle:upgrade a.jar b.jar", "Usage: bundle:upgrade <jar path or URL>");
        answers.put("bundle:upgrade /no/such/bundle.jar", "No file /no/such/bundle.jar");
        answers.put("model:deploy", "Usage: model:deploy <zip, folder or URL>");
        answers.put("model:deploy a.zip b.zip", "Usage: model:deploy <zip, folder or URL>");
        answers.put("model:deploy /no/such/package.zip", "Refused (NOT_FOUND): No package at /no/such/package.zip");
        answers.put("model:list all", "Usage: model:list");
        answers.put("model:activate", "Usage: model:activate <line> <name@version>");
        answers.put("model:activate default", "Usage: model:activate <line> <name@version>");
        answers.put("model:activate default defect-mobilenetv2@0.2.0 new lighting", "Usage: model:activate <line>");
        answers.put("model:activate nope defect-mobilenetv2@0.2.0", "Refused (NOT_FOUND): No line 'nope'");
        answers.put("model:activate default nope@1.0", "Refused (NOT_FOUND): No package nope@1.0");
        answers.put("model:activate default nope", "Refused: 'nope' is not name@version");
        answers.put("model:rollback", "Usage: model:rollback <line>");
        answers.put("model:rollback nope", "Refused (NOT_FOUND): No line 'nope'");
        answers.put("model:rollback default too many words", "Usage: model:rollback <line>");
        answers.put("model:history", "Usage: model:history <line>");
        answers.put("model:history nope", "No line 'nope'");
        answers.put("model:history default extra", "Usage: model:history <line>");
        answers.put("model:inspect", "Usage: model:inspect <package folder>");
        answers.put("model:inspect /no/such/package", "No model package at /no/such/package");
        answers.put("model:inspect a b", "Usage: model:inspect <package folder>");
        answers.put("model:eval", "Usage: model:eval <package folder> <dataset folder>");
        answers.put("model:eval models/defect-mobilenetv2", "Usage: model:eval <package folder> <dataset folder>");
        answers.put("model:eval /no/such/package /no/such/data", "No model package at /no/such/package");
        answers.put("model:eval models/defect-mobilenetv2 /no/such/data", "Cannot evaluate: Dataset folder /no/such/data");
        answers.put("model:bench", "Usage: model:bench <package folder> [frames]");
        answers.put("model:bench /no/such/package", "No model package at /no/such/package");
        answers.put("model:bench models/defect-mobilenetv2 many", "'many' is not a number of frames");
        answers.put("model:bench a 1 2", "Usage: model:bench <package folder> [frames]");
        answers.put("scada:hashpassword", "Usage: scada:hashpassword <password> [iterations]");
        answers.put("scada:hashpassword correct horse battery", "Usage: scada:hashpassword <password> [iterations]");
        answers.put("scada:hashpassword pw lots", "Cannot hash: 'lots' is not a number of iterations");
        answers.put("scada:hashpassword pw 5", "Cannot hash: ");
        int logLinesBefore = runtime.output().size();
        try (Socket socket = new Socket("127.0.0.1", telnetPort)) {
            socket.setSoTimeout(1_000);
            TelnetReader reader = new TelnetReader(socket);
            reader.readUntil("g! ", 20);
            OutputStream out = socket.getOutputStream();
            for (Map.Entry<String, String> typed : answers.entrySet()) {
                List<String> answer = answer(out, reader, typed.getKey());
                String shown = typed.getKey() + " ->\n" + String.join("\n", answer);
                assertEquals(1, answer.size(), "one line, without log lines: " + shown);
                assertTrue(answer.get(0).startsWith(typed.getValue()), shown);
                assertFalse(answer.get(0).matches(".*(Exception|Cannot coerce|java\\.|\\tat ).*"), shown);
            }
        }
        // the refused package was logged, to the runtime's output, as any other refusal
        runtime.await(() -> runtime.output().stream().skip(logLinesBefore)
                .anyMatch(l -> l.matches(".* WARN .*Model package /no/such/package.zip refused.*")), 10,
                "the refusal in the runtime's log");
    }

    @Test
    @Order(6)
    void stopsCleanlyWithinTenSecondsOnSigterm() throws Exception {
        assertEquals(0, runtime.terminate(10), "exit status after a clean shutdown");
        List<String> logFile = runtime.logFile();
        assertTrue(logFile.stream().anyMatch(l -> l.contains("Line 'default' stopped")), "the line reported its stop");
        assertTrue(logFile.stream().anyMatch(l -> l.contains("LineSight stopped")), "the launcher reported the stop");
        assertFalse(logFile.stream().anyMatch(l -> l.contains(" ERROR ")),
                "no ERROR in the log:\n" + String.join("\n", logFile));
    }

    /**
     * The per-second status lines go to status.log, not to the terminal or linesight.log; the terminal and the log
     * show the line's changes of state, each once: this run started the line and it ran throughout.
     */
    @Test
    @Order(7)
    void statusLinesGoToTheirOwnFileAndTheLogHasEachStateChangeOnce() throws Exception {
        List<String> status = runtime.statusLog();
        assertTrue(status.stream().filter(l -> l.startsWith("line default RUNNING fps=")).count() >= 5,
                "a status line a second in status.log: " + status.size() + " lines");
        assertTrue(runtime.output().stream().noneMatch(l -> l.contains(" fps=")), "no status line on the terminal");
        List<String> logFile = runtime.logFile();
        assertTrue(logFile.stream().noneMatch(l -> l.contains(" fps=")), "no status line in linesight.log");
        List<String> changes = logFile.stream().filter(l -> l.contains("Line 'default' is ")).toList();
        assertEquals(1, changes.stream().filter(l -> l.contains("Line 'default' is RUNNING")).count(), changes.toString());
        assertEquals(1, runtime.output().stream().filter(l -> l.contains("Line 'default' is RUNNING")).count(),
                "on the terminal too");
        for (int i = 1; i < changes.size(); i++) {
            assertFalse(state(changes.get(i)).equals(state(changes.get(i - 1))), "a change each time: " + changes);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The state a "Line 'x' is STATE: detail" log line names. */
    private static String state(String logLine) {
        return logLine.replaceAll(".*Line '[^']*' is (\\w+).*", "$1");
    }

    /**
     * Types a command and returns what the session shows in answer: every line up to the next prompt except the
     * echo of the typed line (without negotiation the terminal echoes it, sometimes twice).
     */
    private static List<String> answer(OutputStream out, TelnetReader reader, String command) throws Exception {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> answer = new ArrayList<>();
        for (int prompts = 0; answer.isEmpty() && prompts < 3; prompts++) {
            String screen = reader.readUntil("g! ", 120);
            screen.substring(0, screen.length() - "g! ".length()).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.equals(command) && !l.equals("g! " + command))
                    .forEach(answer::add);
        }
        return answer;
    }

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
