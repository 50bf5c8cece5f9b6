package io.linesight.sparkplug.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made by the {@code openssl} command line tool: a CA, a server certificate it signed for
 * {@code 127.0.0.1} and {@code localhost}, and a second CA that signed nothing (for "wrong CA" tests). All PEM,
 * EC P-256 keys without a passphrase.
 *
 * @param caCertificate the CA that signed the server certificate
 * @param serverCertificate the server's certificate (subjectAltName IP:127.0.0.1, DNS:localhost)
 * @param serverKey the server's private key
 * @param unrelatedCaCertificate a CA that has nothing to do with the server
 */
public record TlsFiles(Path caCertificate, Path serverCertificate, Path serverKey, Path unrelatedCaCertificate) {

    private static final long OPENSSL_TIMEOUT_SECONDS = 60;
    private static final String DAYS = "30";

    /** Creates the files in {@code dir} (which must exist). */
    public static TlsFiles create(Path dir) throws IOException {
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.crt");
        selfSignedCa(dir, caKey, caCert, "LineSight Test CA");
        Path serverKey = dir.resolve("server.key");
        Path serverCsr = dir.resolve("server.csr");
        Path serverCert = dir.resolve("server.crt");
        Path extensions = dir.resolve("server.ext");
        Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=serverAuth\n");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", serverKey.toString(), "-out", serverCsr.toString(), "-subj", "/CN=127.0.0.1");
        openssl(dir, "x509", "-req", "-in", serverCsr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-set_serial", "2", "-days", DAYS, "-extfile", extensions.toString(), "-out", serverCert.toString());
        Path unrelatedKey = dir.resolve("unrelated-ca.key");
        Path unrelatedCert = dir.resolve("unrelated-ca.crt");
        selfSignedCa(dir, unrelatedKey, unrelatedCert, "Unrelated Test CA");
        return new TlsFiles(caCert, serverCert, serverKey, unrelatedCert);
    }

    /**
     * A client certificate signed by the test CA, with its key, in a PKCS#12 key store protected by {@code password}
     * (what an edge node presents to a broker that requires client certificates).
     */
    public Path clientKeyStore(String commonName, String password) throws IOException {
        Path dir = caCertificate.getParent();
        Path key = dir.resolve(commonName + ".key");
        Path csr = dir.resolve(commonName + ".csr");
        Path cert = dir.resolve(commonName + ".crt");
        Path extensions = dir.resolve(commonName + ".ext");
        Path store = dir.resolve(commonName + ".p12");
        Files.writeString(extensions, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=clientAuth\n");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + commonName);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCertificate.toString(), "-CAkey",
                dir.resolve("ca.key").toString(), "-set_serial", String.valueOf(System.nanoTime() & 0xFFFFFF), "-days",
                DAYS, "-extfile", extensions.toString(), "-out", cert.toString());
        openssl(dir, "pkcs12", "-export", "-inkey", key.toString(), "-in", cert.toString(), "-out", store.toString(),
                "-passout", "pass:" + password);
        return store;
    }

    private static void selfSignedCa(Path dir, Path key, Path cert, String commonName) throws IOException {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", DAYS, "-subj", "/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path output = dir.resolve("openssl.out");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("openssl " + args[0] + " did not finish in " + OPENSSL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl failed: " + String.join(" ", command) + "\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }
}
