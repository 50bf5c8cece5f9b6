package io.linesight.fleet.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * {@link FleetConfig} checked and resolved: a bad value is refused with a sentence naming the property.
 *
 * @param groupId        Sparkplug group of this box
 * @param edgeNodeId     Sparkplug edge node id of this box
 * @param trustedKeys    the trusted-keys folder (the model deployment's, by the same rule)
 * @param stateFolder    {@code <linesight.data>/fleet}: {@code state.json}
 * @param downloadFolder where packages are downloaded
 * @param download       download bounds and pacing
 * @param pollUrl        the polled envelope, if any
 * @param pollInterval   how often it is fetched
 */
record FleetSettings(String groupId, String edgeNodeId, Path trustedKeys, Path stateFolder, Path downloadFolder,
                     DownloadSettings download, Optional<URI> pollUrl, Duration pollInterval) {

    /** As the Sparkplug node checks its ids: a topic level, no '/', '+', '#', no white space. */
    private static final Pattern SPARKPLUG_ID = Pattern.compile("[^/+#*\\s]{1,100}");

    static FleetSettings from(FleetConfig c, UnaryOperator<String> properties) {
        String group = sparkplugId("groupId", c.groupId().trim());
        String node = c.edgeNodeId().trim().isEmpty() ? hostName() : sparkplugId("edgeNodeId", c.edgeNodeId().trim());
        Path home = Path.of(orEmpty(properties.apply("linesight.home"))).toAbsolutePath().normalize();
        // the model deployment's rule (DeploySettings), so that both trust the same keys by default
        Path keys = folder("trustedKeysDirectory", c.trustedKeysDirectory(), home,
                defaultUnder(properties, "linesight.config", "trusted-keys", home.resolve("config/trusted-keys")));
        String data = properties.apply("linesight.data");
        Path fleet = (data == null || data.isBlank()
                ? Path.of(orEmpty(properties.apply("java.io.tmpdir")), "linesight") : Path.of(data))
                .resolve("fleet").toAbsolutePath().normalize();
        Path downloads = folder("downloadFolder", c.downloadFolder(), home, fleet.resolve("downloads"));
        long maxMb = range("maxPackageMegabytes", c.maxPackageMegabytes(), 1, 4096);
        long marginMb = range("freeSpaceMarginMegabytes", c.freeSpaceMarginMegabytes(), 0, 65536);
        long rate = range("bytesPerSecond", c.bytesPerSecond(), 0, Long.MAX_VALUE);
        DownloadSettings download = DownloadSettings.builder().maxPackageBytes(maxMb << 20)
                .freeSpaceMarginBytes(marginMb << 20).bytesPerSecond(rate).build();
        Optional<URI> poll = pollUrl(c.pollUrl());
        long pollSeconds = range("pollSeconds", c.pollSeconds(), 10, 86_400);
        return new FleetSettings(group, node, keys, fleet, downloads, download, poll, Duration.ofSeconds(pollSeconds));
    }

    /** One line for the log. */
    String describe() {
        return "group " + groupId + ", node " + edgeNodeId + ", trusted keys " + trustedKeys + ", state " + stateFolder
                + ", downloads " + downloadFolder + " (max " + Sizes.format(download.maxPackageBytes()) + ", rate "
                + (download.bytesPerSecond() == 0 ? "unlimited" : Sizes.format(download.bytesPerSecond()) + "/s")
                + "), poll " + pollUrl.map(u -> u + " every " + pollInterval.toSeconds() + " s").orElse("off");
    }

    private static Optional<URI> pollUrl(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pollUrl '" + value + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("pollUrl '" + value + "' must be an http:// or https:// URL with a host");
        }
        return Optional.of(uri);
    }

    private static String sparkplugId(String property, String value) {
        if (!SPARKPLUG_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(property + " '" + value + "' must be 1 to 100 characters without '/',"
                    + " '+', '#', '*' or white space (a Sparkplug id, as the Sparkplug node's)");
        }
        return value;
    }

    // The Sparkplug node's rule for an empty edgeNodeId, so that both name the box alike.
    private static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "linesight");
        }
        return name.replaceAll("[/+#\\s]", "_");
    }

    private static Path defaultUnder(UnaryOperator<String> properties, String property, String child, Path fallback) {
        String base = properties.apply(property);
        return base == null || base.isBlank() ? fallback : Path.of(base).resolve(child);
    }

    private static Path folder(String property, String value, Path home, Path fallback) {
        if (value == null || value.isBlank()) {
            return fallback.toAbsolutePath().normalize();
        }
        try {
            return home.resolve(value.trim()).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(property + " '" + value + "' is not a valid path: " + e.getReason());
        }
    }

    private static long range(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " is " + value + ", must be " + min + ".." + max);
        }
        return value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
