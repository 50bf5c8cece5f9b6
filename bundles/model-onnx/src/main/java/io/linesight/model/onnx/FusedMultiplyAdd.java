package io.linesight.model.onnx;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * {@code a * b + c} as one fused instruction where the JIT has one, plain arithmetic elsewhere.
 *
 * <p>{@link Math#fma} is a single instruction on CPUs with FMA3 (the JIT's {@code UseFMA}), which saves a
 * tenth to a fifth of the resize pass; without it, the JDK computes it in {@code BigDecimal}, thousands of
 * times slower, and the fanless Atom/Celeron boxes of many production lines have no FMA. So the fused form is
 * used only when the running JVM says it compiles it to the instruction; the two forms differ by at most one
 * float rounding.
 */
final class FusedMultiplyAdd {

    /** True when {@link Math#fma} compiles to a hardware instruction in this JVM. */
    static final boolean IN_HARDWARE = jitUsesFma();

    private FusedMultiplyAdd() {
    }

    /** {@code a * b + c}, fused (one rounding) when the hardware does it. */
    static float mulAdd(float a, float b, float c) {
        return IN_HARDWARE ? Math.fma(a, b, c) : a * b + c;
    }

    /** HotSpot's UseFMA flag, read through the platform MBean server (no compile-time JDK-internal API). */
    private static boolean jitUsesFma() {
        try {
            Object option = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "getVMOption",
                    new Object[] {"UseFMA"}, new String[] {String.class.getName()});
            return "true".equals(((CompositeData) option).get("value"));
        } catch (Exception | LinkageError notHotSpot) {
            return false; // another JVM, or management not available: plain arithmetic is always fast
        }
    }
}
