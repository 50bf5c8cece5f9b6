package io.linesight.plc.modbus;

import static io.linesight.plc.modbus.Fixtures.await;
import static io.linesight.plc.modbus.Fixtures.dent;
import static io.linesight.plc.modbus.Fixtures.event;
import static io.linesight.plc.modbus.Fixtures.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PLC output against the PLC simulator on real sockets: pulses as the simulated PLC sees them,
 * registers as it stored them, heartbeats, outages and threads.
 */
class ModbusPlcOutputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int COIL = 5;
    private static final int HEARTBEAT = 2;
    private static final int BASE = 100;
    private static final int FAULT_COIL = 6;
    private static final int LOCK = 60;

    private int port;
    private PlcSimulator plc;
    private ModbusPlcOutput output;

    @BeforeEach
    void choosePort() throws IOException {
        port = freePort();
    }

    @AfterEach
    void stopAll() {
        if (output != null) {
            output.deactivate();
        }
        if (plc != null) {
            plc.deactivate();
        }
    }

    @Test
    void rejectPulsesTheCoilAndWritesTheResult() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("ejectDelayMs", 50L, "pulseWidthMs", 300L));

        output.publish(event(Verdict.REJECT, 1, System.nanoTime(), dent()), status(LineState.RUNNING, 100_000, 70_000, 0));

        await(WAIT, () -> plc.lastRejectPulseWidthMs() >= 0, "the PLC saw the coil go ON and OFF");
        assertEquals(1, plc.rejectPulseCount());
        // generous: only a pulse cut far short fails (the PLC measures arrival times, jitter included)
        assertTrue(plc.lastRejectPulseWidthMs() >= 50, "width " + plc.lastRejectPulseWidthMs() + " ms, sent 300");
        assertFalse(plc.coil(COIL));
        await(WAIT, () -> plc.holdingRegisters(BASE, 13)[0] == Verdict.REJECT.code(), "result registers written");
        assertArrayEquals(new int[] {2, 2, 700, 2, 38928, 1, 4464, 1, 1, 0, 0, 0, 1}, plc.holdingRegisters(BASE, 13));
        await(WAIT, () -> output.counters().pulsesSent() == 1, "pulse counted");
        assertEquals(0, output.counters().rejectsMissed());
    }

    @Test
    void passDoesNotPulse() throws Exception {
        startPlc();
        output = connectedOutput(Map.of());

        output.publish(event(Verdict.PASS, 1, System.nanoTime(), dent()), status(LineState.RUNNING, 1, 0, 0));

        // writes travel in order on one connection: once the result is there, a pulse would be too
        await(WAIT, () -> plc.holdingRegisters(BASE, 1)[0] == Verdict.PASS.code(), "result written");
        Thread.sleep(200);
        assertEquals(0, plc.rejectPulseCount());
        assertEquals(0, output.counters().pulsesSent());
    }

    @Test
    void rejectWhoseEjectInstantHasPassedIsMissedNotPulsed() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("ejectDelayMs", 100L, "ejectToleranceMs", 20L));
        long capturedLongAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);

        output.publish(event(Verdict.REJECT, 7, capturedLongAgo, dent()), status(LineState.RUNNING, 0, 1, 0));

        assertEquals(1, output.counters().rejectsMissed(), "judged on the line's thread, at once");
        await(WAIT, () -> plc.holdingRegisters(BASE, 1)[0] == Verdict.REJECT.code(), "result still written");
        Thread.sleep(200);
        assertEquals(0, plc.rejectPulseCount());
        assertEquals(0, output.counters().pulsesSent());
    }

    @Test
    void heartbeatKeepsIncreasing() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("heartbeatPeriodMs", 50L));

        await(WAIT, () -> plc.heartbeatChanges() >= 3, "three beats");
        int first = plc.holdingRegisters(HEARTBEAT, 1)[0];
        await(WAIT, () -> plc.holdingRegisters(HEARTBEAT, 1)[0] > first, "the register grows");
        assertTrue(output.lastHeartbeat().isPresent());
    }

    @Test
    void lineStateChangeWritesTheStateRegister() throws Exception {
        startPlc();
        output = connectedOutput(Map.of());

        output.lineStatusChanged(status(LineState.FAULT, 0, 0, 0));

        await(WAIT, () -> plc.holdingRegisters(BASE + 7, 1)[0] == LineState.FAULT.code(), "state register");
        assertEquals(0, plc.holdingRegisters(BASE, 1)[0], "the result registers are left alone");
    }

    @Test
    void deactivateSwitchesARunningPulseOff() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("pulseWidthMs", 30_000L));
        output.publish(event(Verdict.REJECT, 1, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 1, 0));
        await(WAIT, () -> plc.coil(COIL), "coil ON");

        output.deactivate();
        output = null;

        assertFalse(plc.coil(COIL), "the ejector does not stay ON after the output stops");
    }

    @Test
    void plcDownAtStartIsConnectedOnceItComesUpAndAgainAfterARestart() throws Exception {
        output = new ModbusPlcOutput(config(Map.of("heartbeatPeriodMs", 50L)));
        Thread.sleep(300);
        assertEquals(ConnectionState.DISCONNECTED, output.connectionState());
        assertTrue(output.lastHeartbeat().isEmpty());

        startPlc();
        await(WAIT, () -> output.connectionState() == ConnectionState.CONNECTED, "connects by itself");
        await(WAIT, () -> plc.heartbeatChanges() >= 2, "heartbeats arrive");

        plc.deactivate();
        plc = null;
        await(WAIT, () -> output.connectionState() == ConnectionState.DISCONNECTED, "notices the PLC left");
        startPlc();
        await(WAIT, () -> output.connectionState() == ConnectionState.CONNECTED, "reconnects");
        await(WAIT, () -> plc.heartbeatChanges() >= 2, "heartbeats arrive again");
    }

    @Test
    void publishNeverBlocksAndNeverQueuesWithoutBoundWhenThePlcIsDown() throws Exception {
        output = new ModbusPlcOutput(config(Map.of()));
        int events = 10_000;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            Verdict verdict = i % 2 == 0 ? Verdict.REJECT : Verdict.PASS;
            output.publish(event(verdict, i, System.nanoTime(), dent()), status(LineState.RUNNING, i, i / 2, 0));
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // generous: 10,000 calls that did I/O or waited would take far longer than 5 s
        assertTrue(elapsedMs < 5000, "10,000 publishes took " + elapsedMs + " ms");
        assertTrue(output.counters().resultsDropped() >= events - ResultWriter.CAPACITY - 1,
                "dropped " + output.counters().resultsDropped());
        await(WAIT, () -> output.counters().rejectsMissed() == events / 2, "every reject counted as missed");
        assertEquals(0, output.counters().pulsesSent());
    }

    @Test
    void activateDeactivateCyclesLeaveNoThreadsBehind() throws Exception {
        startPlc();
        cycle();
        int before = Thread.activeCount();
        for (int i = 0; i < 8; i++) {
            cycle();
        }
        await(WAIT, () -> ownThreads() == 0, "no linesight-plc-modbus thread alive");
        int after = Thread.activeCount();
        assertTrue(after <= before + 2, "threads before " + before + ", after 8 cycles " + after);
    }

    @Test
    void lineFaultCoilFollowsTheLinesItServes() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("lineFaultCoil", FAULT_COIL));

        output.lineStatusChanged(status("a", LineState.FAULT, "camera lost"));
        await(WAIT, () -> plc.coil(FAULT_COIL), "ON while line a cannot inspect");
        output.lineStatusChanged(status("b", LineState.FAULT, "model failed"));
        output.lineStatusChanged(status("a", LineState.RUNNING, ""));
        Thread.sleep(200);
        assertTrue(plc.coil(FAULT_COIL), "still ON: line b is in FAULT");

        output.publish(event(Verdict.PASS, 1, System.nanoTime(), dent()), status("b", LineState.RUNNING, "", 1, 0, 0));
        await(WAIT, () -> !plc.coil(FAULT_COIL), "OFF once every line inspects again");
    }

    @Test
    void lineFaultCoilIsRaisedForALineThatWasFaultedBeforeTheOutputStarted() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("lineFaultCoil", FAULT_COIL, "lines", new String[] {"mine"}));

        output.bindLine(Fixtures.line("other", status("other", LineState.FAULT, "not served")), Map.of());
        Thread.sleep(200);
        assertFalse(plc.coil(FAULT_COIL), "a line this output does not serve does not count");
        output.bindLine(Fixtures.line("mine", status("mine", LineState.FAULT, "camera lost")),
                Map.of("line.id", "mine"));
        await(WAIT, () -> plc.coil(FAULT_COIL), "learned from the line service's status");

        output.lineRemoved("mine");
        await(WAIT, () -> !plc.coil(FAULT_COIL), "a removed line no longer holds the coil");
    }

    @Test
    void unnamedOutputDrivesNoEjectorOnceASecondLineRunsAndRaisesTheFaultCoilAndAnAlarm() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("lineFaultCoil", FAULT_COIL, "ejectDelayMs", 50L));
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        output.bindEvents(new RecordingBoard(events));
        output.bindLine(Fixtures.line("line-1", status("line-1", LineState.RUNNING, "")), Map.of());
        output.publish(event(Verdict.REJECT, 1, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 1, 0));
        await(WAIT, () -> plc.rejectPulseCount() == 1, "the only line's reject is pulsed");

        output.bindLine(Fixtures.line("golden", status("golden", LineState.RUNNING, "")), Map.of());
        await(WAIT, () -> plc.coil(FAULT_COIL), "fault coil ON: parts pass without ejection");
        output.publish(event(Verdict.REJECT, 2, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 2, 0));
        Thread.sleep(300);
        assertEquals(1, plc.rejectPulseCount(), "no pulse while the output cannot tell whose part it is");
        assertEquals(1, output.counters().rejectsMissed());
        assertTrue(output.outputStatus().detail().contains("names no lines"), output.outputStatus().detail());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("OUTPUT_LINES_AMBIGUOUS output/")
                && e.contains("runs golden, line-1") && e.contains("lines=")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("REJECT_MISSED line/line-1")
                && e.contains("(LINES_AMBIGUOUS)")), events.toString());

        output.unbindLine(Fixtures.line("golden", status("golden", LineState.RUNNING, "")), Map.of());
        await(WAIT, () -> !plc.coil(FAULT_COIL), "fault coil OFF once one line is left");
        assertTrue(events.stream().anyMatch(e -> e.startsWith("OUTPUT_LINES_RESOLVED output/")), events.toString());
        output.publish(event(Verdict.REJECT, 3, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 3, 0));
        await(WAIT, () -> plc.rejectPulseCount() == 2, "pulsed again");
    }

    @Test
    void aSecondRuntimeDrivesNothingWhileTheFirstHoldsTheMasterLockAndTakesOverWhenItStops() throws Exception {
        startPlc();
        Map<String, Object> locked = Map.of("masterLockRegister", LOCK, "heartbeatPeriodMs", 100L, "ejectDelayMs", 0L);
        ModbusPlcOutput first = new ModbusPlcOutput(config(locked), Map.of(), 100);
        output = first;
        await(WAIT, () -> first.connectionState() == ConnectionState.CONNECTED, "the first runtime owns the PLC");
        assertEquals(100, plc.holdingRegisters(LOCK, 1)[0], "its token in the lock register");

        ModbusPlcOutput second = new ModbusPlcOutput(config(locked), Map.of(), 200);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        second.bindEvents(new RecordingBoard(events));
        try {
            await(WAIT, () -> second.outputStatus().detail().contains("driven by another LineSight runtime"),
                    "the second runtime sees the first one's lease advancing");
            assertEquals(ConnectionState.DISCONNECTED, second.connectionState());
            assertTrue(events.stream().anyMatch(e -> e.startsWith("PLC_OTHER_MASTER output/")), events.toString());
            second.publish(event(Verdict.REJECT, 7, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 1, 0));
            Thread.sleep(300);
            assertEquals(0, plc.rejectPulseCount(), "the second runtime never pulses the first one's ejector");
            assertEquals(100, plc.holdingRegisters(LOCK, 1)[0], "the first runtime keeps the lock");

            first.deactivate(); // a clean stop frees the lock
            output = second;
            await(WAIT, () -> second.connectionState() == ConnectionState.CONNECTED, "the second runtime takes over");
            assertEquals(200, plc.holdingRegisters(LOCK, 1)[0]);
            assertTrue(events.stream().anyMatch(e -> e.startsWith("PLC_OTHER_MASTER_GONE output/")), events.toString());
            second.publish(event(Verdict.REJECT, 8, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 2, 0));
            await(WAIT, () -> plc.rejectPulseCount() == 1, "now it drives the ejector");
        } finally {
            if (output != second) {
                second.deactivate();
            }
        }
    }

    @Test
    void aLockLeftByACrashedRuntimeIsTakenOverOnceItsLeaseStandsStill() throws Exception {
        startPlc();
        writeRegisters(LOCK, 999, 5); // what a runtime that lost power leaves behind
        long start = System.nanoTime();
        output = new ModbusPlcOutput(config(Map.of("masterLockRegister", LOCK, "heartbeatPeriodMs", 100L)), Map.of(), 300);

        await(WAIT, () -> output.connectionState() == ConnectionState.CONNECTED, "taken over");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= MasterLock.STALE_PERIODS * 100, "waited for the lease to stand still: " + tookMs + " ms");
        assertEquals(300, plc.holdingRegisters(LOCK, 1)[0]);
        int lease = plc.holdingRegisters(LOCK + 1, 1)[0];
        await(WAIT, () -> plc.holdingRegisters(LOCK + 1, 1)[0] != lease, "the owner renews its lease");
    }

    @Test
    void aCleanStopFreesTheLock() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("masterLockRegister", LOCK));
        assertTrue(plc.holdingRegisters(LOCK, 1)[0] != 0);
        output.deactivate();
        output = null;
        assertEquals(0, plc.holdingRegisters(LOCK, 1)[0], "token 0: the next runtime claims at once");
    }

    /** Writes holding registers as another Modbus master would. */
    private void writeRegisters(int address, int... values) throws Exception {
        com.digitalpetri.modbus.master.ModbusTcpMaster master = new com.digitalpetri.modbus.master.ModbusTcpMaster(
                new com.digitalpetri.modbus.master.ModbusTcpMasterConfig.Builder("127.0.0.1").setPort(port).build());
        try {
            master.connect().get(10, TimeUnit.SECONDS);
            master.sendRequest(new com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest(address,
                    values.length, ResultRegisters.toBytes(values)), 1).get(10, TimeUnit.SECONDS);
        } finally {
            master.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void lineFaultCoilIsWrittenAgainToAPlcThatRestarted() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("lineFaultCoil", FAULT_COIL));
        output.lineStatusChanged(status("a", LineState.FAULT, "camera lost"));
        await(WAIT, () -> plc.coil(FAULT_COIL), "ON");

        plc.deactivate();
        startPlc(); // a fresh PLC: every coil OFF
        await(WAIT, () -> plc.coil(FAULT_COIL), "ON again after the reconnect");
    }

    @Test
    void partIdPrecedesEachRisingEdge() throws Exception {
        startPlc();
        output = connectedOutput(Map.of("partIdRegister", 40, "wordOrder", "LOW_FIRST"));

        output.publish(event(Verdict.REJECT, 0x0003_0004L, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 1, 0));

        await(WAIT, () -> plc.rejectPulseCount() == 1, "pulse");
        assertArrayEquals(new int[] {4, 3}, plc.holdingRegisters(40, 2), "sequence 0x00030004, low word first");
    }

    @Test
    void outputStatusShowsIdTargetStateHeartbeatAndCounters() throws Exception {
        startPlc();
        ModbusPlcOutput named = new ModbusPlcOutput(config(Map.of("heartbeatPeriodMs", 50L,
                "lines", new String[] {"line-1"})), Map.of(OutputId.FILEINSTALL_FILENAME,
                "file:/opt/linesight/config/io.linesight.plc.modbus-press.cfg"));
        output = named;
        await(WAIT, () -> named.outputStatus().lastHeartbeat().isPresent(), "a heartbeat acknowledged");

        OutputStatus status = named.outputStatus();

        assertEquals("press", status.outputId());
        assertEquals("plc", status.kind());
        assertEquals("127.0.0.1:" + port, status.target());
        assertEquals(List.of("line-1"), status.lines());
        assertEquals(OutputState.CONNECTED, status.state());
        assertEquals("", status.detail());
        assertTrue(status.counters().get("heartbeatsSent") >= 1, status.counters().toString());
        assertEquals(1, status.counters().get("connects"));
        assertEquals(0, status.counters().get("outages"));
    }

    private void cycle() throws Exception {
        ModbusPlcOutput cycled = connectedOutput(Map.of("heartbeatPeriodMs", 50L));
        cycled.publish(event(Verdict.REJECT, 1, System.nanoTime(), dent()), status(LineState.RUNNING, 0, 1, 0));
        cycled.deactivate();
    }

    private static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("linesight-plc-modbus")).count();
    }

    private void startPlc() {
        plc = new PlcSimulator(ConfigProxy.of(SimulatorConfig.class,
                Map.of("port", port, "rejectCoil", COIL, "heartbeatRegister", HEARTBEAT)));
        assertTrue(plc.isListening());
    }

    private ModbusPlcOutput connectedOutput(Map<String, ?> overrides) throws InterruptedException {
        ModbusPlcOutput created = new ModbusPlcOutput(config(overrides));
        await(WAIT, () -> created.connectionState() == ConnectionState.CONNECTED, "connected");
        return created;
    }

    private PlcOutputConfig config(Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("port", port, "rejectCoil", COIL,
                "heartbeatRegister", HEARTBEAT, "resultRegisterBase", BASE,
                "reconnectBackoffMinMs", 50L, "reconnectBackoffMaxMs", 200L));
        values.putAll(overrides);
        return ConfigProxy.of(PlcOutputConfig.class, values);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
