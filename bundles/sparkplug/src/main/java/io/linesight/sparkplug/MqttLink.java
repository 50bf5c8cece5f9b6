package io.linesight.sparkplug;

import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT session with the broker, through Paho's asynchronous client: connect (brokers tried in order) with the
 * NDEATH as the Will, subscribe, publish, and tell the {@link Listener} what happens. A new link (a new client) is
 * made for every connection attempt, since each carries a new Will (the next bdSeq). Paho's offline buffer is not
 * used: the node's own journal keeps what cannot be sent. Paho's threads end in {@link #close()}.
 */
final class MqttLink implements AutoCloseable {

    /** What the link reports, on Paho's threads; implementations hand it to the publisher thread. */
    interface Listener {
        void connected(MqttLink link, String serverUri);

        void connectFailed(MqttLink link, Throwable cause);

        void lost(MqttLink link, Throwable cause);

        void arrived(MqttLink link, String topic, byte[] payload);

    }

    private final MqttAsyncClient client;
    private final Listener listener;
    private final AtomicLong inFlight = new AtomicLong();
    private final MqttConnectOptions options;

    /**
     * @param willTopic   the NDEATH topic
     * @param willPayload the NDEATH of this session (its bdSeq)
     */
    MqttLink(SparkplugSettings s, String willTopic, byte[] willPayload, Listener listener) throws MqttException {
        this.listener = listener;
        // the first URI names the client; the options carry the whole failover list
        client = new MqttAsyncClient(s.brokers().get(0), s.clientId(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                listener.lost(MqttLink.this, cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                listener.arrived(MqttLink.this, topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        options = options(s, willTopic, willPayload);
    }

    private static MqttConnectOptions options(SparkplugSettings s, String willTopic, byte[] willPayload) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setServerURIs(s.brokers().toArray(new String[0]));
        // Sparkplug 3.0: a clean session every time; what the host missed is replayed from the journal
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(s.keepAliveSeconds());
        o.setConnectionTimeout(10);
        o.setMaxInflight(1000);
        o.setWill(willTopic, willPayload, 1, false);
        if (!s.username().isEmpty()) {
            o.setUserName(s.username());
            o.setPassword(s.password().toCharArray());
        }
        SSLSocketFactory tls = TlsContext.socketFactory(s);
        if (tls != null) {
            o.setSocketFactory(tls);
        }
        o.setHttpsHostnameVerificationEnabled(true);
        return o;
    }

    /** Starts connecting; the listener hears {@code connected} or {@code connectFailed}. */
    void connect() throws MqttException {
        client.connect(options, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                listener.connected(MqttLink.this, client.getCurrentServerURI());
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                listener.connectFailed(MqttLink.this, cause);
            }
        });
    }

    void subscribe(String topic, int qos) throws MqttException {
        client.subscribe(topic, qos);
    }

    /** Told on a Paho thread when a publish was written to the network (QoS 0) or acknowledged (QoS 1), or failed. */
    interface Delivery {
        void done(boolean ok);
    }

    /**
     * Hands a message to Paho.
     *
     * @throws MqttException when the client is not connected or its queue is full (the caller journals the message)
     */
    void publish(String topic, byte[] payload, int qos, boolean retained, Delivery delivery) throws MqttException {
        inFlight.incrementAndGet();
        try {
            client.publish(topic, payload, qos, retained, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inFlight.decrementAndGet();
                    delivery.done(true);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    inFlight.decrementAndGet();
                    delivery.done(false);
                }
            });
        } catch (MqttException | RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
    }

    /** Messages handed to Paho and not yet on the network. */
    long inFlight() {
        return inFlight.get();
    }

    boolean isConnected() {
        return client.isConnected();
    }

    String serverUri() {
        return client.getCurrentServerURI();
    }

    /** Ends the session without the Will (a clean DISCONNECT), waiting at most {@code quiesceMs}; then closes. */
    void disconnect(long quiesceMs) {
        try {
            if (client.isConnected()) {
                client.disconnect(quiesceMs).waitForCompletion(quiesceMs + 1000);
            }
        } catch (MqttException e) {
            // a broker that is gone cannot be told goodbye; the close below still frees everything
        }
        close();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            // already disconnected
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // close(force) only complains about a client still connecting; nothing more can be freed
        }
    }
}
