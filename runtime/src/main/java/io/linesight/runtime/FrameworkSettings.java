package io.linesight.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Constants;

/**
 * The Felix framework properties and JVM system properties of a LineSight runtime.
 *
 * <p>FileInstall runs two kinds of watchers: the framework-property watcher applies {@code *.cfg} /
 * {@code *.config} files from the config folder (and from {@code <data>/fileinstall}, where the
 * launcher writes the second watcher's definition), and a factory-configured watcher installs and
 * starts {@code *.jar} files dropped into the deploy folder.
 */
final class FrameworkSettings {

    /** SLF4J versions the system bundle exports: 2.x for new code, 1.7.36 for [1.7,2) importers. */
    static final List<String> SLF4J_EXPORT_VERSIONS = List.of("2.0.17", "1.7.36");
    static final List<String> SLF4J_PACKAGES = List.of("org.slf4j", "org.slf4j.spi", "org.slf4j.event",
            "org.slf4j.helpers");

    /** Start level of bundles dropped into the deploy folder: beside the LineSight bundles. */
    static final int DEPLOY_START_LEVEL = 3;
    static final String POLL_MILLIS = "1000";
    /** FileInstall log level 3 = info: configuration and bundle changes are worth a line each. */
    static final String FILEINSTALL_LOG_LEVEL = "3";
    static final String WATCHER_FILE = "org.apache.felix.fileinstall-deploy.cfg";

    private FrameworkSettings() {
    }

    /** The folders of one runtime. */
    record Folders(Path config, Path data, Path deploy) {
        Path cache() {
            return data.resolve("felix-cache");
        }

        Path watchers() {
            return data.resolve("fileinstall");
        }

        Path gogoHome() {
            return data.resolve("gogo");
        }
    }

    /** JVM system properties that bundles read: our folders and the JavaCPP native cache. */
    static Map<String, String> systemProperties(Folders folders) {
        return Map.of(
                "linesight.config", folders.config().toString(),
                "linesight.data", folders.data().toString(),
                "linesight.deploy", folders.deploy().toString(),
                "org.bytedeco.javacpp.cachedir", folders.data().resolve("javacpp-cache").toString());
    }

    /**
     * Framework properties for Felix.
     *
     * @param beginningLevel start level the framework moves to (the highest bundle level, at least 4)
     * @param interactive    whether a terminal is attached, so gogo may run an interactive shell
     * @param configPresent  whether the config folder exists (a missing one is not watched, not created)
     */
    static Map<String, Object> frameworkProperties(Folders folders, int beginningLevel, boolean interactive,
            boolean configPresent) {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, folders.cache().toString());
        // bundles come from bundles/ and deploy/ on every start; configuration from config/
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(beginningLevel));
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, slf4jExports());
        p.put("felix.log.level", "2");
        p.put("felix.log.logger", new FelixLogBridge());
        p.put("ds.loglevel", "warn");
        // The HTTP service's address from its configuration file, so Jetty binds there at once (never on the
        // default 8080 first) and never on every interface, not even for a moment
        HttpPortSettings http = HttpPortSettings.read(folders.config());
        p.put(HttpPortSettings.HOST, http.host());
        p.put(HttpPortSettings.PORT, Integer.toString(http.port()));
        // OSGi Log service (Felix Log): record INFO and up; the launcher forwards entries to SLF4J
        p.put("org.osgi.service.log.admin.loglevel", "INFO");
        p.putAll(configWatcher(folders, configPresent));
        if (!interactive) {
            // without a terminal an interactive shell would read EOF and stop the framework
            p.put("gosh.args", "--nointeractive");
            // gogo's default profile sets line-editor options and fails without a terminal
            p.put("gosh.home", folders.gogoHome().toString());
        }
        return p;
    }

    /** {@code org.slf4j;version=2.0.17,...,org.slf4j;version=1.7.36,...}: each package at both versions. */
    static String slf4jExports() {
        return SLF4J_EXPORT_VERSIONS.stream()
                .flatMap(v -> SLF4J_PACKAGES.stream().map(p -> p + ";version=" + v))
                .collect(Collectors.joining(","));
    }

    private static Map<String, String> configWatcher(Folders folders, boolean configPresent) {
        String dirs = configPresent ? folders.config() + "," + folders.watchers() : folders.watchers().toString();
        return Map.of(
                "felix.fileinstall.dir", dirs,
                "felix.fileinstall.filter", ".*\\.(cfg|config)",
                "felix.fileinstall.poll", POLL_MILLIS,
                "felix.fileinstall.noInitialDelay", "true",
                // never rewrite the operator's files when a configuration is changed from the shell
                "felix.fileinstall.enableConfigSave", "false",
                "felix.fileinstall.log.level", FILEINSTALL_LOG_LEVEL,
                "felix.fileinstall.log.default", "jul");
    }

    /**
     * Writes {@code <data>/fileinstall/org.apache.felix.fileinstall-deploy.cfg}: a FileInstall factory
     * configuration for the deploy-folder watcher. Rewritten on every start so it follows --deploy.
     */
    static Path writeDeployWatcher(Folders folders) throws IOException {
        Files.createDirectories(folders.watchers());
        Path file = folders.watchers().resolve(WATCHER_FILE);
        Files.write(file, deployWatcherLines(folders));
        return file;
    }

    /**
     * Writes {@code <data>/gogo/etc/gosh_profile} for a shell without a terminal: the gogo default
     * profile configures the line editor, which does not exist then, and dumps a stack trace.
     */
    static void writeHeadlessShellProfile(Folders folders) throws IOException {
        Path etc = folders.gogoHome().resolve("etc");
        Files.createDirectories(etc);
        Files.write(etc.resolve("gosh_profile"), List.of(
                "# Written by the LineSight launcher for a shell without a terminal (gosh --nointeractive).",
                "SCOPE = 'gogo:*'",
                "addcommand context ${.context}",
                // the prompt the default profile would set; telnet scripts wait for it
                "prompt = 'g! '"));
    }

    static List<String> deployWatcherLines(Folders folders) {
        return Stream.of(
                "# Written by the LineSight launcher at every start; edits are overwritten.",
                "# A second FileInstall watcher: bundles (*.jar) dropped into the deploy folder.",
                "felix.fileinstall.dir = " + folders.deploy(),
                // [.] rather than \\. : .cfg files are read with backslash escapes
                "felix.fileinstall.filter = .*[.]jar",
                "felix.fileinstall.poll = " + POLL_MILLIS,
                "felix.fileinstall.noInitialDelay = true",
                "felix.fileinstall.bundles.new.start = true",
                "felix.fileinstall.start.level = " + DEPLOY_START_LEVEL,
                "felix.fileinstall.log.level = " + FILEINSTALL_LOG_LEVEL).toList();
    }
}
