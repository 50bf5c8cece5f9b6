package io.linesight.sparkplug.peer;

import static io.linesight.sparkplug.peer.SparkplugHost.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugBPayload.SparkplugBPayloadBuilder;
import org.eclipse.tahu.message.model.Template;
import org.eclipse.tahu.message.model.Template.TemplateBuilder;
import org.junit.jupiter.api.Test;

/**
 * The test peers against each other and against Eclipse Tahu's Java codec: what Tahu encodes (our edge node's
 * codec) the independent host (sparkplug-payload on protobufjs) decodes to the same names, aliases, types, values
 * and timestamps, and what the host encodes Tahu decodes. Also STATE with its Will, TLS with the right and a wrong
 * CA, broker outages on the same port and undecodable payloads.
 */
class SparkplugPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long PAYLOAD_TIME = 1_700_000_000_123L;
    private static final long METRIC_TIME = 1_700_000_000_456L;
    private static final BigInteger ABOVE_2_POW_32 = BigInteger.ONE.shiftLeft(32).add(BigInteger.valueOf(7));
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Test
    void hostDecodesEveryMetricOfATahuEncodedBirth() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl());
                Paho node = Paho.connect(broker.tcpUrl(), null)) {
            node.publish("spBv1.0/g/NBIRTH/n", tahuBirth(), 0, false);

            HostMessage birth = host.await(m -> m.topic().equals("spBv1.0/g/NBIRTH/n"), WAIT);
            assertEquals("NBIRTH", birth.type());
            assertEquals("g", birth.group());
            assertEquals("n", birth.node());
            assertNull(birth.device());
            assertFalse(birth.retained());
            assertEquals(PAYLOAD_TIME, birth.timestamp());
            assertEquals(0L, birth.seq());
            assertEquals(13, birth.metrics().size(), birth.raw().toString());

            assertMetric(birth, "bdSeq", null, "Int64");
            assertEquals(3L, birth.metric("bdSeq").orElseThrow().asLong());
            assertEquals(-1_234_567_890_123L, assertMetric(birth, "Counters/Total", 1L, "Int64").asLong());
            HostMetric big = assertMetric(birth, "Counters/Big", 2L, "UInt64");
            assertTrue(big.value().getAsJsonPrimitive().isNumber(), "below 2^53 the host prints a number");
            assertEquals(ABOVE_2_POW_32, big.asBigInteger());
            HostMetric max = assertMetric(birth, "Counters/Max", 3L, "UInt64");
            assertEquals("18446744073709551615", max.value().getAsString(), "above 2^53 the host prints a string");
            assertEquals(UINT64_MAX, max.asBigInteger());
            assertEquals(3_000_000_000L, assertMetric(birth, "Counters/High", 4L, "UInt32").asLong());
            assertEquals(0.875, assertMetric(birth, "Quality/Score", 5L, "Double").asDouble());
            assertTrue(assertMetric(birth, "Line/Running", 6L, "Boolean").asBoolean());
            assertEquals("Prüflinie ✓", assertMetric(birth, "Line/Name", 7L, "String").asString());
            HostMetric reason = assertMetric(birth, "Line/Reason", 8L, "String");
            assertTrue(reason.isNull());
            assertTrue(reason.value().isJsonNull());

            HostMetric previous = assertMetric(birth, "Counters/Previous", 9L, "Int64");
            assertTrue(previous.historical());
            assertFalse(previous.isTransient());
            HostMetric tick = assertMetric(birth, "Debug/Tick", 10L, "Int64");
            assertTrue(tick.isTransient());
            assertFalse(tick.historical());
            assertFalse(birth.metric("Counters/Total").orElseThrow().historical());

            HostTemplate definition = assertMetric(birth, "Station", null, "Template").asTemplate();
            assertTrue(definition.isDefinition());
            assertNull(definition.templateRef());
            assertEquals("1.0", definition.version());
            assertEquals(0, definition.metric("count").orElseThrow().asLong());
            assertEquals("Int32", definition.metric("count").orElseThrow().type());
            assertEquals("", definition.metric("label").orElseThrow().asString());
            HostTemplate instance = assertMetric(birth, "Stations/1", 11L, "Template").asTemplate();
            assertFalse(instance.isDefinition());
            assertEquals("Station", instance.templateRef());
            assertEquals(-7, instance.metric("count").orElseThrow().asLong());
            assertEquals("ok", instance.metric("label").orElseThrow().asString());
            assertEquals(METRIC_TIME, instance.metric("count").orElseThrow().timestamp());
        }
    }

    @Test
    void hostReportsAliasOnlyMetricsWithoutAName() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl());
                Paho node = Paho.connect(broker.tcpUrl(), null)) {
            Metric aliasOnly = new MetricBuilder(1L, MetricDataType.Int64, 42L).timestamp(new Date(METRIC_TIME))
                    .createMetric();
            byte[] data = encode(new SparkplugBPayloadBuilder(1L).setTimestamp(new Date(PAYLOAD_TIME))
                    .addMetric(aliasOnly).createPayload());
            node.publish("spBv1.0/g/DDATA/n/camera-1", data, 0, false);

            HostMessage message = host.await(m -> m.is("DDATA"), WAIT);
            assertEquals("camera-1", message.device());
            assertEquals(1L, message.seq());
            HostMetric metric = message.metricByAlias(1).orElseThrow();
            assertNull(metric.name());
            assertEquals(42L, metric.asLong());
            assertEquals(METRIC_TIME, metric.timestamp());
        }
    }

    @Test
    void tahuDecodesTheRebirthCommandTheHostPublishes() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl());
                Paho node = Paho.connect(broker.tcpUrl(), null)) {
            node.subscribe("spBv1.0/g/NCMD/n");
            long before = System.currentTimeMillis();
            host.publishCommand("spBv1.0/g/NCMD/n", List.of(
                    metric("Node Control/Rebirth", "Boolean", true),
                    metric("Counters/Preset", "Int64", (1L << 60) + 1),
                    metric("Counters/Limit", "UInt64", UINT64_MAX)));

            Paho.Received command = node.next(WAIT);
            assertEquals("spBv1.0/g/NCMD/n", command.topic());
            assertEquals(0, command.message().getQos());
            assertFalse(command.message().isRetained());
            SparkplugBPayload payload = new SparkplugBPayloadDecoder().buildFromByteArray(command.payload(), null);
            assertTrue(payload.getTimestamp().getTime() >= before, "the host stamps the command with its clock");
            Metric rebirth = payload.getMetrics().get(0);
            assertEquals("Node Control/Rebirth", rebirth.getName());
            assertEquals(MetricDataType.Boolean, rebirth.getDataType());
            assertEquals(Boolean.TRUE, rebirth.getValue());
            assertEquals((1L << 60) + 1, payload.getMetrics().get(1).getValue());
            assertEquals(MetricDataType.UInt64, payload.getMetrics().get(2).getDataType());
            assertEquals(UINT64_MAX, payload.getMetrics().get(2).getValue());
        }
    }

    @Test
    void hostPublishesRetainedStateAndTheBrokerSendsItsOfflineWillWhenTheHostDies() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl(), SparkplugHost.Options.defaults()
                        .withHostId("scada-a"));
                Paho observer = Paho.connect(broker.tcpUrl(), null)) {
            HostMessage own = host.await(m -> m.is("STATE"), WAIT);
            assertEquals("spBv1.0/STATE/scada-a", own.topic());
            assertEquals("scada-a", own.hostId());
            assertTrue(own.online());

            observer.subscribe("spBv1.0/STATE/scada-a");
            Paho.Received online = observer.next(WAIT);
            assertTrue(online.message().isRetained(), "STATE is retained");
            assertEquals(1, online.message().getQos());
            JsonObject onlineState = online.json();
            assertTrue(onlineState.get("online").getAsBoolean());
            assertEquals(own.payload().get("timestamp").getAsLong(), onlineState.get("timestamp").getAsLong());

            host.kill();
            JsonObject will = observer.next(WAIT).json();
            assertFalse(will.get("online").getAsBoolean());
            assertEquals(onlineState.get("timestamp").getAsLong(), will.get("timestamp").getAsLong(),
                    "Sparkplug 3.0: the Will carries the timestamp of the online STATE of the same connection");
            try (Paho late = Paho.connect(broker.tcpUrl(), null)) {
                late.subscribe("spBv1.0/STATE/scada-a");
                Paho.Received retained = late.next(WAIT);
                assertTrue(retained.message().isRetained());
                assertFalse(retained.json().get("online").getAsBoolean());
            }
        }
    }

    @Test
    void stateCommandsAndACleanCloseLeaveTheRetainedStateTheySay() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                Paho observer = Paho.connect(broker.tcpUrl(), null)) {
            observer.subscribe("spBv1.0/STATE/scada-b");
            SparkplugHost host = SparkplugHost.start(broker.tcpUrl(), SparkplugHost.Options.defaults()
                    .withHostId("scada-b").withClientId("scada-b-client"));
            JsonObject birth;
            try {
                birth = observer.next(WAIT).json();
                assertTrue(birth.get("online").getAsBoolean());
                host.stateOffline();
                assertState(false, birth, observer.next(WAIT));
                host.stateOnline();
                assertState(true, birth, observer.next(WAIT));
            } finally {
                host.close();
            }
            assertState(false, birth, observer.next(WAIT));
            assertFalse(host.isRunning());
            try (Paho late = Paho.connect(broker.tcpUrl(), null)) {
                late.subscribe("spBv1.0/STATE/scada-b");
                Paho.Received retained = late.next(WAIT);
                assertTrue(retained.message().isRetained());
                assertFalse(retained.json().get("online").getAsBoolean(), "a clean close leaves offline retained");
            }
        }
    }

    @Test
    void tlsListenerAcceptsClientsTrustingItsCaAndRefusesOthers() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launchWithTls();
                SparkplugHost host = SparkplugHost.start(broker.sslUrl(), SparkplugHost.Options.defaults()
                        .withCaFile(broker.caFile()));
                Paho node = Paho.connect(broker.sslUrl(), PemTrust.socketFactory(broker.caFile()))) {
            node.publish("spBv1.0/g/NDATA/n", encode(new SparkplugBPayloadBuilder(1L)
                    .setTimestamp(new Date(PAYLOAD_TIME))
                    .addMetric(new MetricBuilder("Line/Running", MetricDataType.Boolean, true).createMetric())
                    .createPayload()), 0, false);
            HostMessage data = host.await(m -> m.is("NDATA"), WAIT);
            assertTrue(data.metric("Line/Running").orElseThrow().asBoolean());

            MqttException refused = assertThrows(MqttException.class,
                    () -> Paho.connect(broker.sslUrl(), PemTrust.socketFactory(broker.wrongCaFile())).close());
            assertTrue(causes(refused, SSLHandshakeException.class), "expected a TLS handshake failure: " + refused);

            try (SparkplugHost distrustful = SparkplugHost.start(broker.sslUrl(), SparkplugHost.Options.defaults()
                    .withCaFile(broker.wrongCaFile()).withoutAwaitingConnection())) {
                JsonObject error = distrustful.awaitEvent("error", WAIT);
                assertTrue(error.get("error").getAsString().contains("certificate"), error.toString());
                assertTrue(distrustful.events().stream().noneMatch(e -> e.get("event").getAsString()
                        .equals("connected")), distrustful.events().toString());
            }
        }
    }

    @Test
    void brokerComesBackOnTheSamePortAfterAStopAndAKillAndTheHostReconnects() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl(), SparkplugHost.Options.defaults()
                        .withHostId("scada-c"))) {
            int port = broker.tcpPort();
            long firstState = host.await(m -> m.is("STATE"), WAIT).payload().get("timestamp").getAsLong();
            broker.stop();
            assertFalse(broker.isRunning());
            host.awaitEventCount("disconnected", 1, WAIT);
            int beforeRestart = host.messageCount();
            broker.start();
            host.awaitEventCount("reconnected", 1, WAIT);
            // the restarted broker forgot the retained STATE; the host publishes it again, as a new connection's
            HostMessage again = host.awaitFrom(beforeRestart, m -> m.is("STATE"), WAIT);
            assertTrue(again.online());
            assertTrue(again.payload().get("timestamp").getAsLong() > firstState, again.raw().toString());

            broker.kill();
            host.awaitEventCount("disconnected", 2, WAIT);
            broker.start();
            host.awaitEventCount("reconnected", 2, WAIT);
            assertEquals(port, broker.tcpPort());

            try (Paho node = Paho.connect(broker.tcpUrl(), null)) {
                node.publish("spBv1.0/g/NDATA/n", encode(new SparkplugBPayloadBuilder(5L)
                        .setTimestamp(new Date(PAYLOAD_TIME)).createPayload()), 1, false);
            }
            assertEquals(5L, host.await(m -> m.is("NDATA"), WAIT).seq());
        }
    }

    @Test
    void undecodablePayloadsAreReportedAndTheHostCarriesOn() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
                SparkplugHost host = SparkplugHost.start(broker.tcpUrl());
                Paho node = Paho.connect(broker.tcpUrl(), null)) {
            host.publishText("spBv1.0/g/NDATA/n", "not protobuf", 1, false);
            host.publishText("spBv1.0/STATE/someone", "{not json", 1, false);
            node.publish("spBv1.0/g/NDATA/n", encode(new SparkplugBPayloadBuilder(7L)
                    .setTimestamp(new Date(PAYLOAD_TIME)).createPayload()), 1, false);

            assertEquals(7L, host.await(m -> m.is("NDATA"), WAIT).seq());
            List<JsonObject> errors = host.awaitEventCount("decode-error", 2, WAIT);
            assertEquals("spBv1.0/g/NDATA/n", errors.get(0).get("topic").getAsString());
            assertEquals("spBv1.0/STATE/someone", errors.get(1).get("topic").getAsString());
            assertEquals(1, host.messages().size(), "only the decodable message is a message");
        }
    }

    // ---- Tahu side ----------------------------------------------------------------------------------------

    private static byte[] tahuBirth() throws Exception {
        Date at = new Date(METRIC_TIME);
        Template definition = new TemplateBuilder().version("1.0").definition(true)
                .addMetric(new MetricBuilder("count", MetricDataType.Int32, 0).timestamp(at).createMetric())
                .addMetric(new MetricBuilder("label", MetricDataType.String, "").timestamp(at).createMetric())
                .createTemplate();
        Template instance = new TemplateBuilder().templateRef("Station").definition(false)
                .addMetric(new MetricBuilder("count", MetricDataType.Int32, -7).timestamp(at).createMetric())
                .addMetric(new MetricBuilder("label", MetricDataType.String, "ok").timestamp(at).createMetric())
                .createTemplate();
        SparkplugBPayload payload = new SparkplugBPayloadBuilder(0L).setTimestamp(new Date(PAYLOAD_TIME))
                .addMetric(new MetricBuilder("bdSeq", MetricDataType.Int64, 3L).timestamp(at).createMetric())
                .addMetric(tahuMetric("Counters/Total", 1, MetricDataType.Int64, -1_234_567_890_123L))
                .addMetric(tahuMetric("Counters/Big", 2, MetricDataType.UInt64, ABOVE_2_POW_32))
                .addMetric(tahuMetric("Counters/Max", 3, MetricDataType.UInt64, UINT64_MAX))
                .addMetric(tahuMetric("Counters/High", 4, MetricDataType.UInt32, 3_000_000_000L))
                .addMetric(tahuMetric("Quality/Score", 5, MetricDataType.Double, 0.875))
                .addMetric(tahuMetric("Line/Running", 6, MetricDataType.Boolean, true))
                .addMetric(tahuMetric("Line/Name", 7, MetricDataType.String, "Prüflinie ✓"))
                .addMetric(tahuMetric("Line/Reason", 8, MetricDataType.String, null))
                .addMetric(new MetricBuilder("Counters/Previous", MetricDataType.Int64, 41L).alias(9L)
                        .timestamp(at).isHistorical(true).createMetric())
                .addMetric(new MetricBuilder("Debug/Tick", MetricDataType.Int64, 5L).alias(10L)
                        .timestamp(at).isTransient(true).createMetric())
                .addMetric(new MetricBuilder("Station", MetricDataType.Template, definition).timestamp(at)
                        .createMetric())
                .addMetric(tahuMetric("Stations/1", 11, MetricDataType.Template, instance))
                .createPayload();
        return encode(payload);
    }

    private static Metric tahuMetric(String name, long alias, MetricDataType type, Object value) throws Exception {
        return new MetricBuilder(name, type, value).alias(alias).timestamp(new Date(METRIC_TIME)).createMetric();
    }

    private static byte[] encode(SparkplugBPayload payload) throws Exception {
        return new SparkplugBPayloadEncoder().getBytes(payload, false);
    }

    private static HostMetric assertMetric(HostMessage message, String name, Long alias, String type) {
        HostMetric metric = message.metric(name).orElseThrow(() -> new AssertionError("no metric " + name + " in "
                + message.raw()));
        assertEquals(alias, metric.alias(), name);
        assertEquals(type, metric.type(), name);
        assertEquals(METRIC_TIME, metric.timestamp(), name);
        return metric;
    }

    /** A STATE at QoS 1 with the timestamp of the connection's first STATE, as every STATE of one connection. */
    private static void assertState(boolean online, JsonObject birth, Paho.Received state) {
        assertEquals(1, state.message().getQos(), "STATE is published at QoS 1");
        assertEquals(online, state.json().get("online").getAsBoolean(), state.json().toString());
        assertEquals(birth.get("timestamp").getAsLong(), state.json().get("timestamp").getAsLong());
    }

    private static boolean causes(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A Paho MQTT 3.1.1 client, as our edge node uses, with a bounded queue of what it received. */
    private static final class Paho implements AutoCloseable {

        record Received(String topic, MqttMessage message) {
            byte[] payload() {
                return message.getPayload();
            }

            JsonObject json() {
                return JsonParser.parseString(new String(payload(), StandardCharsets.UTF_8)).getAsJsonObject();
            }
        }

        private final MqttClient client;
        private final BlockingQueue<Received> received = new ArrayBlockingQueue<>(100);

        private Paho(MqttClient client) {
            this.client = client;
        }

        static Paho connect(String url, SocketFactory sockets) throws MqttException {
            MqttClient client = new MqttClient(url, MqttClient.generateClientId(), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setConnectionTimeout(30);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            if (sockets != null) {
                options.setSocketFactory(sockets);
            }
            try {
                client.connect(options);
            } catch (MqttException e) {
                client.close(true);
                throw e;
            }
            return new Paho(client);
        }

        void subscribe(String filter) throws MqttException {
            client.subscribe(filter, 1, (topic, message) -> {
                if (!received.offer(new Received(topic, message))) {
                    throw new IllegalStateException("test client queue full");
                }
            });
        }

        void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
            client.publish(topic, payload, qos, retained);
        }

        Received next(Duration timeout) throws InterruptedException {
            Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new AssertionError("no message within " + timeout.toSeconds() + " s");
            }
            return next;
        }

        @Override
        public void close() throws MqttException {
            try {
                if (client.isConnected()) {
                    client.disconnect(5_000);
                }
            } finally {
                client.close(true);
            }
        }
    }
}
