package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.event;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.Verdict;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken input: a flood of 200 raw connection attempts with malformed and truncated
 * messages, and writes to read-only variables. The server answers with status codes or closes the
 * offending connection; an established client keeps its session and subscription and the line keeps
 * publishing.
 */
class BadInputTest {

    private static final int FLOOD = 200;

    @TempDir
    static Path pki;

    private static OpcUaScadaComponent component;
    private static ScadaClient scada;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = TestConfigs.freePort();
        component = new OpcUaScadaComponent(TestConfigs.loopback(port, pki));
        scada = ScadaClient.connect(component.endpointUrl().orElseThrow());
    }

    @AfterAll
    static void stop() throws Exception {
        scada.close();
        component.deactivate();
    }

    @Test
    void aFloodOfBrokenConnectionsLeavesTheEstablishedSessionAndTheLineWorking() throws Exception {
        component.publish(event("flood-1", 1, Verdict.PASS, Instant.now()), status("flood-1", counters(1, 0, 0), Optional.empty()));
        scada.readUntil("Lines/flood-1/Counters/Pass", v -> v.getStatusCode().isGood());
        BlockingQueue<DataValue> passes = scada.subscribe("Lines/flood-1/Counters/Pass");
        assertTrue(ScadaClient.next(passes, v -> Long.valueOf(1).equals(v.getValue().getValue())).isPresent());

        ExecutorService attackers = Executors.newFixedThreadPool(50);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD; i++) {
                int kind = i % 4;
                answers.add(attackers.submit(() -> attack(kind)));
            }
            // The line keeps publishing during the flood.
            for (long pass = 2; pass <= 20; pass++) {
                component.publish(event("flood-1", pass, Verdict.PASS, Instant.now()),
                        status("flood-1", counters(pass, 0, 0), Optional.empty()));
                Thread.sleep(10);
            }
            for (Future<String> answer : answers) {
                String result = answer.get(60, TimeUnit.SECONDS);
                assertTrue(result.equals("closed") || result.startsWith("ERR") || result.startsWith("ACK"), result);
            }
        } finally {
            attackers.shutdownNow();
        }

        assertTrue(ScadaClient.next(passes, v -> Long.valueOf(20).equals(v.getValue().getValue())).isPresent(),
                "the established subscription still delivers");
        assertEquals(20L, scada.read("Lines/flood-1/Counters/Pass").getValue().getValue());
    }

    @Test
    void writesToReadOnlyVariablesAreRefused() throws Exception {
        component.publish(event("ro-1", 1, Verdict.PASS, Instant.now()), status("ro-1", counters(1, 0, 0), Optional.empty()));
        scada.readUntil("Lines/ro-1/Counters/Pass", v -> v.getStatusCode().isGood());

        List<StatusCode> results = List.of(ScadaClient.get(scada.client().write(List.of(
                new WriteValue(scada.node("Lines/ro-1/Counters/Pass"), AttributeId.Value.uid(), null,
                        DataValue.valueOnly(new Variant(0L))),
                new WriteValue(scada.node("Runtime/Version"), AttributeId.Value.uid(), null,
                        DataValue.valueOnly(new Variant("hacked")))))).getResults());

        results.forEach(status -> assertTrue(status.isBad(), status.toString()));
        assertEquals(1L, scada.read("Lines/ro-1/Counters/Pass").getValue().getValue());
        assertEquals(StatusCodes.Bad_NodeIdUnknown, scada.read("Lines/no-such-line/State").getStatusCode().getValue());
    }

    /**
     * One hostile connection: 0 garbage bytes, 1 a HEL with an absurd message size, 2 a truncated HEL
     * then silence (closed by us after a moment), 3 a valid HEL followed by a malformed OPN.
     * Returns what the server answered: "ACK", "ERR ..." or "closed".
     */
    private static String attack(int kind) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            switch (kind) {
                case 0 -> out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                case 1 -> out.write(hello(Integer.MAX_VALUE));
                case 2 -> out.write(java.util.Arrays.copyOf(hello(8192), 12));
                default -> {
                    out.write(hello(8192));
                    out.write("OPNF\u0010\u0000\u0000\u0000garbage!".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            out.flush();
            return answer(socket.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
            return "closed"; // nothing useful to say to a half message: the connection just ends
        } catch (java.net.SocketException e) {
            return "closed";
        }
    }

    private static String answer(InputStream in) throws Exception {
        byte[] header = in.readNBytes(8);
        if (header.length < 8) {
            return "closed";
        }
        String type = new String(header, 0, 3, StandardCharsets.US_ASCII);
        if (type.equals("ERR")) {
            byte[] body = in.readNBytes(4);
            return "ERR 0x" + Integer.toHexString(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
        return type;
    }

    /** An OPC UA TCP Hello for this server's URL with the given receive buffer size. */
    private static byte[] hello(int bufferSize) {
        byte[] url = ("opc.tcp://127.0.0.1:" + port).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(32 + url.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put("HELF".getBytes(StandardCharsets.US_ASCII)).putInt(32 + url.length);
        buffer.putInt(0).putInt(bufferSize).putInt(bufferSize).putInt(0).putInt(0);
        buffer.putInt(url.length).put(url);
        return buffer.array();
    }
}
