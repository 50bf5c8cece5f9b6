package io.linesight.model.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 public keys this runtime trusts: files {@code <key-name>.pub} (PEM, X.509
 * SubjectPublicKeyInfo) in one folder. Read at every verification, so trusting or revoking a key is adding
 * or deleting a file, without a restart.
 */
final class TrustedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedKeys.class);
    static final String SUFFIX = ".pub";

    private final Path folder;

    TrustedKeys(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    /** Every readable key by name; a malformed key file is skipped with a WARN naming it. */
    Map<String, PublicKey> load() {
        Map<String, PublicKey> keys = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    keys.put(name.substring(0, name.length() - SUFFIX.length()), parse(Files.readString(file)));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    LOG.warn("Trusted key file {} is not an Ed25519 public key in PEM ({}); it is ignored", file,
                            e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list trusted keys in {}: {}", folder, e.getMessage());
        }
        return keys;
    }

    /** Parses {@code -----BEGIN PUBLIC KEY-----} PEM text holding an Ed25519 key. */
    static PublicKey parse(String pem) throws GeneralSecurityException {
        byte[] der = Base64.getMimeDecoder().decode(pemBody(pem, "PUBLIC KEY"));
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    /** The base64 between the BEGIN and END lines of a PEM block of {@code type}. */
    static String pemBody(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " block");
        }
        return pem.substring(from + begin.length(), to).trim();
    }
}
