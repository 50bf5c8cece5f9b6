package io.linesight.model.deploy;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The validated, immutable form of {@link DeployConfig}: folders resolved, sizes in bytes. A bad value is
 * refused with a message naming the property; nothing is silently defaulted.
 *
 * @param repository      model repository root
 * @param trustedKeys     folder of trusted public keys
 * @param acceptUnsigned  demo mode: unsigned packages are stored (loudly)
 * @param maxPackageBytes bound on a zip and on what it unpacks to
 * @param drop            drop folder, or null when the drop folder is disabled
 * @param dropPollMs      drop folder poll interval
 * @param downloadTimeout bound on one download
 * @param home            folder relative paths (console arguments) resolve against
 * @param keepVersionsPerModel retention: newest versions kept per model name; 0 keeps all
 * @param refusedRetention retention: how long refused versions and drop-folder refusals are kept; zero keeps them
 */
public record DeploySettings(Path repository, Path trustedKeys, boolean acceptUnsigned, long maxPackageBytes,
                             Path drop, long dropPollMs, Duration downloadTimeout, Path home,
                             int keepVersionsPerModel, Duration refusedRetention) {

    /** Configuration PID. */
    public static final String PID = "io.linesight.model.deploy";

    /** Validates {@code config}; {@code properties} looks up system properties (null when unset). */
    public static DeploySettings from(DeployConfig config, UnaryOperator<String> properties) {
        Path home = Path.of(orEmpty(properties.apply("linesight.home"))).toAbsolutePath().normalize();
        Path repository = folder("repositoryDirectory", config.repositoryDirectory(), home,
                defaultUnder(properties, "linesight.data", "models",
                        Path.of(orEmpty(properties.apply("java.io.tmpdir")), "linesight", "models")));
        Path keys = folder("trustedKeysDirectory", config.trustedKeysDirectory(), home,
                defaultUnder(properties, "linesight.config", "trusted-keys", home.resolve("config/trusted-keys")));
        Path drop = config.dropEnabled() ? folder("dropDirectory", config.dropDirectory(), home,
                defaultUnder(properties, "linesight.deploy", "models", home.resolve("deploy/models"))) : null;
        long maxMb = range("maxPackageMegabytes", config.maxPackageMegabytes(), 1, 4096);
        long pollMs = range("dropPollMs", config.dropPollMs(), 50, 60_000);
        long timeoutS = range("downloadTimeoutSeconds", config.downloadTimeoutSeconds(), 1, 3600);
        long keep = range("keepVersionsPerModel", config.keepVersionsPerModel(), 0, 1000);
        long refusedHours = range("refusedRetentionHours", config.refusedRetentionHours(), 0, 87_600);
        if (drop != null && (drop.startsWith(repository) || repository.startsWith(drop))) {
            throw new IllegalArgumentException("dropDirectory " + drop + " and repositoryDirectory " + repository
                    + " must not contain each other: use two separate folders");
        }
        return new DeploySettings(repository, keys, config.acceptUnsigned(), maxMb * 1024 * 1024, drop, pollMs,
                Duration.ofSeconds(timeoutS), home, (int) keep, Duration.ofHours(refusedHours));
    }

    /** The effective configuration, for the one INFO line on activation. */
    public String describe() {
        return "repository=" + repository + ", trustedKeys=" + trustedKeys + ", acceptUnsigned=" + acceptUnsigned
                + ", maxPackageMegabytes=" + maxPackageBytes / (1024 * 1024)
                + ", drop=" + (drop == null ? "disabled" : drop + " every " + dropPollMs + " ms")
                + ", downloadTimeout=" + downloadTimeout.toSeconds() + " s"
                + ", keepVersionsPerModel=" + (keepVersionsPerModel == 0 ? "all" : keepVersionsPerModel)
                + ", refusedRetentionHours=" + (refusedRetention.isZero() ? "keep" : refusedRetention.toHours());
    }

    private static Path defaultUnder(UnaryOperator<String> properties, String property, String child,
            Path fallback) {
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
