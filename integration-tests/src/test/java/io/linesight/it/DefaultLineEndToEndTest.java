package io.linesight.it;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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

    private static final Path REPO = Path.of(System.getProperty("linesight.repo", "..")).toAbsolutePath().normalize();
    private static final long STARTUP_TIMEOUT_S = 120;

    private Path work;
    private int opcUaPort;
    private int telnetPort;
    private RecordingPlc plc;
    private Process runtime;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startRuntime() throws Exception {
        work = Files.createDirectories(Path.of("target", "it-work")).toAbsolutePath()
                .resolve("e2e-" + System.currentTimeMillis());
        Path config = Files.createDirectories(work.resolve("config"));
        opcUaPort = freePort();
        telnetPort = freePort();
        int plcPort = freePort();
        plc = new RecordingPlc(plcPort);
        copyShippedConfig(config);
        Files.delete(config.resolve("io.linesight.plc.simulator.cfg")); // this test is the PLC
        set(config.resolve("io.linesight.scada.opcua.cfg"), "port", String.valueOf(opcUaPort));
        set(config.resolve("io.linesight.console.telnet.cfg"), "port", String.valueOf(telnetPort));
        set(config.resolve("io.linesight.plc.modbus-default.cfg"), "port", String.valueOf(plcPort));

        Path jar = REPO.resolve("runtime/target/linesight.jar");
        assertTrue(Files.isRegularFile(jar), "build the runtime first: " + jar);
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", jar.toString(),
                "--config", config.toString(), "--data", work.resolve("var").toString(),
                "--deploy", work.resolve("deploy").toString())
                .directory(REPO.toFile()) // model.package is relative to the folder the runtime starts in
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        runtime = builder.start();
        Thread pump = new Thread(this::pumpLog, "runtime-log");
        pump.setDaemon(true);
        pump.start();
        await(() -> logContains("LineSight started"), STARTUP_TIMEOUT_S, "the runtime to report it started");
    }

    @AfterAll
    void cleanUp() {
        if (runtime != null && runtime.isAlive()) {
            runtime.destroyForcibly();
        }
        if (plc != null) {
            plc.close();
        }
    }

    @Test
    @Order(1)
    void startsEveryBundle() {
        String started = log.stream().filter(l -> l.contains("LineSight started")).findFirst().orElseThrow();
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
            await(() -> readLong(client, ns, "Lines/default/Counters/Total") > 0, 60, "the first inspections");
            long first = readLong(client, ns, "Lines/default/Counters/Total");
            await(() -> readLong(client, ns, "Lines/default/Counters/Total") >= first + 10, 30, "ten more inspections");
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
        } finally {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void plcReceivesRejectPulsesResultsAndHeartbeat() throws Exception {
        // 1 part in 10 is defective at 10 parts/s: rejects arrive within seconds.
        await(() -> plc.risingEdges(0) >= 2, 60, "two reject pulses on coil 0");
        await(() -> plc.writes(0).size() >= 3, 30, "three heartbeats on register 0");
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
            out.write("inspect:lines\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String lines = reader.readUntil("g! ", 20);
            assertTrue(lines.matches("(?s).*default\\s+RUNNING\\s+conveyor.*defect-mobilenetv2:0\\.1\\.0.*"), lines);
        }
    }

    @Test
    @Order(5)
    void stopsCleanlyWithinTenSecondsOnSigterm() throws Exception {
        runtime.destroy(); // SIGTERM
        assertTrue(runtime.waitFor(10, TimeUnit.SECONDS), "runtime still running 10 s after SIGTERM");
        assertEquals(0, runtime.exitValue(), "exit status after a clean shutdown");
        List<String> logFile = Files.readAllLines(work.resolve("var/logs/linesight.log"));
        assertTrue(logFile.stream().anyMatch(l -> l.contains("Line 'default' stopped")), "the line reported its stop");
        assertTrue(logFile.stream().anyMatch(l -> l.contains("LineSight stopped")), "the launcher reported the stop");
        assertFalse(logFile.stream().anyMatch(l -> l.contains(" ERROR ")),
                "no ERROR in the log:\n" + String.join("\n", logFile));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void copyShippedConfig(Path target) throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve("config"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }

    /** Rewrites one key of a .cfg file (FileInstall properties format). */
    private static void set(Path cfg, String key, String value) throws IOException {
        List<String> lines = Files.readAllLines(cfg);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key + "=")) {
                lines.set(i, key + "=" + value);
                found = true;
            }
        }
        assertTrue(found, key + " in " + cfg);
        Files.write(cfg, lines);
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

    private void pumpLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(runtime.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.add(line);
                System.out.println("[runtime] " + line);
            }
        } catch (IOException e) {
            log.add("log pump ended: " + e);
        }
    }

    private boolean logContains(String text) {
        return log.stream().anyMatch(l -> l.contains(text));
    }

    private void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (!runtime.isAlive()) {
                throw new AssertionError("runtime exited (" + runtime.exitValue() + ") while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Reads a telnet stream as a person reads the screen: never answers option negotiation (like
     * {@code nc}), drops IAC sequences, ANSI escapes and carriage returns.
     */
    static final class TelnetReader {
        private static final java.util.regex.Pattern ANSI =
                java.util.regex.Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B.");
        private final java.io.InputStream in;
        private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        private int consumed;
        private int pendingCommandBytes;
        private boolean inSubnegotiation;
        private int previous;

        TelnetReader(Socket socket) throws IOException {
            this.in = socket.getInputStream();
        }

        /** Returns the screen text since the last call, once it contains {@code marker}. */
        String readUntil(String marker, long seconds) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (screen().indexOf(marker, consumed) < 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + marker + "' from the console; got:\n" + screen().substring(consumed));
                }
                try {
                    int b = in.read();
                    if (b < 0) {
                        throw new AssertionError("console closed the connection; got:\n" + screen().substring(consumed));
                    }
                    accept(b);
                } catch (java.net.SocketTimeoutException e) {
                    // keep waiting until the deadline
                }
            }
            String text = screen();
            int end = text.indexOf(marker, consumed) + marker.length();
            String since = text.substring(consumed, end);
            consumed = end;
            return since;
        }

        private String screen() {
            return ANSI.matcher(data.toString(StandardCharsets.UTF_8)).replaceAll("").replace("\r", "");
        }

        /** Telnet commands: IAC x, IAC WILL/WONT/DO/DONT option, IAC SB ... IAC SE. */
        private void accept(int b) {
            if (inSubnegotiation) {
                inSubnegotiation = !(previous == 255 && b == 240);
            } else if (pendingCommandBytes > 0) {
                pendingCommandBytes--;
                if (b == 250) {
                    inSubnegotiation = true;
                    pendingCommandBytes = 0;
                } else if (b >= 251 && b <= 254) {
                    pendingCommandBytes = 1;
                } else if (b == 255 && previous == 255) {
                    data.write(b);
                }
            } else if (b == 255) {
                pendingCommandBytes = 1;
            } else {
                data.write(b);
            }
            previous = b;
        }
    }
}
