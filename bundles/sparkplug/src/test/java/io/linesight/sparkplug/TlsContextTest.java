package io.linesight.sparkplug;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.sparkplug.peer.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS files are checked when the configuration arrives: a wrong file is a refused configuration with a reason. */
class TlsContextTest {

    @TempDir
    Path dir;

    private SparkplugSettings settings(Path ca, Path keyStore, String password) {
        SparkplugSettings s = FakeRuntime.settings("ssl://127.0.0.1:8883", dir.resolve("j.mv"), "", false, Set.of());
        return new SparkplugSettings(s.brokers(), s.groupId(), s.edgeNodeId(), s.clientId(), "", "", ca, keyStore,
                password, 10, "", false, s.dataInterval(), 100, s.journalFile(), s.journalMaxBytes(), s.journalMaxAge(),
                s.fsyncInterval(), 100, Set.of());
    }

    @Test
    void noFilesMeansTheJvmDefaultsAndRealFilesMakeAFactory() throws Exception {
        assertNull(TlsContext.socketFactory(settings(null, null, "")));
        TlsFiles files = TlsFiles.create(Files.createDirectories(dir.resolve("pki")));
        Path keyStore = files.clientKeyStore("box1", "pw");
        assertNotNull(TlsContext.socketFactory(settings(files.caCertificate(), keyStore, "pw")));
        String wrongPassword = assertThrows(IllegalArgumentException.class,
                () -> TlsContext.socketFactory(settings(files.caCertificate(), keyStore, "nope"))).getMessage();
        assertTrue(wrongPassword.contains("tls.keyStore") && wrongPassword.contains("password"), wrongPassword);
    }

    @Test
    void aCaFileWithoutCertificatesIsRefused() throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        String why = assertThrows(IllegalArgumentException.class,
                () -> TlsContext.socketFactory(settings(garbage, null, ""))).getMessage();
        assertTrue(why.startsWith("io.linesight.sparkplug: TLS files cannot be used") && why.contains("tls.caFile"),
                why);
    }
}
