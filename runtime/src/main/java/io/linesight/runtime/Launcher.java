package io.linesight.runtime;

import io.linesight.runtime.BundleFolders.Scan;
import io.linesight.runtime.FrameworkSettings.Folders;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LineSight executable: {@code java -jar linesight.jar [--config dir] [--data dir] [--deploy dir]}.
 *
 * <p>Embeds Apache Felix, installs {@code bundles/<level>/*.jar} (found beside this jar, whatever the
 * working directory) at their start levels, starts them lowest level first, and runs until the
 * framework stops: SIGTERM, Ctrl-C, {@code stop 0} in the shell. Exit status: 0 after a clean stop,
 * 1 when the runtime cannot start or stop cleanly, 2 for a bad command line.
 */
public final class Launcher {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    private static final int MIN_BEGINNING_LEVEL = 5;

    private final Folders folders;
    private final boolean interactive;
    private final boolean strict;
    private Logger log;
    /** Held (never released by us) so no second runtime starts on the same data folder. */
    @SuppressWarnings("unused")
    private FileLock dataLock;

    private Launcher(LauncherOptions options, boolean interactive) {
        this.folders = new Folders(options.config(), options.data(), options.deploy());
        this.interactive = interactive;
        this.strict = options.strict();
    }

    /** Entry point; exits the JVM with the status described in the class comment. */
    public static void main(String[] args) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(Path.of(""), args);
        } catch (UsageException e) {
            System.err.println("linesight: " + e.getMessage());
            System.err.print(LauncherOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(LauncherOptions.USAGE);
            return;
        }
        System.exit(new Launcher(options, System.console() != null).run());
    }

    private int run() {
        prepareJvm();
        log = LoggerFactory.getLogger(Launcher.class);
        log.info("LineSight {} starting: config {}, data {}, deploy {}", version(), folders.config(),
                folders.data(), folders.deploy());
        try {
            Scan scan = prepareFolders();
            return runFramework(scan);
        } catch (DataFolderLock.HeldException e) {
            log.error(e.getMessage());
        } catch (NoSuchFileException e) {
            log.error(e.getReason() != null ? e.getReason() : "No such folder: " + e.getFile());
        } catch (IOException e) {
            log.error("Cannot prepare the runtime folders: {}: {}", e.getClass().getSimpleName(), e.getMessage());
        } catch (BundleException e) {
            log.error("The OSGi framework did not start: {}", FailureReasons.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LoggingSetup.stop();
        return EXIT_FAILED;
    }

    /** System properties first: Logback and the bundles read them when they start. */
    private void prepareJvm() {
        FrameworkSettings.systemProperties(folders).forEach(System::setProperty);
        if (!interactive) {
            // JLine would warn that it fell back to a dumb terminal; without a console that is expected
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        LoggingSetup.chooseConfiguration(folders.config());
        LoggingSetup.start();
    }

    private Scan prepareFolders() throws IOException {
        if (!Files.isDirectory(folders.config())) {
            log.warn("Configuration folder {} does not exist: LineSight starts with no lines", folders.config());
        }
        Files.createDirectories(folders.data());
        dataLock = DataFolderLock.acquire(folders.data());
        Files.createDirectories(folders.deploy());
        FrameworkSettings.writeDeployWatcher(folders);
        if (!interactive) {
            FrameworkSettings.writeHeadlessShellProfile(folders);
        }
        Path bundles = BundleFolders.locate(Launcher.class);
        if (!Files.isDirectory(bundles)) {
            throw new NoSuchFileException(bundles.toString(), null, "No bundles folder at " + bundles
                    + ": linesight.jar expects bundles/<start level>/*.jar beside it (as built by mvn package)");
        }
        Scan scan = BundleFolders.scan(bundles);
        scan.ignored().forEach(p -> log.warn("Ignoring {}: bundles belong in {}/<start level>/*.jar", p, bundles));
        log.info("Bundles: {} jars in start levels 1..{} under {}", scan.jars().size(), scan.highestLevel(), bundles);
        return scan;
    }

    private int runFramework(Scan scan) throws BundleException, InterruptedException {
        Map<String, Object> properties = FrameworkSettings.frameworkProperties(folders,
                Math.max(MIN_BEGINNING_LEVEL, scan.highestLevel()), interactive, Files.isDirectory(folders.config()));
        Framework framework = new Felix(properties);
        framework.init();
        new OsgiLogBridge(framework.getBundleContext()).open();
        RuntimeEventLogger events = new RuntimeEventLogger();
        framework.getBundleContext().addBundleListener(events);
        framework.getBundleContext().addFrameworkListener(events);
        ShutdownHandler shutdown = new ShutdownHandler(framework, events);
        shutdown.install();
        boolean complete = startBundles(framework, scan, events);
        if (!complete && strict) {
            log.error("--strict: LineSight stops because part of it did not start (see the line above); fix that"
                    + " or start without --strict to run with what started");
            framework.stop();
        }
        FrameworkEvent stopped = shutdown.awaitStop();
        if (!shutdown.claimExit()) {
            Thread.currentThread().join(); // the shutdown hook owns the exit; the JVM is going down
        }
        int status = shutdown.report(stopped);
        LoggingSetup.stop();
        return !complete && strict ? EXIT_FAILED : status;
    }

    /** Installs and starts the bundles; true when every bundle and every listening port came up. */
    private boolean startBundles(Framework framework, Scan scan, RuntimeEventLogger events)
            throws BundleException, InterruptedException {
        long started = System.nanoTime();
        framework.start();
        try {
            StartupReport report = new BundleStarter(framework.getBundleContext()).installAndStart(scan.jars());
            List<String> ports = new EndpointCheck(framework.getBundleContext(),
                    HttpPortSettings.read(folders.config())).failures();
            String summary = report.summary((System.nanoTime() - started) / 1_000_000, ports);
            boolean complete = report.failed().isEmpty() && ports.isEmpty();
            if (complete) {
                log.info(summary);
            } else {
                log.warn(summary);
            }
            events.startupDone();
            return complete;
        } catch (IllegalStateException e) {
            // a stop request (SIGTERM) arrived while bundles were still being installed
            log.info("Startup interrupted: the framework is stopping");
            return true;
        }
    }

    private static String version() {
        String v = Launcher.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
