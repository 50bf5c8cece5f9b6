package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class FusedMultiplyAddTest {

    @Test
    void fusesExactlyWhenTheJvmCompilesFmaToAnInstruction() {
        boolean jitFlag = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("UseFMA").getValue().equals("true");
        assertEquals(jitFlag, FusedMultiplyAdd.IN_HARDWARE);
        // (1 + 2^-12)^2 - 1: the product's last bit (2^-24) survives only when the multiply-add is fused.
        float a = 1f + 0x1p-12f;
        float fused = Math.fma(a, a, -1f);
        float plain = a * a - 1f;
        assertNotEquals(fused, plain, "the example must tell the two apart");
        assertEquals(FusedMultiplyAdd.IN_HARDWARE ? fused : plain, FusedMultiplyAdd.mulAdd(a, a, -1f));
    }
}
