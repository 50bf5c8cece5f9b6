package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.felix.log.LogException;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleException;

class FailureReasonsTest {

    // as Felix 7.0.5 words it (captured from BundleStarterTest's bundles)
    private static final String MISSING_EXTENDER = "Unable to resolve io.x [7](R 7.0): missing requirement "
            + "[io.x [7](R 7.0)] osgi.extender; (&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0)))"
            + " Unresolved requirements: [[io.x [7](R 7.0)] osgi.extender; (&(osgi.extender=osgi.component)"
            + "(version>=1.5.0)(!(version>=2.0.0)))]";

    @Test
    void namesTheMissingPackageAndItsRange() {
        String message = "Unable to resolve io.x [7](R 7.0): missing requirement [io.x [7](R 7.0)] "
                + "osgi.wiring.package; (&(osgi.wiring.package=com.example.foo)(version>=1.2.0)(!(version>=2.0.0)))"
                + " Unresolved requirements: [[io.x [7](R 7.0)] osgi.wiring.package; "
                + "(&(osgi.wiring.package=com.example.foo)(version>=1.2.0)(!(version>=2.0.0)))]";

        assertEquals("missing package com.example.foo [1.2.0,2.0.0)",
                FailureReasons.describe(new BundleException(message)));
    }

    @Test
    void namesAMissingPackageWithoutVersion() {
        String message = "Unable to resolve io.x [7](R 7.0): missing requirement [io.x [7](R 7.0)] "
                + "osgi.wiring.package; (osgi.wiring.package=com.example.foo) Unresolved requirements: []";

        assertEquals("missing package com.example.foo", FailureReasons.describe(new BundleException(message)));
    }

    @Test
    void keepsOtherRequirementsReadable() {
        assertEquals("missing requirement osgi.extender (&(osgi.extender=osgi.component)(version>=1.5.0)"
                + "(!(version>=2.0.0)))", FailureReasons.describe(new BundleException(MISSING_EXTENDER)));
    }

    @Test
    void addsTheRootCauseOfOtherFailures() {
        BundleException e = new BundleException("Activator start error in bundle io.x [7].",
                new IllegalStateException("port 502 in use"));

        assertEquals("Activator start error in bundle io.x [7]. (IllegalStateException: port 502 in use)",
                FailureReasons.describe(e));
    }

    @Test
    void keepsOnlyTheFirstLineOfLongMessages() {
        assertEquals("Uses constraint violation. Unable to resolve io.x.",
                FailureReasons.describe(new BundleException("Uses constraint violation. Unable to resolve io.x.\n\n"
                        + "  Chain 1:\n  io.x [7]")));
    }

    @Test
    void seesThroughFelixLogCopiesOfExceptions() {
        Throwable copy = new LogException("org.osgi.framework.BundleException: " + MISSING_EXTENDER);

        assertEquals("org.osgi.framework.BundleException", FailureReasons.originalClassName(copy));
        assertEquals(MISSING_EXTENDER, FailureReasons.originalMessage(copy));
        assertTrue(LogForwarding.isExpected(copy));
        assertFalse(LogForwarding.isExpected(new LogException("java.lang.NullPointerException: x")));
    }
}
