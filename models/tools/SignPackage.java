import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Signs LineSight model packages (single-file Java program, run through models/sign; JDK only):
 *
 * <pre>
 *   sign keygen DIR KEY-NAME
 *       writes DIR/KEY-NAME.key (Ed25519 private key, PKCS#8 PEM, mode 600) and DIR/KEY-NAME.pub
 *       (public key, X.509 PEM): give the .pub to the runtimes that should trust you
 *   sign PACKAGE-DIR PRIVATE-KEY.key [--zip OUT.zip]
 *       writes PACKAGE-DIR/MANIFEST.sha256 (sha256 of every other file, sorted by path) and
 *       PACKAGE-DIR/MANIFEST.sig (key: KEY-NAME, signature: Ed25519 over MANIFEST.sha256); with --zip,
 *       also zips the signed package (files at the zip's top)
 * </pre>
 *
 * The key name written into MANIFEST.sig is the private key file's name without its extension; the
 * runtime looks for KEY-NAME.pub among its trusted keys.
 */
public final class SignPackage {

    static final String MANIFEST = "MANIFEST.sha256";
    static final String SIGNATURE = "MANIFEST.sig";
    /** Written by the runtime's repository beside a stored package; a package must not carry them. */
    static final List<String> RESERVED = List.of("deployment.json", "gate.json");

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("keygen")) {
            keygen(Path.of(args[1]), args[2]);
        } else if (args.length == 2 || (args.length == 4 && args[2].equals("--zip"))) {
            sign(Path.of(args[0]), Path.of(args[1]), args.length == 4 ? Path.of(args[3]) : null);
        } else {
            System.err.println("usage: sign keygen DIR KEY-NAME\n"
                    + "       sign PACKAGE-DIR PRIVATE-KEY.key [--zip OUT.zip]");
            System.exit(2);
        }
    }

    static void keygen(Path dir, String name) throws Exception {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            fail("key name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        Files.createDirectories(dir);
        Path privateFile = dir.resolve(name + ".key");
        Path publicFile = dir.resolve(name + ".pub");
        if (Files.exists(privateFile) || Files.exists(publicFile)) {
            fail(privateFile + " or " + publicFile + " exists; refusing to overwrite a key");
        }
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        System.out.println("Private key: " + privateFile + " (keep it secret; mode 600)");
        System.out.println("Public key:  " + publicFile + " (copy it to config/trusted-keys/ of every runtime"
                + " that should accept packages signed with '" + name + "')");
    }

    static void sign(Path dir, Path keyFile, Path zip) throws Exception {
        if (!Files.isRegularFile(dir.resolve("model.json"))) {
            fail(dir + " has no model.json: not a model package");
        }
        for (String reserved : RESERVED) {
            if (Files.exists(dir.resolve(reserved))) {
                fail(dir + " holds " + reserved + ", which the runtime's repository writes itself: remove it");
            }
        }
        String keyName = baseName(keyFile);
        byte[] manifest = manifest(dir);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(privateKey(keyFile));
        signer.update(manifest);
        String signature = Base64.getEncoder().encodeToString(signer.sign());
        Files.write(dir.resolve(MANIFEST), manifest);
        Files.writeString(dir.resolve(SIGNATURE), "key: " + keyName + "\nsignature: " + signature + "\n");
        long files = new String(manifest, StandardCharsets.UTF_8).lines().count();
        System.out.println("Signed " + dir + " with key '" + keyName + "': " + files + " files in " + MANIFEST);
        if (zip != null) {
            zip(dir, zip);
            System.out.println("Package zip: " + zip);
        }
    }

    /** One line per file except the manifest and signature: sha256-hex, two spaces, path with '/'. */
    static byte[] manifest(Path dir) throws Exception {
        Map<String, String> digests = new TreeMap<>();
        for (Path file : files(dir)) {
            String path = relative(dir, file);
            if (!path.equals(MANIFEST) && !path.equals(SIGNATURE)) {
                digests.put(path, sha256(file));
            }
        }
        StringBuilder text = new StringBuilder();
        digests.forEach((path, hex) -> text.append(hex).append("  ").append(path).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void zip(Path dir, Path zip) throws IOException {
        Path absoluteZip = zip.toAbsolutePath().normalize();
        if (absoluteZip.startsWith(dir.toAbsolutePath().normalize())) {
            fail("the zip must be written outside the package folder");
        }
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Path file : files(dir)) {
                z.putNextEntry(new ZipEntry(relative(dir, file)));
                Files.copy(file, z);
                z.closeEntry();
            }
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.filter(p -> !p.equals(dir)).sorted().toList();
            for (Path p : all) {
                if (Files.isSymbolicLink(p)) {
                    fail(p + " is a symbolic link: a package holds only plain files");
                }
            }
            return all.stream().filter(Files::isRegularFile).toList();
        }
    }

    static PrivateKey privateKey(Path file) throws Exception {
        String pem = Files.readString(file);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            fail(file + " is not a PKCS#8 PEM private key (make one with: sign keygen DIR NAME)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).trim());
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static String baseName(Path keyFile) {
        String name = keyFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void fail(String message) {
        System.err.println("sign: " + message);
        System.exit(1);
    }
}
