package io.linesight.fleet.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link FleetSettings}: defaults follow the model deployment and the Sparkplug node; bad values are named. */
class FleetSettingsTest {

    private static final Map<String, String> PROPERTIES = Map.of("linesight.home", "/opt/ls",
            "linesight.config", "/opt/ls/config", "linesight.data", "/var/ls");

    @Test
    void defaultsAreTheModelDeploymentsKeysAndFoldersUnderData() {
        FleetSettings s = FleetSettings.from(config("plant", "box1", "", "", ""), PROPERTIES::get);
        assertEquals(Path.of("/opt/ls/config/trusted-keys"), s.trustedKeys());
        assertEquals(Path.of("/var/ls/fleet"), s.stateFolder());
        assertEquals(Path.of("/var/ls/fleet/downloads"), s.downloadFolder());
        assertEquals(200L << 20, s.download().maxPackageBytes());
        assertEquals(Optional.empty(), s.pollUrl());
        assertEquals("box1", s.edgeNodeId());
    }

    @Test
    void withoutLinesightConfigTheKeysAreUnderHomeAsForTheModelDeployment() {
        FleetSettings s = FleetSettings.from(config("plant", "", "", "", "https://cdn.example/desired/box1.json"),
                Map.of("linesight.home", "/opt/ls")::get);
        assertEquals(Path.of("/opt/ls/config/trusted-keys"), s.trustedKeys());
        assertFalse(s.edgeNodeId().isEmpty(), "the host name");
        assertEquals(Optional.of(URI.create("https://cdn.example/desired/box1.json")), s.pollUrl());
    }

    @Test
    void badValuesAreRefusedNamingTheProperty() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FleetSettings.from(config("pl/ant", "box1", "", "", ""), PROPERTIES::get));
        assertTrue(e.getMessage().startsWith("groupId"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FleetSettings.from(config("plant", "box1", "", "", "ftp://x/y"), PROPERTIES::get));
        assertTrue(e.getMessage().startsWith("pollUrl"), e.getMessage());
    }

    private static FleetConfig config(String group, String node, String keys, String downloads, String poll) {
        return new FleetConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FleetConfig.class;
            }

            @Override
            public String groupId() {
                return group;
            }

            @Override
            public String edgeNodeId() {
                return node;
            }

            @Override
            public String trustedKeysDirectory() {
                return keys;
            }

            @Override
            public String downloadFolder() {
                return downloads;
            }

            @Override
            public int maxPackageMegabytes() {
                return 200;
            }

            @Override
            public int freeSpaceMarginMegabytes() {
                return 256;
            }

            @Override
            public long bytesPerSecond() {
                return 0;
            }

            @Override
            public String pollUrl() {
                return poll;
            }

            @Override
            public int pollSeconds() {
                return 300;
            }
        };
    }
}
