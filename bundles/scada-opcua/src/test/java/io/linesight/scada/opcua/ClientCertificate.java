package io.linesight.scada.opcua;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/** A SCADA client's application instance certificate, as a client tool would generate it for itself. */
record ClientCertificate(String applicationUri, KeyPair keyPair, X509Certificate certificate) {

    static ClientCertificate create(String applicationUri) throws Exception {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("LineSight test SCADA " + applicationUri)
                .setOrganization("LineSight tests")
                .setApplicationUri(applicationUri)
                .addDnsName("localhost")
                .build();
        return new ClientCertificate(applicationUri, keyPair, certificate);
    }

    /** What an engineer does to trust it: put the DER file into {@code <pki>/trusted/certs}. */
    void trustIn(Path pki) throws Exception {
        Path certs = pki.resolve("trusted/certs");
        Files.createDirectories(certs);
        Files.write(certs.resolve(applicationUri.replaceAll("[^A-Za-z0-9]", "_") + ".der"), certificate.getEncoded());
    }
}
