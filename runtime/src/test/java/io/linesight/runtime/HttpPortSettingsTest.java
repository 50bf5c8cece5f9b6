package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpPortSettingsTest {

    @TempDir
    Path config;

    @Test
    void theConfiguredPortIsUsedFromTheFirstMomentNotTheDefault() throws Exception {
        Files.writeString(config.resolve(HttpPortSettings.FILE),
                "org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=18123\n");
        String before = System.clearProperty(HttpPortSettings.PORT);
        try {
            HttpPortSettings http = HttpPortSettings.read(config);
            assertEquals(18123, http.port());
            assertEquals("127.0.0.1", http.host());
            assertTrue(http.enabled());
            FrameworkSettings.Folders folders = new FrameworkSettings.Folders(config, config.resolve("var"),
                    config.resolve("deploy"));
            assertEquals("18123", FrameworkSettings.frameworkProperties(folders, 4, false, true).get(HttpPortSettings.PORT));
        } finally {
            if (before != null) {
                System.setProperty(HttpPortSettings.PORT, before);
            }
        }
    }

    @Test
    void noFileOrAnUnreadablePortGivesTheLoopbackDefaultAndDisabledIsRead() throws Exception {
        String before = System.clearProperty(HttpPortSettings.PORT);
        try {
            assertEquals(new HttpPortSettings("127.0.0.1", 8080, true), HttpPortSettings.read(config));
            Files.writeString(config.resolve(HttpPortSettings.FILE),
                    "org.osgi.service.http.port=eighty\norg.apache.felix.http.enable=false\n");
            HttpPortSettings http = HttpPortSettings.read(config);
            assertEquals(8080, http.port());
            assertFalse(http.enabled());
        } finally {
            if (before != null) {
                System.setProperty(HttpPortSettings.PORT, before);
            }
        }
    }

    @Test
    void summaryNamesEveryPortThatCouldNotBeOpened() {
        StartupReport report = new StartupReport(List.of("a 1.0"), List.of(), List.of());
        assertEquals("LineSight started: 1 bundles active, 0 failed, 0 fragments, in 1.5 s; 2 FAILED: OPC UA port 4840"
                + " in use, HTTP port 8080 in use", report.summary(1500, List.of("OPC UA port 4840 in use",
                "HTTP port 8080 in use")));
        assertEquals("LineSight started: 1 bundles active, 0 failed, 0 fragments, in 1.5 s", report.summary(1500));
    }

    @Test
    void aPortHeldByAnotherSocketIsReportedTaken() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertTrue(EndpointCheck.portTaken("127.0.0.1", held.getLocalPort()));
        }
    }
}
