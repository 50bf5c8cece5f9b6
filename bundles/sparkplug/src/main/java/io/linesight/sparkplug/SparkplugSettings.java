package io.linesight.sparkplug;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The edge node's configuration, checked: every value a broker or a host would later choke on is refused here with a
 * sentence naming the property.
 *
 * @param brokers              MQTT server URIs in failover order
 * @param groupId              Sparkplug group id
 * @param edgeNodeId           Sparkplug edge node id
 * @param clientId             MQTT client id
 * @param username             empty for anonymous
 * @param password             empty when none
 * @param caFile               PEM CA file for ssl:// brokers, or null for the JVM's trust store
 * @param keyStore             PKCS#12 client key store, or null
 * @param keyStorePassword     its password
 * @param keepAliveSeconds     MQTT keep-alive
 * @param primaryHostId        empty when the node does not wait for a host
 * @param everyVerdict         true: every verdict is sent; false: REJECT and REVIEW only
 * @param dataInterval         report-by-exception period
 * @param maxMessagesPerSecond live publish rate limit
 * @param journalFile          the journal's file
 * @param journalMaxBytes      the journal's size bound
 * @param journalMaxAge        the journal's age bound
 * @param fsyncInterval        how often the journal is forced to the disk
 * @param replayPerSecond      replay rate
 * @param commandsAllowed      commands carried out
 */
record SparkplugSettings(
        List<String> brokers,
        String groupId,
        String edgeNodeId,
        String clientId,
        String username,
        String password,
        Path caFile,
        Path keyStore,
        String keyStorePassword,
        int keepAliveSeconds,
        String primaryHostId,
        boolean everyVerdict,
        Duration dataInterval,
        int maxMessagesPerSecond,
        Path journalFile,
        long journalMaxBytes,
        Duration journalMaxAge,
        Duration fsyncInterval,
        int replayPerSecond,
        Set<Command> commandsAllowed) {

    /** Sparkplug ids are MQTT topic levels: no '/', '+', '#'. */
    private static final Pattern SPARKPLUG_ID = Pattern.compile("[^/+#\\s]+");

    SparkplugSettings {
        brokers = List.copyOf(brokers);
        commandsAllowed = commandsAllowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(commandsAllowed));
    }

    boolean waitsForPrimaryHost() {
        return !primaryHostId.isEmpty();
    }

    /**
     * Checks a configuration.
     *
     * @param systemProperties where {@code linesight.data} comes from
     * @throws IllegalArgumentException naming the property that is wrong, why, and what to do
     */
    static SparkplugSettings from(SparkplugConfig c, UnaryOperator<String> systemProperties) {
        List<String> brokers = brokers(c.brokers());
        String group = sparkplugId("groupId", c.groupId().trim());
        String node = c.edgeNodeId().trim().isEmpty() ? hostName() : sparkplugId("edgeNodeId", c.edgeNodeId().trim());
        String clientId = c.clientId().trim().isEmpty() ? "linesight-" + group + "-" + node : c.clientId().trim();
        if (clientId.length() > 65535) {
            throw invalid("clientId", clientId, "is too long for MQTT");
        }
        Path ca = existingFile("tls.caFile", c.tls_caFile());
        Path keyStore = existingFile("tls.keyStore", c.tls_keyStore());
        if (ca != null && brokers.stream().noneMatch(b -> b.startsWith("ssl://"))) {
            throw invalid("tls.caFile", ca, "is set but no broker is ssl://; use ssl://host:8883 or remove the CA");
        }
        String host = c.primaryHostId().trim();
        if (!host.isEmpty()) {
            sparkplugId("primaryHostId", host);
        }
        String verdicts = c.verdicts().trim().toLowerCase(Locale.ROOT);
        if (!verdicts.equals("every") && !verdicts.equals("flagged")) {
            throw invalid("verdicts", c.verdicts(), "is not one of: every, flagged");
        }
        Path journal = c.journal_file().trim().isEmpty() ? defaultJournal(systemProperties) : Path.of(c.journal_file().trim());
        return new SparkplugSettings(brokers, group, node, clientId, c.username().trim(), c._password(), ca, keyStore,
                c._tls_keyStorePassword(), positive("keepAliveSeconds", c.keepAliveSeconds()), host,
                verdicts.equals("every"), Duration.ofMillis(positive("dataIntervalMs", c.dataIntervalMs())),
                positive("maxMessagesPerSecond", c.maxMessagesPerSecond()), journal,
                positive("journal.maxMegabytes", c.journal_maxMegabytes()) * 1024 * 1024,
                Duration.ofHours(positive("journal.maxAgeHours", c.journal_maxAgeHours())),
                Duration.ofMillis(notNegative("journal.fsyncIntervalMs", c.journal_fsyncIntervalMs())),
                positive("replay.messagesPerSecond", c.replay_messagesPerSecond()), Command.parse(c.commands_allowed()));
    }

    /** One line for the log: where, who, what. */
    String describe() {
        return String.format(Locale.ROOT, "group %s, node %s, brokers %s, client %s%s, verdicts %s, journal %s"
                        + " (%d MB, %d h)%s, commands %s",
                groupId, edgeNodeId, String.join(" ", brokers), clientId, username.isEmpty() ? "" : " as " + username,
                everyVerdict ? "every" : "flagged", journalFile, journalMaxBytes / 1024 / 1024, journalMaxAge.toHours(),
                waitsForPrimaryHost() ? ", primary host " + primaryHostId : "",
                commandsAllowed.isEmpty() ? "off" : commandsAllowed.toString());
    }

    private static List<String> brokers(String[] configured) {
        List<String> out = new ArrayList<>();
        for (String entry : configured == null ? new String[0] : configured) {
            for (String part : entry.split(",")) {
                String uri = part.trim();
                if (uri.isEmpty()) {
                    continue;
                }
                checkBroker(uri);
                out.add(uri);
            }
        }
        if (out.isEmpty()) {
            throw invalid("brokers", Arrays.toString(configured), "names no broker; give tcp://host:1883 or ssl://host:8883");
        }
        return out;
    }

    private static void checkBroker(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw invalid("brokers", uri, "is not a URI (" + e.getMessage() + "); write tcp://host:1883");
        }
        String scheme = parsed.getScheme();
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
            throw invalid("brokers", uri, "must start with tcp:// or ssl:// (websockets and mqtt:// are not used)");
        }
        if (parsed.getHost() == null || parsed.getPort() <= 0) {
            throw invalid("brokers", uri, "needs a host and a port, e.g. " + scheme + "://broker.plant:"
                    + ("ssl".equals(scheme) ? 8883 : 1883));
        }
    }

    private static String sparkplugId(String property, String value) {
        if (!SPARKPLUG_ID.matcher(value).matches()) {
            throw invalid(property, value, "must be a non-empty Sparkplug id without '/', '+', '#' or spaces");
        }
        return value;
    }

    private static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "linesight");
        }
        // a dotted host name is fine in a topic level; what is not allowed is replaced
        return name.replaceAll("[/+#\\s]", "_");
    }

    private static Path existingFile(String property, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value.trim());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw invalid(property, value, "is not a readable file");
        }
        return path;
    }

    private static Path defaultJournal(UnaryOperator<String> systemProperties) {
        String data = systemProperties.apply("linesight.data");
        Path root = data == null ? Path.of(System.getProperty("java.io.tmpdir"), "linesight") : Path.of(data);
        return root.resolve("sparkplug").resolve("journal.mv");
    }

    private static int positive(String property, int value) {
        if (value <= 0) {
            throw invalid(property, value, "must be positive");
        }
        return value;
    }

    private static long positive(String property, long value) {
        if (value <= 0) {
            throw invalid(property, value, "must be positive");
        }
        return value;
    }

    private static long notNegative(String property, long value) {
        if (value < 0) {
            throw invalid(property, value, "must not be negative");
        }
        return value;
    }

    static IllegalArgumentException invalid(String property, Object value, String why) {
        return new IllegalArgumentException(
                SparkplugConfig.PID + ": property '" + property + "' = '" + value + "' " + why);
    }
}
