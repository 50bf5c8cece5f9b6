package io.linesight.fleet.manifest;

import io.linesight.fleet.manifest.ManifestException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * Ed25519 signing keys in the files model packages are signed with: {@code <key-name>.key} (PKCS#8 PEM, kept
 * secret) and {@code <key-name>.pub} (X.509 SubjectPublicKeyInfo PEM, copied to every runtime that should trust
 * the key). A key's name is its file name without the extension.
 */
public final class Keys {

    public static final String ALGORITHM = "Ed25519";
    public static final String PRIVATE_SUFFIX = ".key";
    public static final String PUBLIC_SUFFIX = ".pub";

    private Keys() {
    }

    /**
     * Reads a {@code .key} file.
     *
     * @throws ManifestException BAD_KEY when the file cannot be read or holds no Ed25519 PKCS#8 PEM key
     */
    public static PrivateKey readPrivateKey(Path pem) throws ManifestException {
        byte[] der = der(pem, Pem.PRIVATE_KEY, "an Ed25519 private key (PKCS#8 PEM, as written by keygen)");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw notAKey(pem, "an Ed25519 private key (PKCS#8 PEM, as written by keygen)", e);
        }
    }

    /**
     * Reads a {@code .pub} file.
     *
     * @throws ManifestException BAD_KEY when the file cannot be read or holds no Ed25519 X.509 PEM key
     */
    public static PublicKey readPublicKey(Path pem) throws ManifestException {
        byte[] der = der(pem, Pem.PUBLIC_KEY, "an Ed25519 public key (X.509 PEM, as written by keygen)");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw notAKey(pem, "an Ed25519 public key (X.509 PEM, as written by keygen)", e);
        }
    }

    /**
     * The keys trusted by putting {@code <key-name>.pub} into {@code trustedKeysDir}. The file is read at each
     * lookup, so adding it trusts the key and deleting it revokes the key, without a restart. A missing folder
     * trusts nothing.
     */
    public static KeyLookup folder(Path trustedKeysDir) {
        return new KeyLookup() {
            @Override
            public Optional<PublicKey> find(String keyName) throws ManifestException {
                if (!isKeyName(keyName)) {
                    return Optional.empty(); // never a path: "../x" must not reach outside the folder
                }
                Path file = trustedKeysDir.resolve(keyName + PUBLIC_SUFFIX);
                if (!Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                return Optional.of(readPublicKey(file));
            }

            @Override
            public String location() {
                return trustedKeysDir + trustedKeysDir.getFileSystem().getSeparator();
            }
        };
    }

    /**
     * Makes a new key pair {@code name}: {@code dir/<name>.key} (mode 600 where the file system has POSIX
     * permissions) and {@code dir/<name>.pub}, creating {@code dir} if needed. Never overwrites a key.
     *
     * @throws ManifestException BAD_KEY when {@code name} is not a usable key name or a file of the pair exists
     * @throws IOException when the files cannot be written
     */
    public static KeyPair generate(Path dir, String name) throws ManifestException, IOException {
        requireKeyName(name);
        Path privateFile = dir.resolve(name + PRIVATE_SUFFIX);
        Path publicFile = dir.resolve(name + PUBLIC_SUFFIX);
        if (Files.exists(privateFile) || Files.exists(publicFile)) {
            throw new ManifestException(Reason.BAD_KEY, privateFile + " or " + publicFile
                    + " exists already; a key is never overwritten, choose another name or remove the old pair.");
        }
        KeyPair pair = newPair();
        Files.createDirectories(dir);
        // created with its permissions, so the secret is never readable by others, not even for a moment
        Files.createFile(privateFile, ownerOnly(dir));
        Files.writeString(privateFile, Pem.encode(Pem.PRIVATE_KEY, pair.getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
        Files.writeString(publicFile, Pem.encode(Pem.PUBLIC_KEY, pair.getPublic().getEncoded()),
                StandardCharsets.US_ASCII);
        return pair;
    }

    /** The key name of a {@code .key} or {@code .pub} file: its file name without the extension. */
    public static String nameOf(Path keyFile) {
        String file = keyFile.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** Whether {@code name} is usable as a key name (and so as a file name in the trusted-keys folder). */
    public static boolean isKeyName(String name) {
        return name != null && Checks.KEY_NAME.matcher(name).matches();
    }

    static void requireKeyName(String name) throws ManifestException {
        if (!isKeyName(name)) {
            throw new ManifestException(Reason.BAD_KEY, "Key name '" + Checks.shown(String.valueOf(name))
                    + "' must be " + Checks.KEY_NAME_RULE + ".");
        }
    }

    private static KeyPair newPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Java 15 and later always provide " + ALGORITHM, e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    private static byte[] der(Path pem, String type, String expected) throws ManifestException {
        String text;
        try {
            // Latin-1 decodes any byte: a stray non-ASCII byte is then reported as "not a key", not as unreadable
            text = Files.readString(pem, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ManifestException(Reason.BAD_KEY, "Key file " + pem + " does not exist.", e);
        } catch (IOException e) {
            throw new ManifestException(Reason.BAD_KEY, "Key file " + pem + " cannot be read (" + e + ").", e);
        }
        try {
            return Pem.decode(text, type);
        } catch (IllegalArgumentException e) {
            throw notAKey(pem, expected, e);
        }
    }

    private static ManifestException notAKey(Path pem, String expected, Exception e) {
        return new ManifestException(Reason.BAD_KEY, "Key file " + pem + " is not " + expected + ": "
                + e.getMessage() + ".", e);
    }
}
