package io.linesight.scada.opcua;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The {@code rejected/} folder of the trust list, written so an engineer can read it: each refused client certificate
 * is {@code <common name> [<SHA-1 thumbprint>].der}, for example {@code UaExpert@plc-pc [3F2A...9C].der}. The
 * thumbprint is the SHA-1 of the certificate's DER encoding in upper-case hex, the form OPC UA clients (UaExpert,
 * the .NET stack, node-opcua in lower case) and {@code openssl x509 -fingerprint -sha1} show, so it can be checked
 * with the client's owner before the file is moved to {@code trusted/certs}. (Milo's own names hold the SHA-1 of the
 * signature, which no client shows, and a URL-encoded subject.) The newest {@value #KEEP} files are kept.
 */
final class RejectedCertificates {

    /** As many as Milo keeps: a client that makes a new certificate at every attempt cannot fill the disk. */
    static final int KEEP = 128;
    private static final int MAX_NAME_CHARS = 64;

    private final Path folder;

    RejectedCertificates(Path folder) {
        this.folder = folder;
    }

    /**
     * Writes {@code certificate} (atomically, through a temporary name) unless it is there already.
     *
     * @return the file, and whether it was written now (false: an earlier attempt of the same client left it)
     * @throws IOException if the folder cannot be written
     */
    Stored store(X509Certificate certificate) throws IOException {
        Path file = folder.resolve(fileName(certificate));
        if (Files.exists(file)) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // the newest are kept
            return new Stored(file, false);
        }
        pruneToMakeRoom();
        Path partial = folder.resolve("." + file.getFileName() + ".part"); // hidden: Milo and people skip it
        Files.write(partial, der(certificate));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Stored(file, true);
    }

    /** A certificate file in the folder, and whether this attempt wrote it. */
    record Stored(Path file, boolean isNew) {
    }

    private void pruneToMakeRoom() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile).sorted(Comparator.comparing(RejectedCertificates::modified)).toList();
        }
        for (int i = 0; i <= files.size() - KEEP; i++) {
            Files.deleteIfExists(files.get(i));
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // vanished meanwhile: first in line anyway
        }
    }

    /** {@code <common name> [<thumbprint>].der}, safe on every file system. */
    static String fileName(X509Certificate certificate) {
        return readable(commonName(certificate)) + " [" + thumbprint(certificate) + "].der";
    }

    /** SHA-1 of the DER encoding, upper-case hex without separators. */
    static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(der(certificate)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** The subject's CN, else the whole subject; "" if it cannot be read. */
    static String commonName(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        try {
            return new LdapName(subject).getRdns().stream()
                    .filter(rdn -> "CN".equalsIgnoreCase(rdn.getType()))
                    .map(Rdn::getValue).map(String::valueOf)
                    .reduce((first, last) -> last) // LdapName lists the most specific RDN last
                    .orElse(subject);
        } catch (InvalidNameException e) {
            return subject;
        }
    }

    /**
     * The name with what Windows, macOS and Linux forbid or treat specially replaced by {@code _}: path separators,
     * {@code : * ? " < > |}, control characters, and leading dots (hidden files); at most 64 characters.
     */
    static String readable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(MAX_NAME_CHARS).forEach(c ->
                out.appendCodePoint(Character.isISOControl(c) || "/\\:*?\"<>|".indexOf(c) >= 0 ? '_' : c));
        String trimmed = out.toString().strip();
        while (trimmed.startsWith(".")) {
            trimmed = "_" + trimmed.substring(1);
        }
        return trimmed.isEmpty() ? "unnamed" : trimmed;
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }
}
