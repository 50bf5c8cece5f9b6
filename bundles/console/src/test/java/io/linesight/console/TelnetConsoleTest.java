package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.Test;

/** The component's life cycle without a framework, on Gogo's real command processor. */
class TelnetConsoleTest {

    private final CommandProcessorImpl processor = new CommandProcessorImpl(new ThreadIOImpl());

    @Test
    void aBusyPortLeavesTheConsoleOffWithoutThrowing() throws IOException {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TelnetConsole console = console(TelnetSettings.of(true, "127.0.0.1", other.getLocalPort(), false, 4, 0));

            console.start();

            assertFalse(console.isListening());
            console.stop();
        }
    }

    @Test
    void theBindErrorNamesTheAddressPortAndPid() {
        TelnetSettings settings = TelnetSettings.of(true, "127.0.0.1", 6666, false, 4, 0);

        String message = TelnetConsole.bindFailure(settings, new BindException("Address already in use"));

        assertEquals("Telnet console not started: cannot listen on 127.0.0.1:6666 (Address already in use)."
                + " Is another process using port 6666? Set 'port' (or 'bindAddress') in configuration"
                + " io.linesight.console.telnet.", message);
    }

    @Test
    void listensUntilStopped() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TelnetConsole console = console(TelnetSettings.of(true, "127.0.0.1", port, false, 4, 0));

        console.start();
        assertTrue(console.isListening());
        console.stop();

        assertFalse(console.isListening());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "port free again");
        }
    }

    @Test
    void disabledMeansNoListener() {
        TelnetConsole console = console(TelnetSettings.of(false, "127.0.0.1", 6666, false, 4, 0));

        console.start();

        assertFalse(console.isListening());
        console.stop();
    }

    private TelnetConsole console(TelnetSettings settings) {
        return new TelnetConsole(processor, System::getProperty, settings);
    }
}
