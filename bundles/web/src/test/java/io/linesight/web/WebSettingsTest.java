package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSettingsTest {

    private static String refusal(Map<String, Object> values) {
        return assertThrows(IllegalArgumentException.class,
                () -> WebSettings.from(Fakes.webConfig(values), Path.of("/opt/linesight"))).getMessage();
    }

    @Test
    void defaultsAreValidAndPackagesResolveAgainstTheHome() {
        WebSettings s = WebSettings.from(Fakes.webConfig(Map.of()), Path.of("/opt/linesight"));
        assertEquals(8L * 1024 * 1024, s.maxUploadBytes());
        assertEquals(200L * 1024 * 1024, s.maxPackageBytes());
        assertEquals(Path.of("/opt/linesight/models/defect-mobilenetv2"), s.uploadPackages().get(0));
        assertEquals(WebConfig.ReadAccess.LOOPBACK, s.readAccess());
    }

    @Test
    void badValuesAreRefusedNamingTheProperty() {
        assertTrue(refusal(Map.of("maxUploadMegabytes", 0)).contains("maxUploadMegabytes must be within 1..64, was 0"));
        assertTrue(refusal(Map.of("maxStreamClients", 1000)).contains("maxStreamClients"));
        assertTrue(refusal(Map.of("latencyBucketsMs", new double[] {10, 5})).contains("latencyBucketsMs"));
        assertTrue(refusal(Map.of("maxPackageMegabytes", 4096)).contains("maxPackageMegabytes must be within 1..2048"));
        assertTrue(refusal(Map.of("streamIntervalMs", 10)).contains("io.linesight.web: streamIntervalMs"));
    }
}
