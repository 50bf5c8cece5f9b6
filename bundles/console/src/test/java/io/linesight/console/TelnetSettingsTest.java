package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelnetSettingsTest {

    @Test
    void theDefaultsListenOnLoopback() {
        TelnetSettings settings = TelnetSettings.of(true, "127.0.0.1", 6666, false, 4, 1800);

        assertEquals("127.0.0.1:6666", settings.endpoint());
        assertFalse(settings.remote());
        assertEquals(Duration.ofMinutes(30), settings.idleTimeout());
    }

    @Test
    void localhostAndIpv6LoopbackAreLoopback() {
        assertFalse(TelnetSettings.of(true, "localhost", 6666, false, 4, 0).remote());
        assertFalse(TelnetSettings.of(true, "::1", 6666, false, 4, 0).remote());
    }

    @Test
    void aNonLoopbackAddressNeedsAllowRemote() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TelnetSettings.of(true, "0.0.0.0", 6666, false, 4, 0));

        assertTrue(e.getMessage().startsWith("bindAddress='0.0.0.0' in configuration io.linesight.console.telnet"),
                e.getMessage());
        assertTrue(e.getMessage().contains("allowRemote=true"), e.getMessage());
    }

    @Test
    void allowRemoteAcceptsANonLoopbackAddress() {
        assertTrue(TelnetSettings.of(true, "0.0.0.0", 6666, true, 4, 0).remote());
    }

    @Test
    void badNumbersNameTheirProperty() {
        assertMessageStarts("port='0'", () -> TelnetSettings.of(true, "127.0.0.1", 0, false, 4, 0));
        assertMessageStarts("port='65536'", () -> TelnetSettings.of(true, "127.0.0.1", 65536, false, 4, 0));
        assertMessageStarts("maxSessions='0'", () -> TelnetSettings.of(true, "127.0.0.1", 6666, false, 0, 0));
        assertMessageStarts("idleTimeoutS='-1'", () -> TelnetSettings.of(true, "127.0.0.1", 6666, false, 4, -1));
        assertMessageStarts("bindAddress=' '", () -> TelnetSettings.of(true, " ", 6666, false, 4, 0));
    }

    private static void assertMessageStarts(String start, Runnable settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
