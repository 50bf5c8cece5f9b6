package io.linesight.plc.modbus;

import static io.linesight.plc.modbus.Fixtures.dent;
import static io.linesight.plc.modbus.Fixtures.detections;
import static io.linesight.plc.modbus.Fixtures.event;
import static io.linesight.plc.modbus.Fixtures.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.Detection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Register encoding, backoff and configuration rules, without a network. */
class PureLogicTest {

    @Test
    void highFirstPutsTheHighWordInTheLowerAddress() {
        long value = 0x0002_9810L; // 170000
        assertArrayEquals(new int[] {0x0002, 0x9810}, WordOrder.HIGH_FIRST.words(value));
        assertEquals(value, WordOrder.HIGH_FIRST.join(0x0002, 0x9810));
    }

    @Test
    void lowFirstSwapsTheWordsNotTheBytes() {
        long value = 0x0002_9810L;
        assertArrayEquals(new int[] {0x9810, 0x0002}, WordOrder.LOW_FIRST.words(value));
        assertEquals(value, WordOrder.LOW_FIRST.join(0x9810, 0x0002));
        assertArrayEquals(new byte[] {(byte) 0x98, 0x10, 0x00, 0x02},
                ResultRegisters.toBytes(WordOrder.LOW_FIRST.words(value)));
    }

    @Test
    void thirtyTwoBitValuesWrapModulo2To32() {
        assertArrayEquals(new int[] {0, 5}, WordOrder.HIGH_FIRST.words(0x1_0000_0005L));
        assertArrayEquals(new int[] {0xFFFF, 0xFFFF}, WordOrder.LOW_FIRST.words(0xFFFF_FFFFL));
    }

    @Test
    void wordOrderNamesParseCaseInsensitivelyAndNothingElse() {
        assertEquals(WordOrder.LOW_FIRST, WordOrder.parse(" low_first "));
        assertEquals(WordOrder.HIGH_FIRST, WordOrder.parse("HIGH_FIRST"));
        assertEquals(null, WordOrder.parse("CDAB"));
        assertEquals(null, WordOrder.parse(null));
    }

    @Test
    void modelVersionIsMajorMinorPatch() {
        assertArrayEquals(new int[] {1, 4, 2}, ModelVersion.encode("1.4.2"));
        assertArrayEquals(new int[] {1, 4, 2}, ModelVersion.encode("v1.4.2-rc1"));
        assertArrayEquals(new int[] {2024, 11, 0}, ModelVersion.encode("2024.11"));
        assertArrayEquals(new int[] {3, 0, 0}, ModelVersion.encode("3"));
        assertArrayEquals(new int[] {1, 0, 7}, ModelVersion.encode("1.x.7.9"));
        assertArrayEquals(new int[] {65534, 0, 0}, ModelVersion.encode("99999999999"));
        int[] unknown = {ModelVersion.UNKNOWN, ModelVersion.UNKNOWN, ModelVersion.UNKNOWN};
        assertArrayEquals(unknown, ModelVersion.encode("latest"));
        assertArrayEquals(unknown, ModelVersion.encode(""));
    }

    @Test
    void confidenceIsScaledByThousandRoundedAndClamped() {
        assertEquals(700, ResultRegisters.confidencePermille(0.7f));
        assertEquals(1, ResultRegisters.confidencePermille(0.0006f));
        assertEquals(1000, ResultRegisters.confidencePermille(1.0f));
        assertEquals(1000, ResultRegisters.confidencePermille(1.2f));
        assertEquals(0, ResultRegisters.confidencePermille(-0.1f));
        assertEquals(0, ResultRegisters.confidencePermille(Float.NaN));
    }

    @Test
    void classIndexIsTopOneOrTheBestDetectionOrMinusOne() {
        assertEquals(2, ResultRegisters.classIndex(dent()));
        assertEquals(4, ResultRegisters.classIndex(detections(
                new Detection(4, "crack", 0.9f, 0, 0, 1, 1), new Detection(1, "scratch", 0.5f, 0, 0, 1, 1))));
        assertEquals(0xFFFF, ResultRegisters.classIndex(detections()));
        assertEquals(0, ResultRegisters.confidencePermille(ResultRegisters.confidence(detections())));
    }

    @Test
    void resultEncodesAllThirteenRegisters() {
        int[] words = ResultRegisters.encode(event(Verdict.REJECT, 0x0001_0002L, 0, dent()),
                status(LineState.RUNNING, 100_000, 70_000, 0), WordOrder.HIGH_FIRST);
        // verdict, class, confidence, inspected 170000 = 2:38928, rejects 70000 = 1:4464, state RUNNING,
        // model 1.0.0, sequence 65538 = 1:2
        assertArrayEquals(new int[] {2, 2, 700, 2, 38928, 1, 4464, 1, 1, 0, 0, 1, 2}, words);
    }

    @Test
    void wordOrderAppliesToEveryThirtyTwoBitValue() {
        int[] words = ResultRegisters.encode(event(Verdict.PASS, 0x0001_0002L, 0, dent()),
                status(LineState.FAULT, 100_000, 70_000, 0), WordOrder.LOW_FIRST);
        assertArrayEquals(new int[] {1, 2, 700, 38928, 2, 4464, 1, 2, 1, 0, 0, 2, 1}, words);
    }

    @Test
    void wordsTravelBigEndian() {
        assertArrayEquals(new byte[] {0x00, 0x02, (byte) 0xFF, (byte) 0xFF, 0x02, (byte) 0xBC},
                ResultRegisters.toBytes(new int[] {2, 0xFFFF, 700}));
    }

    @Test
    void heartbeatWrapsAt65535() {
        assertEquals(1, ResultRegisters.nextHeartbeat(0));
        assertEquals(0, ResultRegisters.nextHeartbeat(65535));
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Backoff backoff = new Backoff(500, 10_000);
        assertEquals(500, backoff.delayMs(1, 0));
        assertEquals(1000, backoff.delayMs(2, 0));
        assertEquals(8000, backoff.delayMs(5, 0));
        assertEquals(10_000, backoff.delayMs(6, 0));
        assertEquals(10_000, backoff.delayMs(1000, 0));
        // jitter takes off up to a fifth, never adds: the cap holds
        assertEquals(8000, backoff.delayMs(1000, 0.9999), 1);
        for (int i = 0; i < 1000; i++) {
            long d = new Backoff(200, 1000).delayMs(10);
            assertTrue(d >= 800 && d <= 1000, "jittered delay " + d);
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        PlcSettings settings = PlcSettings.from(ConfigProxy.of(PlcOutputConfig.class, Map.of()));
        assertEquals("127.0.0.1:1502", settings.endpoint());
        assertEquals(1, settings.unitId());
        assertEquals(100, settings.pulseWidthMs());
        assertEquals(10, settings.resultRegisterBase());
        assertEquals(WordOrder.HIGH_FIRST, settings.wordOrder());
        assertEquals(-1, settings.lineFaultCoil());
        assertEquals(-1, settings.partIdRegister());
        assertTrue(settings.lines().isEmpty());
    }

    @Test
    void badValuesFailNamingTheProperty() {
        assertRejected(Map.of("pulseWidthMs", 0L), "'pulseWidthMs' is 0");
        assertRejected(Map.of("port", 0), "'port' is 0");
        assertRejected(Map.of("host", " "), "'host'");
        assertRejected(Map.of("unitId", 300), "'unitId' is 300");
        assertRejected(Map.of("reconnectBackoffMinMs", 2000L, "reconnectBackoffMaxMs", 1000L),
                "'reconnectBackoffMaxMs' is 1000");
        assertRejected(Map.of("heartbeatRegister", 12), "'heartbeatRegister' (registers 12) overlaps"
                + " 'resultRegisterBase' (registers 10..22)");
        assertRejected(Map.of("resultRegisterBase", 65530), "'resultRegisterBase' is 65530");
        assertRejected(Map.of("wordOrder", "CDAB"), "'wordOrder' is CDAB, expected HIGH_FIRST or LOW_FIRST");
        assertRejected(Map.of("lineFaultCoil", -2), "'lineFaultCoil' is -2");
        assertRejected(Map.of("lineFaultCoil", 0), "'lineFaultCoil' is 0, the same coil as 'rejectCoil'");
        assertRejected(Map.of("partIdRegister", 22), "'resultRegisterBase' (registers 10..22) overlaps"
                + " 'partIdRegister' (registers 22..23)");
        assertRejected(Map.of("partIdRegister", 65535), "'partIdRegister' is 65535");
    }

    @Test
    void optionalAddressesAreOffWithMinusOneAndOnOtherwise() {
        PlcSettings settings = PlcSettings.from(ConfigProxy.of(PlcOutputConfig.class,
                Map.of("lineFaultCoil", 1, "partIdRegister", 30, "wordOrder", "low_first")));
        assertTrue(settings.hasLineFaultCoil());
        assertTrue(settings.hasPartIdRegister());
        assertEquals(WordOrder.LOW_FIRST, settings.wordOrder());
        assertTrue(settings.describe().contains("line fault coil 1"), settings.describe());
        assertTrue(settings.describe().contains("part id registers 30..31"), settings.describe());
    }

    @Test
    void outputIdIsConfiguredElseTheConfigurationNameElseTheEndpoint() {
        String endpoint = "10.0.0.5:502";
        assertEquals("press-3", OutputId.derive(" press-3 ", Map.of(), endpoint));
        assertEquals("default", OutputId.derive("", Map.of(OutputId.FILEINSTALL_FILENAME,
                "file:/opt/linesight/config/io.linesight.plc.modbus-default.cfg"), endpoint));
        assertEquals("line2", OutputId.derive("", Map.of("service.pid", "io.linesight.plc.modbus~line2"), endpoint));
        assertEquals(endpoint, OutputId.derive("", Map.of("service.pid", "io.linesight.plc.modbus.4f1c-77"), endpoint));
        assertEquals(endpoint, OutputId.derive(null, Map.of(OutputId.FILEINSTALL_FILENAME, "file:/x/other.cfg"),
                endpoint));
    }

    @Test
    void lineFaultStandsWhileAnyServedLineIsInFault() {
        LineFaults faults = new LineFaults();
        assertEquals(Optional.of(true), faults.update("a", LineState.FAULT, "camera lost"));
        assertEquals(Optional.empty(), faults.update("b", LineState.FAULT, ""), "already ON");
        assertEquals(Optional.empty(), faults.update("a", LineState.RUNNING, ""), "b still faulted");
        assertEquals(Optional.of("b"), faults.describeFirst());
        assertEquals(Optional.of(false), faults.remove("b"));
        assertEquals(Optional.empty(), faults.update("a", LineState.STOPPED, ""), "stopped on purpose is no fault");
        assertFalse(faults.any());
    }

    @Test
    void alarmsTellWhatStandsNow() {
        long[] now = {0};
        Counters counters = new Counters();
        Alarms alarms = new Alarms("plc:502", counters, () -> now[0]);
        assertEquals("", alarms.detail());

        alarms.unreachable("Connection refused");
        now[0] = TimeUnit.MILLISECONDS.toNanos(5200);
        alarms.unreachable("Connection refused");
        alarms.missed("line-1", 7, 0, MissReason.PLC_DISCONNECTED, "PLC at plc:502 not connected at the eject instant");
        now[0] += TimeUnit.SECONDS.toNanos(2);
        assertEquals("PLC unreachable for 7.2 s: Connection refused; 1 rejects missed, the last 2.0 s ago: PLC at"
                + " plc:502 not connected at the eject instant", alarms.detail());

        alarms.reachable();
        now[0] += TimeUnit.SECONDS.toNanos(Alarms.MISS_SHOWN_S);
        assertEquals("", alarms.detail(), "a missed reject is shown for a minute; the counter keeps it");
        assertEquals(1, counters.rejectsMissed.get());
    }

    @Test
    void countersMapKeepsTheDocumentedNamesInOrder() {
        Counters counters = new Counters();
        counters.heartbeatGap(5300);
        counters.heartbeatGap(1200);
        Map<String, Long> map = counters.snapshot().asMap();
        assertEquals(List.of("rejectsReceived", "pulsesSent", "rejectsMerged", "rejectsMissed", "resultsWritten",
                "resultsDropped", "writeErrors", "heartbeatsSent", "connects", "outages", "heartbeatGaps",
                "heartbeatGapLastMs", "heartbeatGapMaxMs"), List.copyOf(map.keySet()));
        assertEquals(2, map.get("heartbeatGaps"));
        assertEquals(1200, map.get("heartbeatGapLastMs"));
        assertEquals(5300, map.get("heartbeatGapMaxMs"));
    }

    private static void assertRejected(Map<String, ?> values, String expected) {
        Map<String, Object> config = new HashMap<>(values);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlcSettings.from(ConfigProxy.of(PlcOutputConfig.class, config)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(PlcOutputConfig.PID), e.getMessage());
    }

    /** Issue 16 item 5: every missed reject is an alarm of its line naming the part and the reason. */
    @Test
    void aMissedRejectIsAnAlarmOfItsLineWithPartOutputAndReason() {
        Alarms alarms = new Alarms("plc:502", new Counters(), System::nanoTime);
        java.util.List<String> events = new java.util.ArrayList<>();
        alarms.reportEventsTo((kind, source, text) -> events.add(kind + " " + source + " " + text), "output/plc-a");
        alarms.missed("line-1", 4711, 0, MissReason.LATE_VERDICT, "verdict 120 ms after the eject instant");
        assertEquals(1, events.size());
        assertTrue(events.get(0).startsWith("REJECT_MISSED line/line-1 reject of part 4711 missed by output/plc-a"
                + " (LATE_VERDICT): verdict 120 ms after"), events.get(0));
        io.linesight.api.event.MissedReject read = io.linesight.api.event.MissedReject.of(io.linesight.api.event.RuntimeEvent.of(
                io.linesight.api.event.EventKind.REJECT_MISSED, "line/line-1",
                events.get(0).substring("REJECT_MISSED line/line-1 ".length()))).orElseThrow();
        assertEquals(new io.linesight.api.event.MissedReject("line-1", 4711, "plc-a", "LATE_VERDICT"), read);
    }

    @Test
    void anOutageIsOnePlcLostEventAndTheReturnOnePlcRestored() {
        Alarms alarms = new Alarms("plc:502", new Counters(), System::nanoTime);
        java.util.List<String> events = new java.util.ArrayList<>();
        alarms.reportEventsTo((kind, source, text) -> events.add(kind + ": " + text), "output/plc");
        alarms.unreachable("connection refused");
        alarms.unreachable("connection refused again");
        alarms.reachable();
        alarms.reachable();
        assertEquals(2, events.size(), events.toString());
        org.junit.jupiter.api.Assertions.assertTrue(events.get(0).startsWith("PLC_LOST: PLC at plc:502 unreachable: connection refused"), events.get(0));
        assertEquals("PLC_RESTORED: PLC at plc:502 answers again", events.get(1));
    }
}
