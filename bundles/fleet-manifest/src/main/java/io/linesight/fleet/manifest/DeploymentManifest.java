package io.linesight.fleet.manifest;

import static io.linesight.fleet.manifest.Checks.require;
import static io.linesight.fleet.manifest.Checks.shown;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The desired state of the targeted boxes, schema {@value #SCHEMA}: which model package to run, where to
 * download it, how to trial it, how to watch it afterwards and how long each step may take.
 *
 * <p>Every instance is valid: the constructors refuse what {@link #parse} refuses (with an
 * {@link IllegalArgumentException} carrying the same sentence), so a manifest built in code and written with
 * {@link #toJson()} parses back equal. MANIFEST-FORMAT.md beside this bundle's pom describes the JSON.
 *
 * @param deploymentId names this deployment; boxes report their state against it
 * @param issuedAt when the publisher issued it; a box can refuse one older than the manifest it runs
 * @param model the package to run
 * @param urls where to download the package zip, tried in order; at least one
 * @param target which boxes and lines it applies to
 * @param trial how the new model is tried before it takes over
 * @param health how the new model is watched once it runs, and whether a box rolls back by itself
 * @param deadlines how long each step may take before the box gives up
 * @param previousDeploymentId the deployment a fleet-wide rollback returns to, if any
 */
public record DeploymentManifest(String deploymentId, Instant issuedAt, Model model, List<URI> urls, Target target,
                                 Trial trial, Health health, Deadlines deadlines,
                                 Optional<String> previousDeploymentId) {

    /** The schema this bundle writes. */
    public static final String SCHEMA = "linesight.deployment/1";
    /** The schemas this bundle reads. */
    public static final List<String> SCHEMAS_UNDERSTOOD = List.of(SCHEMA);
    /** Longest manifest accepted, in bytes (a manifest listing a thousand nodes is well under 64 KiB). */
    public static final int MAX_BYTES = 256 * 1024;
    /** Most download URLs one manifest may list. */
    public static final int MAX_URLS = 16;

    public DeploymentManifest {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(trial, "trial");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(deadlines, "deadlines");
        Objects.requireNonNull(previousDeploymentId, "previousDeploymentId");
        requireSafeId("deploymentId", deploymentId);
        previousDeploymentId.ifPresent(previous -> {
            requireSafeId("previousDeploymentId", previous);
            require(!previous.equals(deploymentId),
                    "Field 'previousDeploymentId' names this deployment itself; a rollback must return elsewhere.");
        });
        urls = List.copyOf(urls);
        require(!urls.isEmpty(), "Field 'urls' must list at least one download URL.");
        require(urls.size() <= MAX_URLS, "Field 'urls' lists " + urls.size() + " URLs; at most " + MAX_URLS
                + " are allowed.");
        for (int i = 0; i < urls.size(); i++) {
            requireDownloadUrl("urls[" + i + "]", urls.get(i));
        }
    }

    /**
     * Reads and checks a manifest.
     *
     * @throws ManifestException INVALID_MANIFEST with one sentence naming the offending field
     */
    public static DeploymentManifest parse(byte[] json) throws ManifestException {
        return ManifestJson.read(json);
    }

    /** This manifest as UTF-8 JSON, pretty-printed, fields always in the same order. */
    public byte[] toJson() {
        return ManifestJson.write(this);
    }

    /** Whether the line {@code line} of node {@code node} in group {@code group} should run this deployment. */
    public boolean targets(String group, String node, String line) {
        return target.includes(group, node, line);
    }

    /**
     * The model package to run.
     *
     * @param name the model's name, as in its card
     * @param version the model's version, as in its card
     * @param sha256 the SHA-256 of the package zip, 64 lower-case hex digits (upper case is accepted and lowered)
     * @param size the package zip's size in bytes
     */
    public record Model(String name, String version, String sha256, long size) {

        private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

        public Model {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(sha256, "sha256");
            requireSafeId("model.name", name);
            requireSafeId("model.version", version);
            require(SHA256.matcher(sha256).matches(), "Field 'model.sha256' must be 64 hexadecimal digits (the"
                    + " SHA-256 of the package zip), not '" + shown(sha256) + "'.");
            sha256 = sha256.toLowerCase(Locale.ROOT);
            require(size > 0, "Field 'model.size' must be the package zip's size in bytes, more than 0, not "
                    + size + ".");
        }

        /** {@code name@version}, as the model repository names a stored package. */
        public String packageId() {
            return name + "@" + version;
        }
    }

    /**
     * The boxes and lines a deployment applies to.
     *
     * @param group the Sparkplug group of the targeted boxes
     * @param nodes the targeted boxes by Sparkplug edge node id, or {@code ["*"]} for every box of the group
     * @param lines the targeted lines on each box, or {@code ["*"]} for all of them
     */
    public record Target(String group, List<String> nodes, List<String> lines) {

        /** Alone in {@code nodes} or {@code lines}: all of them. */
        public static final String ALL = "*";

        public Target {
            Objects.requireNonNull(group, "group");
            nodes = List.copyOf(nodes);
            lines = List.copyOf(lines);
            require(Checks.SPARKPLUG_NAME.matcher(group).matches(), "Field 'target.group' must be one group name, "
                    + Checks.SPARKPLUG_NAME_RULE + ", not '" + shown(group) + "'.");
            requireNames("target.nodes", nodes, Checks.SPARKPLUG_NAME, Checks.SPARKPLUG_NAME_RULE);
            requireNames("target.lines", lines, Checks.LINE_ID, Checks.LINE_ID_RULE);
        }

        /** Whether {@code line} on {@code node} in {@code group} is targeted. */
        public boolean includes(String group, String node, String line) {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(line, "line");
            return this.group.equals(group) && matches(nodes, node) && matches(lines, line);
        }

        private static boolean matches(List<String> names, String name) {
            return names.equals(List.of(ALL)) || names.contains(name);
        }

        private static void requireNames(String field, List<String> names, Pattern pattern, String rule) {
            require(!names.isEmpty(), "Field '" + field + "' must name at least one, or be [\"*\"] for all.");
            if (names.contains(ALL)) {
                require(names.size() == 1, "Field '" + field + "' holds \"*\" with other names; \"*\" means all"
                        + " and must stand alone.");
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                require(pattern.matcher(name).matches(), "Field '" + field + "[" + i + "]' must be " + rule
                        + ", not '" + shown(name) + "'.");
            }
        }
    }

    /** How a new model is tried before it takes over. */
    public enum TrialMode {
        /** Activate at once after the gate; no trial. */
        DIRECT,
        /** Run beside the current model on live frames, judged against it, before it takes over. */
        SHADOW;

        /** As written in JSON. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a new model is tried: {@link Direct} or {@link Shadow}. */
    public sealed interface Trial {

        TrialMode mode();

        /** No trial: the model is activated once its gate passes. */
        record Direct() implements Trial {
            @Override
            public TrialMode mode() {
                return TrialMode.DIRECT;
            }
        }

        /**
         * A shadow trial: the new model sees the live frames beside the current one, and takes over only when
         * it agreed with it often enough on enough frames without being too slow, within the time allowed.
         *
         * @param minFrames frames the trial must judge before it can pass, at least 1
         * @param minVerdictAgreement share of frames, 0 to 1, on which both models must give the same verdict
         * @param maxLatencyRatio the new model's p95 latency over the current one's p95, at most; more than 0
         * @param maxMinutes minutes the trial may take to reach minFrames before it fails, at least 1
         */
        record Shadow(int minFrames, double minVerdictAgreement, double maxLatencyRatio, int maxMinutes)
                implements Trial {

            public Shadow {
                require(minFrames >= 1, "Field 'trial.minFrames' must be at least 1, not " + minFrames + ".");
                require(minVerdictAgreement >= 0 && minVerdictAgreement <= 1, "Field 'trial.minVerdictAgreement'"
                        + " must be a share from 0 to 1 (0.98 is 98 %), not " + minVerdictAgreement + ".");
                require(maxLatencyRatio > 0 && Double.isFinite(maxLatencyRatio), "Field 'trial.maxLatencyRatio'"
                        + " must be more than 0 (1.5 allows 50 % slower), not " + maxLatencyRatio + ".");
                require(maxMinutes >= 1, "Field 'trial.maxMinutes' must be at least 1, not " + maxMinutes + ".");
            }

            @Override
            public TrialMode mode() {
                return TrialMode.SHADOW;
            }

            public Duration maxDuration() {
                return Duration.ofMinutes(maxMinutes);
            }
        }
    }

    /**
     * How the new model is watched once it runs.
     *
     * @param windowFrames frames per health window, at least 1
     * @param windowMinutes minutes per health window, at least 1 (whichever of the two ends first closes it)
     * @param rollback whether a box rolls back to the model it ran before by itself when the window looks bad
     */
    public record Health(int windowFrames, int windowMinutes, boolean rollback) {
        public Health {
            require(windowFrames >= 1, "Field 'health.windowFrames' must be at least 1, not " + windowFrames + ".");
            require(windowMinutes >= 1, "Field 'health.windowMinutes' must be at least 1, not " + windowMinutes
                    + ".");
        }
    }

    /**
     * How long each step may take on a box before it gives up on the deployment, in whole minutes of at least 1.
     *
     * @param downloadMinutes from receiving the manifest to having the whole zip
     * @param verifyMinutes checking the zip's digest and the package's signature
     * @param gateMinutes the package's gate (golden set, latency budget)
     */
    public record Deadlines(int downloadMinutes, int verifyMinutes, int gateMinutes) {
        public Deadlines {
            requireMinutes("deadlines.downloadMinutes", downloadMinutes);
            requireMinutes("deadlines.verifyMinutes", verifyMinutes);
            requireMinutes("deadlines.gateMinutes", gateMinutes);
        }

        public Duration download() {
            return Duration.ofMinutes(downloadMinutes);
        }

        public Duration verify() {
            return Duration.ofMinutes(verifyMinutes);
        }

        public Duration gate() {
            return Duration.ofMinutes(gateMinutes);
        }

        private static void requireMinutes(String field, int minutes) {
            require(minutes >= 1, "Field '" + field + "' must be a whole number of minutes, at least 1, not "
                    + minutes + ".");
        }
    }

    private static void requireSafeId(String field, String value) {
        require(Checks.SAFE_ID.matcher(value).matches(), "Field '" + field + "' must be " + Checks.SAFE_ID_RULE
                + ", not '" + shown(value) + "'.");
    }

    private static void requireDownloadUrl(String field, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        require((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null, "Field '" + field
                + "' must be an http:// or https:// URL with a host, not '" + shown(url.toString()) + "'.");
        // the manifest is readable by every box and by the broker: a password in it is a password given away
        require(url.getRawUserInfo() == null, "Field '" + field + "' carries a user name or password; the"
                + " manifest is readable by every box, so give download credentials another way.");
    }
}
