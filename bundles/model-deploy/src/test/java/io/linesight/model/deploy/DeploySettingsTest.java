package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploySettingsTest {

    /** The configuration with its defaults, some values replaced. */
    static DeployConfig config(Map<String, Object> values) {
        return new DeployConfig() {
            @Override public Class<? extends Annotation> annotationType() { return DeployConfig.class; }
            @Override public String repositoryDirectory() { return (String) values.getOrDefault("repositoryDirectory", ""); }
            @Override public String trustedKeysDirectory() { return (String) values.getOrDefault("trustedKeysDirectory", ""); }
            @Override public boolean acceptUnsigned() { return (Boolean) values.getOrDefault("acceptUnsigned", false); }
            @Override public int maxPackageMegabytes() { return (Integer) values.getOrDefault("maxPackageMegabytes", 200); }
            @Override public boolean dropEnabled() { return (Boolean) values.getOrDefault("dropEnabled", true); }
            @Override public String dropDirectory() { return (String) values.getOrDefault("dropDirectory", ""); }
            @Override public long dropPollMs() { return (Long) values.getOrDefault("dropPollMs", 1000L); }
            @Override public int downloadTimeoutSeconds() { return (Integer) values.getOrDefault("downloadTimeoutSeconds", 120); }
            @Override public int keepVersionsPerModel() { return (Integer) values.getOrDefault("keepVersionsPerModel", 5); }
            @Override public int refusedRetentionHours() { return (Integer) values.getOrDefault("refusedRetentionHours", 24); }
            @Override public String modelRuntime_target() { return "(model.runtime=onnx)"; }
        };
    }

    @Test
    void defaultsFollowTheLaunchersFolders() {
        Map<String, String> props = Map.of("linesight.home", "/opt/ls", "linesight.data", "/var/ls",
                "linesight.config", "/opt/ls/config", "linesight.deploy", "/opt/ls/deploy");
        DeploySettings s = DeploySettings.from(config(Map.of()), props::get);
        assertEquals(Path.of("/var/ls/models"), s.repository());
        assertEquals(Path.of("/opt/ls/config/trusted-keys"), s.trustedKeys());
        assertEquals(Path.of("/opt/ls/deploy/models"), s.drop());
        assertEquals(200L << 20, s.maxPackageBytes());
        assertEquals(5, s.keepVersionsPerModel());
        assertEquals(java.time.Duration.ofHours(24), s.refusedRetention());
        assertTrue(s.describe().endsWith("keepVersionsPerModel=5, refusedRetentionHours=24"), s.describe());
    }

    @Test
    void zeroRetentionKeepsEverythingAndNegativeValuesAreRefused() {
        Map<String, String> props = Map.of();
        DeploySettings keepAll = DeploySettings.from(config(Map.of("keepVersionsPerModel", 0,
                "refusedRetentionHours", 0)), props::get);
        assertTrue(keepAll.describe().endsWith("keepVersionsPerModel=all, refusedRetentionHours=keep"),
                keepAll.describe());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeploySettings.from(
                config(Map.of("keepVersionsPerModel", -1)), props::get)).getMessage()
                .startsWith("keepVersionsPerModel is -1, must be 0..1000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeploySettings.from(
                config(Map.of("refusedRetentionHours", -24)), props::get)).getMessage()
                .startsWith("refusedRetentionHours is -24"));
    }

    @Test
    void withoutLauncherPropertiesTheRepositoryIsInTheTempFolderAndRelativePathsFollowHome() {
        Map<String, String> props = Map.of("java.io.tmpdir", "/tmp", "linesight.home", "/opt/ls");
        DeploySettings s = DeploySettings.from(config(Map.of("dropEnabled", false, "trustedKeysDirectory", "keys")),
                props::get);
        assertEquals(Path.of("/tmp/linesight/models"), s.repository());
        assertEquals(Path.of("/opt/ls/keys"), s.trustedKeys());
        assertNull(s.drop());
    }

    @Test
    void aBadValueIsRefusedNamingTheProperty() {
        Map<String, String> props = Map.of();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeploySettings.from(
                config(Map.of("maxPackageMegabytes", 0)), props::get)).getMessage().startsWith("maxPackageMegabytes is 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeploySettings.from(
                config(Map.of("dropPollMs", 10L)), props::get)).getMessage().startsWith("dropPollMs is 10"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeploySettings.from(
                config(Map.of("repositoryDirectory", "/x", "dropDirectory", "/x/drop")), props::get))
                .getMessage().contains("must not contain each other"));
    }
}
