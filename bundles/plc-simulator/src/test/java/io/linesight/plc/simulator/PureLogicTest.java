package io.linesight.plc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's rules without a socket: edges, beats, packing, validation. */
class PureLogicTest {

    private static final long MS = 1_000_000L;

    @Test
    void pulseMonitorCountsRisingEdgesAndMeasuresWidth() {
        PulseMonitor monitor = new PulseMonitor();
        assertTrue(monitor.onWrite(false, 0).isEmpty(), "OFF while OFF is no edge");
        assertTrue(monitor.onWrite(true, 10 * MS).isEmpty(), "rising edge ends no pulse");
        assertTrue(monitor.onWrite(true, 20 * MS).isEmpty(), "ON while ON is no edge");
        PulseMonitor.Pulse pulse = monitor.onWrite(false, 110 * MS).orElseThrow();
        assertEquals(1, pulse.number());
        assertEquals(100, pulse.widthMillis());
        monitor.onWrite(true, 200 * MS);
        assertEquals(2, monitor.risingEdges());
        assertEquals(100, monitor.lastPulse().orElseThrow().widthMillis(), "second pulse not finished yet");
    }

    @Test
    void heartbeatIsAliveWhileChangingAndStopsAfterTimeout() {
        HeartbeatWatch watch = new HeartbeatWatch(1000);
        assertEquals(HeartbeatWatch.Transition.ALIVE, watch.onWrite(5, 0));
        assertEquals(HeartbeatWatch.Transition.NONE, watch.onWrite(5, 500 * MS), "same value is no beat");
        assertEquals(HeartbeatWatch.Transition.NONE, watch.check(900 * MS));
        assertEquals(HeartbeatWatch.Transition.STOPPED, watch.check(1001 * MS));
        assertEquals(HeartbeatWatch.Transition.NONE, watch.check(2000 * MS), "reported once");
        assertFalse(watch.alive());
        assertEquals(HeartbeatWatch.Transition.ALIVE, watch.onWrite(6, 2100 * MS), "resumes");
        assertEquals(2, watch.changes());
    }

    @Test
    void coilsPackLowestAddressInLowestBit() {
        boolean[] bits = {true, false, false, false, false, false, false, false, false, true};
        byte[] packed = Packing.packBits(bits);
        assertArrayEquals(new byte[] {0x01, 0x02}, packed);
        assertArrayEquals(bits, Packing.unpackBits(packed, bits.length));
    }

    @Test
    void registersAreBigEndianWords() {
        byte[] bytes = Packing.wordsToBytes(new int[] {0x1234, 0xFFFF});
        assertArrayEquals(new byte[] {0x12, 0x34, (byte) 0xFF, (byte) 0xFF}, bytes);
        assertArrayEquals(new int[] {0x1234, 0xFFFF}, Packing.bytesToWords(bytes, 2));
    }

    @Test
    void invalidConfigurationNamesTheProperty() {
        IllegalArgumentException portError = assertThrows(IllegalArgumentException.class,
                () -> SimulatorSettings.from(ConfigProxy.of(SimulatorConfig.class, Map.of("port", 70000))));
        assertTrue(portError.getMessage().contains("'port' is 70000"), portError.getMessage());
        IllegalArgumentException coilError = assertThrows(IllegalArgumentException.class,
                () -> SimulatorSettings.from(ConfigProxy.of(SimulatorConfig.class,
                        Map.of("coilCount", 10, "rejectCoil", 10))));
        assertTrue(coilError.getMessage().contains("'rejectCoil'"), coilError.getMessage());
    }

    @Test
    void defaultsAreValid() {
        SimulatorSettings settings = SimulatorSettings.from(ConfigProxy.of(SimulatorConfig.class, Map.of()));
        assertEquals(1502, settings.port());
        assertEquals("127.0.0.1", settings.bindAddress());
    }
}
