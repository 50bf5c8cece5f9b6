package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.runtime.BundleFolders.BundleJar;
import io.linesight.runtime.StartupReport.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

/** Installs generated bundles into a real embedded Felix and checks what the starter reports. */
class BundleStarterTest {

    @TempDir
    Path tmp;

    private Framework framework;

    @BeforeEach
    void startFramework() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "4");
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FrameworkSettings.slf4jExports());
        props.put("felix.log.logger", new FelixLogBridge());
        framework = new Felix(props);
        framework.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    void startsWhatResolvesAndNamesTheMissingPackageOfTheRest() throws IOException {
        List<BundleJar> jars = List.of(
                jar(1, "t.provider", Map.of("Export-Package", "com.example.provided;version=1.5")),
                jar(2, "t.consumer", Map.of("Import-Package", "com.example.provided;version=\"[1.0,2)\"")),
                jar(2, "t.missing", Map.of("Import-Package", "com.example.nothere;version=\"[1.2,2)\"")));

        StartupReport report = new BundleStarter(framework.getBundleContext()).installAndStart(jars);

        assertEquals(List.of("t.provider 1.0.0", "t.consumer 1.0.0"), report.active());
        assertEquals(List.of(new Failure("t.missing 1.0.0",
                "failed to start: missing package com.example.nothere [1.2.0,2.0.0)")), report.failed());
        assertEquals(Bundle.ACTIVE, bundle("t.consumer").getState());
        assertEquals(2, bundle("t.consumer").adapt(BundleStartLevel.class).getStartLevel());
        assertTrue(bundle("t.consumer").adapt(BundleStartLevel.class).isPersistentlyStarted());
    }

    @Test
    void theLastLevelWaitsUntilNoLineIsStartingAnyMore() throws Exception {
        java.util.Hashtable<String, Object> starting = new java.util.Hashtable<>(
                Map.of(BundleStarter.STARTING_LINE, "default"));
        org.osgi.framework.ServiceRegistration<?> line = framework.getBundleContext()
                .registerService(Object.class, new Object(), starting);
        java.util.concurrent.atomic.AtomicLong lastLevelStarted = new java.util.concurrent.atomic.AtomicLong();
        framework.getBundleContext().addBundleListener((org.osgi.framework.SynchronousBundleListener) event -> {
            if (event.getType() == org.osgi.framework.BundleEvent.STARTED
                    && event.getBundle().getSymbolicName().equals("t.surface")) {
                lastLevelStarted.set(System.nanoTime());
            }
        });
        long withdrawnAt = System.nanoTime() + 400_000_000L;
        Thread loader = new Thread(() -> {
            java.util.concurrent.locks.LockSupport.parkNanos(withdrawnAt - System.nanoTime());
            line.unregister(); // the line left STARTING
        });
        loader.start();

        new BundleStarter(framework.getBundleContext()).installAndStart(List.of(jar(1, "t.line", Map.of()),
                jar(2, "t.surface", Map.of())));
        loader.join();

        assertTrue(lastLevelStarted.get() >= withdrawnAt, "the last level started "
                + (withdrawnAt - lastLevelStarted.get()) / 1_000_000 + " ms before the line left STARTING");
        assertEquals(Bundle.ACTIVE, bundle("t.surface").getState());
    }

    @Test
    void explainsAFailureThatComesFromADependency() throws IOException {
        List<BundleJar> jars = List.of(
                jar(1, "t.chainprovider", Map.of("Export-Package", "com.example.chained",
                        "Import-Package", "com.example.absent")),
                jar(3, "t.chain", Map.of("Import-Package", "com.example.chained")));

        Map<String, String> reasons = reasons(new BundleStarter(framework.getBundleContext()).installAndStart(jars));

        assertEquals("failed to start: missing package com.example.absent", reasons.get("t.chainprovider 1.0.0"));
        assertEquals("failed to start: missing package com.example.chained (offered by t.chainprovider, which "
                + "cannot resolve: missing package com.example.absent)", reasons.get("t.chain 1.0.0"));
    }

    @Test
    void resolvesImportersOfBothSlf4jVersionsAgainstTheSystemBundle() throws IOException {
        List<BundleJar> jars = List.of(
                jar(2, "t.slf4j17", Map.of("Import-Package", "org.slf4j;version=\"[1.7,2)\",org.slf4j.helpers;version=\"[1.7,2)\"")),
                jar(2, "t.slf4j2", Map.of("Import-Package", "org.slf4j;version=\"[2.0,3)\",org.slf4j.spi;version=\"[2.0,3)\",org.slf4j.event;version=\"[2.0,3)\"")));

        StartupReport report = new BundleStarter(framework.getBundleContext()).installAndStart(jars);

        assertEquals(List.of(), report.failed());
        assertEquals(List.of("t.slf4j17 1.0.0", "t.slf4j2 1.0.0"), report.active());
    }

    @Test
    void attachesFragmentsAndReportsOrphansAndBrokenJars() throws IOException {
        Path garbage = Files.writeString(Files.createDirectories(tmp.resolve("bundles/2")).resolve("garbage.jar"),
                "not a zip file");
        List<BundleJar> jars = List.of(
                jar(1, "t.host", Map.of()),
                jar(2, "t.fragment", Map.of("Fragment-Host", "t.host")),
                jar(2, "t.orphan", Map.of("Fragment-Host", "t.nohost")),
                new BundleJar(2, garbage));

        StartupReport report = new BundleStarter(framework.getBundleContext()).installAndStart(jars);

        assertEquals(List.of("t.host 1.0.0"), report.active());
        assertEquals(List.of("t.fragment 1.0.0"), report.fragments());
        Map<String, String> reasons = reasons(report);
        assertEquals("fragment did not attach to its host t.nohost", reasons.get("t.orphan 1.0.0"));
        assertTrue(reasons.get("garbage.jar").startsWith("cannot be installed: "), reasons.toString());
        assertTrue(reasons.get("garbage.jar").endsWith("(ZipException: zip END header not found)"), reasons.toString());
        assertTrue(report.summary(1500).startsWith(
                "LineSight started: 1 bundles active, 2 failed (garbage.jar, t.orphan 1.0.0), 1 fragments, in 1.5 s"),
                report.summary(1500));
    }

    private BundleJar jar(int level, String name, Map<String, String> headers) throws IOException {
        return new BundleJar(level, TestBundles.write(tmp.resolve("bundles/" + level + "/" + name + ".jar"), name, headers));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("not installed: " + symbolicName);
    }

    private static Map<String, String> reasons(StartupReport report) {
        return report.failed().stream().collect(Collectors.toMap(Failure::bundle, Failure::reason));
    }
}
