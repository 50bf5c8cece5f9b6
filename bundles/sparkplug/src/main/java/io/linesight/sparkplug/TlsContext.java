package io.linesight.sparkplug;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS socket factory for ssl:// brokers: trust the CA certificates of a PEM file (the plant's CA, not the whole
 * world), and present a client certificate from a PKCS#12 key store when one is configured.
 */
final class TlsContext {

    private TlsContext() {
    }

    /** @return null when neither a CA file nor a key store is configured (the JVM's defaults apply) */
    static SSLSocketFactory socketFactory(SparkplugSettings s) {
        if (s.caFile() == null && s.keyStore() == null) {
            return null;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(s.keyStore() == null ? null : keyManagers(s.keyStore(), s.keyStorePassword()).getKeyManagers(),
                    s.caFile() == null ? null : trustManagers(s.caFile()).getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(SparkplugConfig.PID + ": TLS files cannot be used (" + e.getMessage()
                    + "); check tls.caFile (PEM certificates) and tls.keyStore (PKCS#12) and its password", e);
        }
    }

    private static TrustManagerFactory trustManagers(Path caFile) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(caFile)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) {
            throw new GeneralSecurityException(caFile + " holds no certificate");
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate ca : cas) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    private static KeyManagerFactory keyManagers(Path keyStore, String password)
            throws GeneralSecurityException, IOException {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, secret);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, secret);
        return kmf;
    }
}
