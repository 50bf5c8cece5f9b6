package io.linesight.fleet.tool;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The tool's MQTT connection to the broker the boxes use (never to a box): tcp:// or ssl:// with the plant's CA,
 * optional user name and password, a clean session and a client id of its own.
 */
final class BrokerConnection implements AutoCloseable {

    private final MqttClient client;

    BrokerConnection(Args args) throws Exception {
        String broker = args.required("broker");
        client = new MqttClient(broker, "linesight-fleet-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(15);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(1000);
        String user = args.optional("username", "");
        if (!user.isEmpty()) {
            options.setUserName(user);
            options.setPassword(args.optional("password", "").toCharArray());
        }
        String ca = args.optional("ca", "");
        if (!ca.isEmpty()) {
            options.setSocketFactory(trusting(Path.of(ca)).getSocketFactory());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            throw new IllegalStateException("cannot connect to " + broker + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        }
    }

    MqttClient client() {
        return client;
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close();
        } catch (MqttException e) {
            // a broker that went away cannot be told goodbye
        }
    }
}
