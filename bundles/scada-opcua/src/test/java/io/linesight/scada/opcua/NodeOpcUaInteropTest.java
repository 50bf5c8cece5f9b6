package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent OPC UA stack: node-opcua 2.182.x (installed by
 * {@code scripts/ensure-test-tools.sh node-opcua}) drives the server as a SCADA client would, over
 * Basic256Sha256 SignAndEncrypt in the production profile: browse, read, subscribe at 100 ms and see
 * every counter change, call ResetCounters as operator, and be refused as observer and as anonymous.
 * Skipped (with the reason) only when node or npm is not installed.
 */
class NodeOpcUaInteropTest {

    private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();
    private static final Path ENSURE_SCRIPT = Path.of("../../scripts/ensure-test-tools.sh").toAbsolutePath().normalize();
    private static final int UPDATES = 20;

    @TempDir
    Path dir;

    /** Every "CHECK key=value" line of the client, whenever it came. */
    private final Map<String, String> checks = new HashMap<>();

    @Test
    void nodeOpcuaClientBrowsesReadsSubscribesAndCallsAsOperatorOnly() throws Exception {
        Assumptions.assumeTrue(works("node", "--version") && works("npm", "--version"),
                "node and npm are not installed: the node-opcua interop test is skipped");
        String nodeModules = ensureNodeOpcua();
        Path pki = dir.resolve("server-pki");
        OpcUaScadaComponent component = new OpcUaScadaComponent(TestConfigs.production(TestConfigs.freePort(), pki,
                TestConfigs.user("olga", "observer", "olga-pw"), TestConfigs.user("otto", "operator", "otto-pw")));
        FixedLine line = new FixedLine("interop-1", status("interop-1", counters(0, 0, 0), Optional.empty()));
        Process node = null;
        try {
            component.bindLine(line, Map.of(InspectionLine.LINE_ID, "interop-1"));
            ClientCertificate client = ClientCertificate.create("urn:linesight:test:node-opcua");
            client.trustIn(pki);
            node = startNode(nodeModules, component.endpointUrl().orElseThrow(), pki, client);
            BlockingQueue<String> out = lines(node);

            awaitLine(out, "SUBSCRIBED", node);
            List<Long> seen = new ArrayList<>();
            for (long total = 1; total <= UPDATES; total++) {
                // Lock-step: the next change only after the client saw this one, so no timing is assumed.
                component.publish(TestRecords.event("interop-1", total, Verdict.PASS, Instant.now()),
                        status("interop-1", counters(total, 0, 0), Optional.of(Verdict.PASS)));
                long expected = total;
                String saw = awaitLine(out, "SAW " + expected, node);
                seen.add(Long.parseLong(saw.substring(4)));
            }
            awaitLine(out, "DONE", node);

            assertEquals(UPDATES, seen.size());
            assertTrue(checks.get("objects").contains("LineSight"), checks.toString());
            assertTrue(List.of(checks.get("lines").split(",")).contains("interop-1"), checks.toString());
            assertTrue(checks.get("lineChildren").contains("ResetCounters"), checks.toString());
            assertEquals("RUNNING Good", checks.get("state"));
            assertEquals("Good counters of line 'interop-1' reset by otto", checks.get("operatorReset"));
            assertEquals(1, line.resets());
            assertEquals("Good", checks.get("observerRead"));
            assertEquals("BadUserAccessDenied", checks.get("observerReset"));
            assertTrue(checks.get("anonymous").startsWith("refused"), checks.get("anonymous"));
        } finally {
            if (node != null) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            component.deactivate();
        }
    }

    private Process startNode(String nodeModules, String endpointUrl, Path pki, ClientCertificate client)
            throws IOException {
        Path certificate = dir.resolve("client-cert.pem");
        Path key = dir.resolve("client-key.pem");
        Files.writeString(certificate, pem("CERTIFICATE", encoded(client)));
        Files.writeString(key, pem("PRIVATE KEY", client.keyPair().getPrivate().getEncoded()));
        String config = "{"
                + json("endpointUrl", endpointUrl) + ","
                + json("applicationUri", client.applicationUri()) + ","
                + json("certificateFile", certificate.toString()) + ","
                + json("privateKeyFile", key.toString()) + ","
                + json("serverCertificate", pki.resolve("own/certs/linesight-server.der").toString()) + ","
                + json("clientPki", dir.resolve("node-pki").toString()) + ","
                + json("lineId", "interop-1") + ","
                + "\"finalTotal\":" + UPDATES + ","
                + "\"operator\":{" + json("user", "otto") + "," + json("password", "otto-pw") + "},"
                + "\"observer\":{" + json("user", "olga") + "," + json("password", "olga-pw") + "}}";
        ProcessBuilder builder = new ProcessBuilder("node", NODE_DIR.resolve("interop.js").toString())
                .directory(dir.toFile())
                .redirectError(dir.resolve("node-stderr.txt").toFile());
        builder.environment().put("NODE_PATH", nodeModules);
        builder.environment().put("INTEROP_CONFIG", config);
        return builder.start();
    }

    private static byte[] encoded(ClientCertificate client) {
        try {
            return client.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the project's installer; its last stdout line is the node_modules folder. */
    private String ensureNodeOpcua() throws Exception {
        Process process = new ProcessBuilder("bash", ENSURE_SCRIPT.toString(), "node-opcua")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "ensure-test-tools.sh node-opcua did not finish");
        assertEquals(0, process.exitValue(), "ensure-test-tools.sh node-opcua failed: " + output);
        String[] lines = output.split("\n");
        return lines[lines.length - 1].trim();
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("FAILED reading node's output: " + e);
            }
            lines.add("EOF");
        }, "node-opcua-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Waits (generously: node-opcua's RSA work on a busy machine) for a line starting with {@code prefix}. */
    private String awaitLine(BlockingQueue<String> out, String prefix, Process node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String line = out.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith("CHECK ")) {
                int eq = line.indexOf('=');
                checks.put(line.substring(6, eq), line.substring(eq + 1));
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("FAILED") || line.equals("EOF")) {
                throw new AssertionError("node-opcua client: " + line + "\nstderr: " + stderr());
            }
        }
        throw new AssertionError("node-opcua client: no '" + prefix + "' within 90 s; stderr: " + stderr());
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("node-stderr.txt"));
        } catch (IOException e) {
            return "(none)";
        }
    }

    private static boolean works(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String json(String key, String value) {
        return "\"" + key + "\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
