package io.linesight.fleet.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EnvelopePoller} against a real nginx: a new envelope is handed on once, an unchanged one is a 304. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnvelopePollerTest {

    private NginxServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void handsOnEachNewEnvelopeOnceAndSkipsUnchangedOnes() throws Exception {
        server = NginxServer.launch();
        Files.writeString(server.root().resolve("desired.json"), "first");
        List<String> received = new CopyOnWriteArrayList<>();
        EnvelopePoller poller = new EnvelopePoller(PackageDownload.newHttpClient(Duration.ofSeconds(5)),
                server.url("desired.json"), Duration.ofSeconds(10), (bytes, from) -> received.add(
                        new String(bytes, StandardCharsets.UTF_8)));

        poller.poll();
        poller.poll();
        assertEquals(List.of("first"), received, "the second fetch is a 304");
        List<NginxServer.Request> log = server.accessLog();
        assertEquals(List.of(200, 304), log.stream().map(NginxServer.Request::status).toList());

        Files.writeString(server.root().resolve("desired.json"), "second, longer");
        poller.poll();
        assertArrayEquals(new String[] {"first", "second, longer"}, received.toArray());
        poller.close();
    }
}
