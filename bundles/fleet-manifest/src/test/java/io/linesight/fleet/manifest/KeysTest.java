package io.linesight.fleet.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonParser;
import io.linesight.fleet.manifest.ManifestException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

    /** The package signing tool of this repository, relative to this module (Surefire runs in the module). */
    private static final Path SIGN_PACKAGE = Path.of("../../models/tools/SignPackage.java");

    @TempDir
    Path temp;

    @Test
    void generateWritesAPemPairWithTheSecretForTheOwnerOnly() throws Exception {
        KeyPair pair = Keys.generate(temp.resolve("keys"), "plant-7");

        Path privateFile = temp.resolve("keys/plant-7.key");
        Path publicFile = temp.resolve("keys/plant-7.pub");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)));
        List<String> privateLines = Files.readAllLines(privateFile);
        assertEquals("-----BEGIN PRIVATE KEY-----", privateLines.get(0));
        assertEquals("-----END PRIVATE KEY-----", privateLines.get(privateLines.size() - 1));
        List<String> publicLines = Files.readAllLines(publicFile);
        assertEquals("-----BEGIN PUBLIC KEY-----", publicLines.get(0));
        assertEquals("-----END PUBLIC KEY-----", publicLines.get(publicLines.size() - 1));
        assertEquals(pair.getPrivate(), Keys.readPrivateKey(privateFile));
        assertEquals(pair.getPublic(), Keys.readPublicKey(publicFile));
        assertEquals("plant-7", Keys.nameOf(privateFile));
        assertEquals("plant-7", Keys.nameOf(publicFile));
    }

    @Test
    void generateNeverOverwritesAKey() throws Exception {
        Keys.generate(temp, "plant-7");
        String before = Files.readString(temp.resolve("plant-7.key"));

        ManifestException refused = assertThrows(ManifestException.class, () -> Keys.generate(temp, "plant-7"));

        assertEquals(Reason.BAD_KEY, refused.reason());
        assertTrue(refused.getMessage().contains("exists already; a key is never overwritten"), refused.getMessage());
        assertEquals(before, Files.readString(temp.resolve("plant-7.key")));
    }

    @Test
    void generateRefusesANameThatIsAPath() {
        ManifestException refused = assertThrows(ManifestException.class, () -> Keys.generate(temp, "a/b"));

        assertEquals("Key name 'a/b' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or"
                + " digit.", refused.getMessage());
    }

    /**
     * A pair made here signs a model package with models/sign (run as an operator runs it), and the signature
     * verifies with the .pub read as model-deploy's TrustedKeys reads it: the text between the BEGIN and END PUBLIC
     * KEY lines, trimmed, MIME base64, X.509 spec, Ed25519 key factory (reproduced with the same JDK calls).
     */
    @Test
    void aGeneratedPairSignsModelPackagesThatModelDeployWouldVerify() throws Exception {
        Keys.generate(temp.resolve("keys"), "plant-7");
        Path pkg = Files.createDirectories(temp.resolve("package"));
        Files.writeString(pkg.resolve("model.json"), "{\"name\": \"m\", \"version\": \"1\"}\n");
        Files.writeString(pkg.resolve("model.onnx"), "not really a model, but bytes to sign\n");

        run(javaLauncher(), SIGN_PACKAGE.toString(), pkg.toString(), temp.resolve("keys/plant-7.key").toString());

        List<String> sigFile = Files.readAllLines(pkg.resolve("MANIFEST.sig"));
        assertEquals("key: plant-7", sigFile.get(0));
        String pem = Files.readString(temp.resolve("keys/plant-7.pub"));
        String begin = "-----BEGIN PUBLIC KEY-----";
        String body = pem.substring(pem.indexOf(begin) + begin.length(), pem.indexOf("-----END PUBLIC KEY-----"));
        PublicKey asModelDeployReadsIt = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(body.trim())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(asModelDeployReadsIt);
        verifier.update(Files.readAllBytes(pkg.resolve("MANIFEST.sha256")));
        assertTrue(verifier.verify(Base64.getDecoder().decode(sigFile.get(1).substring("signature: ".length()))));
    }

    /** The other way round: a pair made by models/sign keygen signs and opens manifests. */
    @Test
    void aPairMadeByTheModelSigningToolSignsAndOpensManifests() throws Exception {
        Path keys = temp.resolve("keys");
        run(javaLauncher(), SIGN_PACKAGE.toString(), "keygen", keys.toString(), "line-signer");

        PrivateKey privateKey = Keys.readPrivateKey(keys.resolve("line-signer.key"));
        byte[] envelope = SignedManifest.sign(Examples.shadowBytes(), Keys.nameOf(keys.resolve("line-signer.key")),
                privateKey);

        assertEquals("dm-2026-12-08-defect-0.3.0", SignedManifest.open(envelope, Keys.folder(keys)).deploymentId());
    }

    /** MANIFEST-FORMAT.md tells how to sign without Java; OpenSSL's Ed25519 must agree with ours both ways. */
    @Test
    void openSslSignsWhatABoxOpensAndVerifiesWhatWeSign() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path keys = temp.resolve("keys");
        Keys.generate(keys, "plant-7");
        Path manifest = temp.resolve("manifest.json");
        Files.write(manifest, Examples.shadowBytes());
        Path sig = temp.resolve("manifest.sig");

        run("/usr/bin/openssl", "pkeyutl", "-sign", "-inkey", keys.resolve("plant-7.key").toString(), "-rawin",
                "-in", manifest.toString(), "-out", sig.toString());
        String envelope = "{\"format\":\"linesight.signed/1\",\"key\":\"plant-7\",\"signature\":\""
                + Base64.getEncoder().encodeToString(Files.readAllBytes(sig)) + "\",\"manifest\":\""
                + Base64.getEncoder().encodeToString(Files.readAllBytes(manifest)) + "\"}";
        assertEquals("plant-7", SignedManifest.verify(envelope.getBytes(StandardCharsets.UTF_8), Keys.folder(keys))
                .keyName());

        byte[] ours = SignedManifest.sign(Examples.shadowBytes(), "plant-7",
                Keys.readPrivateKey(keys.resolve("plant-7.key")));
        String signature = JsonParser.parseString(new String(ours, StandardCharsets.UTF_8)).getAsJsonObject()
                .get("signature").getAsString();
        Files.write(sig, Base64.getDecoder().decode(signature));
        run("/usr/bin/openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keys.resolve("plant-7.pub").toString(),
                "-rawin", "-in", manifest.toString(), "-sigfile", sig.toString());
    }

    @Test
    void refusesFilesThatAreNotEd25519PemKeysNamingThem() throws Exception {
        Keys.generate(temp, "plant-7");
        Path rsaPub = temp.resolve("rsa.pub");
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Files.writeString(rsaPub, Pem.encode(Pem.PUBLIC_KEY, rsa.getPublic().getEncoded()));

        assertEquals("Key file " + temp.resolve("plant-7.pub") + " is not an Ed25519 private key (PKCS#8 PEM, as"
                + " written by keygen): it has no -----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY----- block.",
                refusal(() -> Keys.readPrivateKey(temp.resolve("plant-7.pub"))));
        assertTrue(refusal(() -> Keys.readPublicKey(rsaPub)).startsWith("Key file " + rsaPub + " is not an Ed25519"
                + " public key (X.509 PEM, as written by keygen): "));
        assertEquals("Key file " + temp.resolve("none.key") + " does not exist.",
                refusal(() -> Keys.readPrivateKey(temp.resolve("none.key"))));
    }

    @Test
    void aFolderLookupFindsOnlyPlainKeyNamesInsideItsFolder() throws Exception {
        Path trusted = Files.createDirectories(temp.resolve("trusted"));
        Keys.generate(temp, "outside");
        Keys.generate(trusted, "inside");
        KeyLookup lookup = Keys.folder(trusted);

        assertTrue(lookup.find("inside").isPresent());
        assertTrue(lookup.find("outside").isEmpty());
        assertTrue(lookup.find("../outside").isEmpty());
        assertTrue(Keys.folder(temp.resolve("no-such-folder")).find("inside").isEmpty());
        assertEquals(trusted + "/", lookup.location());
    }

    private interface KeyCall {
        Object call() throws ManifestException;
    }

    private static String refusal(KeyCall call) {
        ManifestException refused = assertThrows(ManifestException.class, call::call);
        assertEquals(Reason.BAD_KEY, refused.reason());
        return refused.getMessage();
    }

    private static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command to its end (generous deadline for a loaded machine), killing it if the test gives up. */
    private void run(String... command) throws IOException, InterruptedException {
        Path output = temp.resolve("command-output.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "finished within 180 s: " + List.of(command));
            assertEquals(0, process.exitValue(), Files.readString(output));
        } finally {
            process.destroyForcibly();
        }
    }
}
