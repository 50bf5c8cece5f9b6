package io.linesight.plc.modbus;

import static io.linesight.plc.modbus.Fixtures.dent;
import static io.linesight.plc.modbus.Fixtures.detections;
import static io.linesight.plc.modbus.Fixtures.event;
import static io.linesight.plc.modbus.Fixtures.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.Detection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Register encoding, backoff and configuration rules, without a network. */
class PureLogicTest {

    @Test
    void counterIsSplitHighWordFirst() {
        long value = 0x0002_9810L; // 170000
        assertEquals(0x0002, ResultRegisters.highWord(value));
        assertEquals(0x9810, ResultRegisters.lowWord(value));
        assertEquals(value, ResultRegisters.joinWords(0x0002, 0x9810));
    }

    @Test
    void counterWrapsModulo2To32() {
        long value = 0x1_0000_0005L;
        assertEquals(0, ResultRegisters.highWord(value));
        assertEquals(5, ResultRegisters.lowWord(value));
        assertEquals(0xFFFF, ResultRegisters.highWord(0xFFFF_FFFFL));
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
    void resultEncodesAllEightRegisters() {
        int[] words = ResultRegisters.encode(event(Verdict.REJECT, 1, 0, dent()),
                status(LineState.RUNNING, 100_000, 70_000, 0));
        // verdict, class, confidence, inspected 170000 = 2:38928, rejects 70000 = 1:4464, state RUNNING
        assertArrayEquals(new int[] {2, 2, 700, 2, 38928, 1, 4464, 1}, words);
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
        assertEquals(500, backoff.delayMs(1));
        assertEquals(1000, backoff.delayMs(2));
        assertEquals(8000, backoff.delayMs(5));
        assertEquals(10_000, backoff.delayMs(6));
        assertEquals(10_000, backoff.delayMs(1000));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        PlcSettings settings = PlcSettings.from(ConfigProxy.of(PlcOutputConfig.class, Map.of()));
        assertEquals("127.0.0.1:1502", settings.endpoint());
        assertEquals(1, settings.unitId());
        assertEquals(100, settings.pulseWidthMs());
        assertEquals(10, settings.resultRegisterBase());
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
        assertRejected(Map.of("heartbeatRegister", 12), "'heartbeatRegister' (12) lies inside");
        assertRejected(Map.of("resultRegisterBase", 65530), "'resultRegisterBase' is 65530");
    }

    private static void assertRejected(Map<String, ?> values, String expected) {
        Map<String, Object> config = new HashMap<>(values);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlcSettings.from(ConfigProxy.of(PlcOutputConfig.class, config)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(PlcOutputConfig.PID), e.getMessage());
    }
}
