package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** Which bundles the upgrade refuses; the upgrade itself is proven end to end in integration-tests. */
class BundleUpgradeTest {

    private static Manifest manifest(String bsn, String nativeCode) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        if (nativeCode != null) {
            m.getMainAttributes().putValue("Bundle-NativeCode", nativeCode);
        }
        return m;
    }

    @Test
    void nativeWrappersTheApiAndPlainJarsAreRefusedWithTheReason() {
        assertTrue(BundleUpgrade.refusal("io.linesight.lib.onnxruntime", manifest("io.linesight.lib.onnxruntime", null))
                .orElseThrow().contains("native-library wrapper"));
        assertTrue(BundleUpgrade.refusal("com.acme.camera", manifest("com.acme.camera", "lib/libcam.so;osname=Linux"))
                .orElseThrow().contains("restart"));
        assertTrue(BundleUpgrade.refusal("io.linesight.api", manifest("io.linesight.api", null)).orElseThrow()
                .contains("API bundle"));
        assertTrue(BundleUpgrade.refusal(null, manifest(null, null)).orElseThrow().contains("not an OSGi bundle"));
    }

    @Test
    void cameraRunnerAndOutputBundlesMayBeUpgraded() {
        assertTrue(BundleUpgrade.refusal("io.linesight.camera.javacv", manifest("io.linesight.camera.javacv", null)).isEmpty());
        assertTrue(BundleUpgrade.refusal("io.linesight.model.onnx", manifest("io.linesight.model.onnx", null)).isEmpty());
        assertEquals("io.linesight.plc.modbus",
                BundleUpgrade.symbolicName(manifest("io.linesight.plc.modbus;singleton:=true", null)));
    }
}
