package io.linesight.sparkplug.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client trust from a PEM file of CA certificates: the CAs in the file are the only ones trusted (the JDK's
 * default trust store is not consulted), so a server signed by any other CA fails the handshake.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** A TLS context that trusts exactly the certificates in {@code caPem} (one or more PEM blocks). */
    public static SSLContext sslContext(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates(caPem)) {
            trusted.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** {@link #sslContext(Path)}'s socket factory, for example for Paho's {@code MqttConnectOptions}. */
    public static SSLSocketFactory socketFactory(Path caPem) throws IOException, GeneralSecurityException {
        return sslContext(caPem).getSocketFactory();
    }

    private static Collection<? extends Certificate> certificates(Path caPem)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(caPem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + caPem);
            }
            return certificates;
        }
    }
}
