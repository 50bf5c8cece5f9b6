package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSA key generation is the slow part, so each test makes as few keys as its point needs. */
class ApplicationCertificateTest {

    private static final String URI = "urn:linesight:opcua:server";

    @TempDir
    Path pki;

    @Test
    void createdOnceReusedAcrossRestartsAndRenewedForAnotherApplicationUri() throws Exception {
        ApplicationCertificate first = ApplicationCertificate.loadOrCreate(settings(URI));
        ApplicationCertificate restarted = ApplicationCertificate.loadOrCreate(settings(URI));

        assertEquals(first.thumbprint(), restarted.thumbprint());
        assertEquals(first.keyPair().getPrivate(), restarted.keyPair().getPrivate());
        assertEquals(Optional.of(URI), CertificateUtil.getSanUri(first.certificate()));
        assertEquals(List.of("127.0.0.1"), CertificateUtil.getSanIpAddresses(first.certificate()));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(pki.resolve("own/private/linesight-server.pk8"))));

        ApplicationCertificate renamed = ApplicationCertificate.loadOrCreate(settings("urn:linesight:cell-7"));

        assertNotEquals(first.thumbprint(), renamed.thumbprint());
        assertEquals(Optional.of("urn:linesight:cell-7"), CertificateUtil.getSanUri(renamed.certificate()));
    }

    @Test
    void damagedFilesAreReplacedNotFatal() throws Exception {
        Files.createDirectories(pki.resolve("own/private"));
        Files.createDirectories(pki.resolve("own/certs"));
        Files.write(pki.resolve("own/private/linesight-server.pk8"), new byte[] {1, 2, 3});
        Files.write(pki.resolve("own/certs/linesight-server.der"), new byte[] {4, 5, 6});

        ApplicationCertificate replaced = ApplicationCertificate.loadOrCreate(settings(URI));

        assertEquals(Optional.of(URI), CertificateUtil.getSanUri(replaced.certificate()));
        assertEquals(replaced.thumbprint(), ApplicationCertificate.loadOrCreate(settings(URI)).thumbprint());
    }

    private ServerSettings settings(String applicationUri) {
        return ServerSettings.from(TestConfigs.config(Map.of("pkiDirectory", pki.toString(), "applicationUri", applicationUri)),
                System::getProperty);
    }
}
