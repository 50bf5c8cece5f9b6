package io.linesight.sparkplug;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the Sparkplug B edge node, PID {@value #PID}. Without a configuration the node does not run: a
 * runtime talks to no broker until someone names one.
 */
@ObjectClassDefinition(
        id = SparkplugConfig.PID,
        name = "LineSight Sparkplug B edge node",
        description = "Publishes lines, outputs, health and alarms to the plant's MQTT broker as a Sparkplug B 3.0"
                + " edge node, takes commands, and journals on disk what the broker or the primary host cannot take"
                + " yet.")
public @interface SparkplugConfig {

    /** The configuration PID. */
    String PID = "io.linesight.sparkplug";

    @AttributeDefinition(name = "Brokers",
            description = "MQTT server URIs, tried in order (failover): tcp://host:1883 or ssl://host:8883,"
                    + " comma-separated.")
    String[] brokers() default {"tcp://127.0.0.1:1883"};

    @AttributeDefinition(name = "Group id", description = "Sparkplug group id: the plant, area or site.")
    String groupId() default "plant";

    @AttributeDefinition(name = "Edge node id",
            description = "Sparkplug edge node id of this runtime. Empty: the host name.", required = false)
    String edgeNodeId() default "";

    @AttributeDefinition(name = "Client id",
            description = "MQTT client id; unique on the broker. Empty: linesight-<group>-<edge node id>.",
            required = false)
    String clientId() default "";

    @AttributeDefinition(name = "User name", description = "MQTT user name. Empty: anonymous.", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "MQTT password (a private property: set it as .password in the file).")
    String _password() default "";

    @AttributeDefinition(name = "TLS CA file", required = false,
            description = "PEM file with the certificate(s) of the CA that signed the broker's certificate, for"
                    + " ssl:// brokers. Empty: the JVM's default trust store.")
    String tls_caFile() default "";

    @AttributeDefinition(name = "TLS client key store", required = false,
            description = "PKCS#12 file with this node's client certificate and key, for brokers that ask for"
                    + " one. Empty: no client certificate.")
    String tls_keyStore() default "";

    @AttributeDefinition(name = "TLS client key store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of the client key store (private property .tls.keyStorePassword).")
    String _tls_keyStorePassword() default "";

    @AttributeDefinition(name = "Keep-alive (s)", description = "MQTT keep-alive interval.", min = "5",
            max = "3600")
    int keepAliveSeconds() default 30;

    @AttributeDefinition(name = "Primary host id", required = false,
            description = "Sparkplug host id of the primary host application (its STATE topic). When set, the"
                    + " node publishes no birth until that host is online and journals while it is offline."
                    + " Empty: publish whenever the broker is reachable.")
    String primaryHostId() default "";

    @AttributeDefinition(name = "Verdicts sent",
            description = "every: one DDATA per inspected frame with the Last Inspection template (traceability);"
                    + " flagged: REJECT and REVIEW frames only, the counters by exception.",
            options = {@Option(label = "every verdict", value = "every"),
                       @Option(label = "REJECT and REVIEW only", value = "flagged")})
    String verdicts() default "flagged";

    @AttributeDefinition(name = "Data interval (ms)",
            description = "How often counters, rates, states and alarms are compared with what was sent and the"
                    + " changed ones published (report by exception).", min = "100", max = "3600000")
    long dataIntervalMs() default 1000;

    @AttributeDefinition(name = "Publish rate limit (messages/s)",
            description = "Live messages per second at most; what is above goes to the journal and is replayed"
                    + " later as historical.", min = "1", max = "100000")
    int maxMessagesPerSecond() default 200;

    @AttributeDefinition(name = "Journal file", required = false,
            description = "Where the store-and-forward journal lives. Empty: ${linesight.data}/sparkplug/journal.mv.")
    String journal_file() default "";

    @AttributeDefinition(name = "Journal size limit (MB)",
            description = "The journal's bound; above it the oldest messages are dropped, counted and alarmed.",
            min = "1", max = "100000")
    long journal_maxMegabytes() default 256;

    @AttributeDefinition(name = "Journal age limit (h)",
            description = "Messages older than this are dropped from the journal, counted and alarmed.", min = "1",
            max = "8760")
    long journal_maxAgeHours() default 168;

    @AttributeDefinition(name = "Journal fsync interval (ms)",
            description = "How often the journal is forced to the disk. A kill -9 loses nothing the journal took;"
                    + " a power cut can lose what it took in the last interval. 0 = force at every write.",
            min = "0", max = "60000")
    long journal_fsyncIntervalMs() default 1000;

    @AttributeDefinition(name = "Replay rate (messages/s)",
            description = "How fast the journal is replayed after the broker or the host is back, beside the live"
                    + " data.", min = "1", max = "100000")
    int replay_messagesPerSecond() default 100;

    @AttributeDefinition(name = "Commands allowed", required = false,
            description = "Commands (DCMD/NCMD) this node carries out, comma-separated: resetCounters,"
                    + " acknowledgeAlarm, activateModel, rollBackModel, shadowModel, stopShadow, promoteShadow,"
                    + " setThresholds, or all. Empty: none (commands are off; Rebirth is always answered).")
    String[] commands_allowed() default {};
}
