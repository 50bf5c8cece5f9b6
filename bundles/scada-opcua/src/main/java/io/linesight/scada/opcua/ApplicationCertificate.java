package io.linesight.scada.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's application instance certificate and its private key.
 *
 * <p>Kept in the PKI folder so the server presents the same certificate after every restart (clients
 * pin it): {@code own/certs/linesight-server.der} (DER) and
 * {@code own/private/linesight-server.pk8} (unencrypted PKCS#8, readable by the owner only; protect the
 * folder like any server key). The sibling folders {@code trusted/}, {@code issuers/} and
 * {@code rejected/} belong to the {@link TrustList}. A stored certificate is reused
 * only if it is valid today, names the configured application URI and matches its key; otherwise a new
 * self-signed one is created. If the folder cannot be written, the certificate lives in memory only.
 *
 * @param keyPair     the server's key pair (RSA 2048)
 * @param certificate the self-signed certificate of {@code keyPair}
 */
record ApplicationCertificate(KeyPair keyPair, X509Certificate certificate) {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationCertificate.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
    private static final String CERTIFICATE_FILE = "own/certs/linesight-server.der";
    private static final String KEY_FILE = "own/private/linesight-server.pk8";

    /** Loads the stored certificate of {@code settings}, or creates (and tries to store) a new one. */
    static ApplicationCertificate loadOrCreate(ServerSettings settings) throws GeneralSecurityException {
        Path pki = settings.pkiDirectory();
        Optional<ApplicationCertificate> stored = load(pki).filter(c -> c.fits(settings));
        if (stored.isPresent()) {
            LOG.debug("Using the application certificate in {} ({})", pki, stored.get().thumbprint());
            return stored.get();
        }
        ApplicationCertificate created = create(settings);
        store(created, pki);
        return created;
    }

    /** SHA-1 thumbprint in hex, the form OPC UA tools show next to a certificate. */
    String thumbprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private boolean fits(ServerSettings settings) {
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            LOG.info("The stored application certificate is not valid today ({}); creating a new one", e.getMessage());
            return false;
        }
        Optional<String> uri = CertificateUtil.getSanUri(certificate);
        if (!uri.equals(Optional.of(settings.applicationUri()))) {
            LOG.info("The stored application certificate names {} instead of {}; creating a new one",
                    uri.orElse("no URI"), settings.applicationUri());
            return false;
        }
        return true;
    }

    private static Optional<ApplicationCertificate> load(Path pki) {
        Path certificateFile = pki.resolve(CERTIFICATE_FILE);
        Path keyFile = pki.resolve(KEY_FILE);
        if (!Files.isRegularFile(certificateFile) || !Files.isRegularFile(keyFile)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
            return matching(certificate, key);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            LOG.warn("Cannot read the application certificate in {} ({}); creating a new one", pki, e.toString());
            return Optional.empty();
        }
    }

    private static Optional<ApplicationCertificate> matching(X509Certificate certificate, PrivateKey key) {
        if (certificate.getPublicKey() instanceof RSAPublicKey pub && key instanceof RSAPrivateCrtKey priv
                && pub.getModulus().equals(priv.getModulus())) {
            return Optional.of(new ApplicationCertificate(new KeyPair(pub, priv), certificate));
        }
        LOG.warn("The stored application certificate and key do not belong together; creating a new pair");
        return Optional.empty();
    }

    private static ApplicationCertificate create(ServerSettings settings) throws GeneralSecurityException {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName(settings.applicationName())
                .setOrganization("LineSight")
                .setApplicationUri(settings.applicationUri());
        if (IP_LITERAL.matcher(settings.hostname()).matches()) {
            builder.addIpAddress(settings.hostname());
        } else {
            builder.addDnsName(settings.hostname());
        }
        try {
            return new ApplicationCertificate(keyPair, builder.build());
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            // Milo's builder declares Exception; everything it throws is a certificate-building failure.
            throw new GeneralSecurityException("cannot build the self-signed application certificate", e);
        }
    }

    private static void store(ApplicationCertificate created, Path pki) {
        try {
            writeOwnerOnly(pki.resolve(KEY_FILE), created.keyPair.getPrivate().getEncoded());
            writeOwnerOnly(pki.resolve(CERTIFICATE_FILE), created.certificate.getEncoded());
            LOG.info("Created a self-signed application certificate in {} (SHA-1 {})", pki, created.thumbprint());
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("Cannot store the application certificate in {} ({}); it lives in memory and changes on"
                    + " every start. Set 'pkiDirectory' of {} to a writable folder.", pki, e.toString(),
                    OpcUaScadaComponent.PID);
        }
    }

    /** Writes through a temporary file so a crash never leaves half a key behind. */
    private static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            restrictToOwner(temp);
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the folder's ACL applies.
        }
    }
}
