package io.linesight.plc.modbus;

import static io.linesight.plc.modbus.Fixtures.await;
import static io.linesight.plc.modbus.Fixtures.dent;
import static io.linesight.plc.modbus.Fixtures.event;
import static io.linesight.plc.modbus.Fixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import io.linesight.plc.simulator.PlcSimulator;
import io.linesight.plc.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A PLC that is not there, one that refuses our addresses, one that answers too slowly: each becomes a
 * state, a counted alarm and a clear log line, and the line's thread is never held up.
 */
class BadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Generous: a publish that did I/O or waited on the PLC would take far longer than this. */
    private static final long PUBLISH_BUDGET_MS = 3000;

    private final LogCapture log = new LogCapture();
    private ModbusPlcOutput output;
    private PlcSimulator simulator;

    @AfterEach
    void stopAll() {
        if (output != null) {
            output.deactivate();
        }
        if (simulator != null) {
            simulator.deactivate();
        }
        log.close();
    }

    @Test
    void unreachableAddressIsAStateWithOneWarningAndNothingWaits() throws Exception {
        int closedPort = freePort();
        output = new ModbusPlcOutput(config(closedPort, Map.of()));

        long publishMs = publishRejectsAndPasses(2000);
        await(WAIT, () -> output.counters().rejectsMissed() == 1000, "every reject counted as missed");
        Thread.sleep(1000); // several connect attempts (backoff 50..200 ms)

        assertTrue(publishMs < PUBLISH_BUDGET_MS, "2000 publishes took " + publishMs + " ms");
        OutputStatus status = output.outputStatus();
        assertEquals(OutputState.DISCONNECTED, status.state());
        assertEquals(0, output.counters().connects());
        assertTrue(status.detail().startsWith("PLC unreachable for "), status.detail());
        assertTrue(status.detail().contains("Connection refused"), status.detail());
        assertTrue(status.detail().contains("1000 rejects missed"), status.detail());
        List<String> warnings = log.messages(Level.WARN, "unreachable");
        assertEquals(1, warnings.size(), "one WARN for the outage, not one per attempt: " + warnings);
        assertTrue(warnings.get(0).contains("127.0.0.1:" + closedPort), warnings.get(0));
        assertTrue(warnings.get(0).contains("'host'/'port' of configuration io.linesight.plc.modbus"), warnings.get(0));
        assertEquals(1, log.messages(Level.WARN, "Missed reject").size(), "missed rejects are rate-limited");

        // an event board that binds after the outage began (late, or its bundle was updated) still gets PLC_LOST
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        output.bindEvents(new RecordingBoard(events));
        assertTrue(events.stream().anyMatch(e -> e.startsWith("PLC_LOST output/") && e.contains("Connection refused")),
                events.toString());
    }

    @Test
    void modbusExceptionIsLoggedNamingTheAddressAndTheProperty() throws Exception {
        int port = freePort();
        // a PLC with 10 coils and 50 holding registers: the reject coil and the result block lie outside
        simulator = new PlcSimulator(ConfigProxy.of(SimulatorConfig.class,
                Map.of("port", port, "coilCount", 10, "holdingRegisterCount", 50)));
        output = new ModbusPlcOutput(config(port, Map.of("rejectCoil", 20, "resultRegisterBase", 100,
                "heartbeatRegister", 5, "heartbeatPeriodMs", 50L)));
        await(WAIT, () -> output.connectionState() == ConnectionState.CONNECTED, "connected");

        output.publish(event(Verdict.REJECT, 1, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 1, 0));

        await(WAIT, () -> output.counters().writeErrors() >= 2 && output.counters().rejectsMissed() == 1,
                "both refusals counted, the reject missed");
        assertWarned("holding registers 100..112: Modbus exception 2 (IllegalDataAddress); check property"
                + " 'resultRegisterBase' of configuration io.linesight.plc.modbus");
        assertWarned("coil 20: Modbus exception 2 (IllegalDataAddress); check property 'rejectCoil'");
        OutputStatus status = output.outputStatus();
        assertEquals(OutputState.CONNECTED, status.state(), "a refusal is not an outage");
        assertTrue(status.detail().contains("PLC refused the write of coil 20 ('rejectCoil')"), status.detail());
        assertTrue(status.detail().contains("holding registers 100..112 ('resultRegisterBase')"), status.detail());
        long beats = output.counters().heartbeatsSent();
        await(WAIT, () -> output.counters().heartbeatsSent() > beats + 2, "the heartbeat keeps going");
        assertEquals(0, output.counters().outages());
    }

    @Test
    void slowPlcIsOneOutageWithGrowingRetriesAndNothingWaits() throws Exception {
        try (RawModbusSlave slow = new RawModbusSlave(400)) {
            output = new ModbusPlcOutput(config(slow.port(), Map.of("requestTimeoutMs", 150L,
                    "reconnectBackoffMinMs", 50L, "reconnectBackoffMaxMs", 400L, "heartbeatPeriodMs", 50L)));
            await(WAIT, () -> slow.connectionCount() >= 1, "connected");

            long publishMs = publishRejectsAndPasses(2000);
            await(WAIT, () -> slow.connectionCount() >= 4, "a few reconnects");

            assertTrue(publishMs < PUBLISH_BUDGET_MS, "2000 publishes took " + publishMs + " ms");
            List<String> warnings = log.messages(Level.WARN, "unreachable");
            assertEquals(1, warnings.size(), "one WARN however often it reconnects: " + warnings);
            assertTrue(warnings.get(0).contains("no answer within 150 ms ('requestTimeoutMs')"), warnings.get(0));
            assertTrue(output.outputStatus().detail().contains("no answer within 150 ms"),
                    output.outputStatus().detail());
            assertEquals(1, output.counters().outages());
            assertEquals(0, log.messages(Level.INFO, "reachable again").size(), "never answered in time");
            assertTrue(output.counters().resultsDropped() > 0, "the bounded queue dropped the oldest results");
        }
    }

    /** Publishes {@code count} frames, every second one a REJECT, as fast as possible; returns the time taken. */
    private long publishRejectsAndPasses(int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Verdict verdict = i % 2 == 0 ? Verdict.REJECT : Verdict.PASS;
            output.publish(event(verdict, i, System.nanoTime(), dent()), status(LineState.RUNNING, i, i / 2, 0));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * Exactly one WARN contains {@code text}. Waits for it first: the write error is counted just before
     * the WARN is written, on the PLC link's thread, so the counter can be seen a moment before the line.
     */
    private void assertWarned(String text) throws InterruptedException {
        await(WAIT, () -> !log.messages(Level.WARN, text).isEmpty(), "WARN containing: " + text);
        List<String> warnings = log.messages(Level.WARN, text);
        assertEquals(1, warnings.size(), "one WARN containing: " + text + ", not " + warnings);
    }

    private static PlcOutputConfig config(int port, Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("port", port, "reconnectBackoffMinMs", 50L,
                "reconnectBackoffMaxMs", 200L));
        values.putAll(overrides);
        return ConfigProxy.of(PlcOutputConfig.class, values);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
