package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 13: rejected/ holds readable names with the thumbprint clients show. */
class RejectedCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void theNameIsTheCommonNameAndTheSha1OfTheDerAsOpensslPrintsIt() throws Exception {
        ClientCertificate client = ClientCertificate.create("urn:plant-7:scada/hmi?1");
        String thumbprint = RejectedCertificates.thumbprint(client.certificate());
        assertEquals("LineSight test SCADA urn_plant-7_scada_hmi_1 [" + thumbprint + "].der",
                RejectedCertificates.fileName(client.certificate()));
        assertEquals(thumbprint, opensslSha1(client));
    }

    @Test
    void namesAreSafeOnEveryFileSystem() {
        assertEquals("a_b_c_d_e_f_g_h_i_j", RejectedCertificates.readable("a/b\\c:d*e?f\"g<h>i|j"));
        assertEquals("_hidden", RejectedCertificates.readable(".hidden"));
        assertEquals("unnamed", RejectedCertificates.readable("  "));
        assertEquals("Prüfstand Linie 3 (Halle 2)", RejectedCertificates.readable("Prüfstand Linie 3 (Halle 2)"));
        assertEquals(64, RejectedCertificates.readable("x".repeat(200)).length());
        assertEquals("tab_newline_", RejectedCertificates.readable("tab\tnewline\n"));
    }

    @Test
    void aCertificateIsWrittenOnceAndTheNewest128AreKept() throws Exception {
        RejectedCertificates rejected = new RejectedCertificates(dir);
        ClientCertificate client = ClientCertificate.create("urn:linesight:test:again");
        RejectedCertificates.Stored first = rejected.store(client.certificate());
        assertTrue(first.isNew());
        assertTrue(java.util.Arrays.equals(client.certificate().getEncoded(), Files.readAllBytes(first.file())));
        assertFalse(rejected.store(client.certificate()).isNew(), "the same client again writes nothing new");

        for (int i = 0; i < RejectedCertificates.KEEP + 5; i++) {
            Path old = Files.writeString(dir.resolve("old-" + i + ".der"), "x", StandardCharsets.US_ASCII);
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L + i));
        }
        RejectedCertificates.Stored newest = rejected.store(ClientCertificate.create("urn:linesight:test:new").certificate());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(RejectedCertificates.KEEP, files.count());
        }
        assertTrue(Files.exists(newest.file()));
        assertTrue(Files.exists(first.file()), "touched by its second refusal, so among the newest");
        assertFalse(Files.exists(dir.resolve("old-0.der")), "the oldest go first");
    }

    /** {@code openssl x509 -fingerprint -sha1}, colons removed: what an engineer compares with the client's owner. */
    private String opensslSha1(ClientCertificate client) throws Exception {
        Path der = dir.resolve("client.der");
        Files.write(der, client.certificate().getEncoded());
        Process p;
        try {
            p = new ProcessBuilder("openssl", "x509", "-inform", "DER", "-in", der.toString(), "-noout", "-fingerprint",
                    "-sha1").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.toLowerCase().startsWith("sha1 fingerprint="), out);
        return out.substring(out.indexOf('=') + 1).replace(":", "");
    }
}
