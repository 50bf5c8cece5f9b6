package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageVerifierTest {

    @TempDir
    Path tmp;
    Path keys;
    Path pkg;
    KeyPair acme;

    @BeforeEach
    void setUp() throws Exception {
        keys = tmp.resolve("trusted-keys");
        acme = TestPackages.keyPair();
        TestPackages.trust(keys, "acme", acme);
        pkg = tmp.resolve("pkg");
        Files.createDirectories(pkg.resolve("golden"));
        Files.writeString(pkg.resolve("model.json"), "{\"name\":\"m\",\"version\":\"1.0.0\"}");
        Files.write(pkg.resolve("model.onnx"), new byte[] {1, 2, 3});
        Files.writeString(pkg.resolve("golden/expected.json"), "[]");
    }

    private String verify(boolean acceptUnsigned) throws DeploymentException {
        return new PackageVerifier(new TrustedKeys(keys), acceptUnsigned).verify(pkg, "m@1.0.0", Set.of());
    }

    private DeploymentException refused(boolean acceptUnsigned) {
        DeploymentException e = assertThrows(DeploymentException.class, () -> verify(acceptUnsigned));
        assertEquals(Reason.NOT_TRUSTED, e.reason());
        return e;
    }

    @Test
    void aPackageSignedByATrustedKeyPassesAndNamesItsSigner() throws Exception {
        TestPackages.sign(pkg, "acme", acme.getPrivate());
        assertEquals("acme", verify(false));
        String manifest = Files.readString(pkg.resolve(PackageManifest.MANIFEST));
        assertEquals(3, manifest.lines().count(), manifest);
        assertTrue(manifest.startsWith(PackageManifest.sha256(pkg.resolve("golden/expected.json")) + "  golden/expected.json\n"),
                manifest);
    }

    @Test
    void anUnsignedPackageIsRefusedUnlessUnsignedAreAccepted() throws Exception {
        assertTrue(refused(false).getMessage().contains("is not signed"));
        assertEquals(PackageVerifier.UNSIGNED, verify(true));
    }

    @Test
    void aChangedFileIsRefusedByName() throws Exception {
        TestPackages.sign(pkg, "acme", acme.getPrivate());
        Files.write(pkg.resolve("model.onnx"), new byte[] {1, 2, 4});
        String message = refused(false).getMessage();
        assertTrue(message.contains("file model.onnx was changed after signing"), message);
    }

    @Test
    void aWronglySignedPackageIsRefusedEvenWhenUnsignedAreAccepted() throws Exception {
        TestPackages.sign(pkg, "acme", acme.getPrivate());
        Files.writeString(pkg.resolve("golden/extra.png"), "x");
        assertTrue(refused(true).getMessage().contains("file golden/extra.png is not in the signed manifest"));
        Files.delete(pkg.resolve("golden/extra.png"));
        Files.delete(pkg.resolve("golden/expected.json"));
        assertTrue(refused(true).getMessage().contains("file golden/expected.json is listed in the manifest but missing"));
    }

    @Test
    void aKeyThatIsNotTrustedIsRefusedAndNamed() throws Exception {
        TestPackages.sign(pkg, "mallory", TestPackages.keyPair().getPrivate());
        String message = refused(true).getMessage();
        assertTrue(message.contains("signed with key 'mallory', which this runtime does not trust (trusted: [acme])"),
                message);
    }

    @Test
    void aSignatureByAnotherKeyUnderATrustedNameIsRefused() throws Exception {
        TestPackages.sign(pkg, "acme", TestPackages.keyPair().getPrivate());
        assertTrue(refused(false).getMessage().contains("does not verify with trusted key 'acme'"));
    }

    @Test
    void aManifestEditedAfterSigningIsRefused() throws Exception {
        TestPackages.sign(pkg, "acme", acme.getPrivate());
        Files.write(pkg.resolve("model.onnx"), new byte[] {9});
        // an attacker recomputes the manifest but cannot sign it
        Files.write(pkg.resolve(PackageManifest.MANIFEST),
                PackageManifest.render(PackageManifest.digests(pkg, Set.of())));
        assertTrue(refused(true).getMessage().contains("does not verify"));
    }

    @Test
    void aMalformedSignatureFileIsRefused() throws Exception {
        TestPackages.sign(pkg, "acme", acme.getPrivate());
        Files.writeString(pkg.resolve(PackageManifest.SIGNATURE), "signed by acme\n");
        assertTrue(refused(true).getMessage().contains("malformed MANIFEST.sig"));
    }

    @Test
    void aMalformedTrustedKeyFileIsSkipped() throws Exception {
        Files.writeString(keys.resolve("broken.pub"), "not a key");
        TestPackages.sign(pkg, "acme", acme.getPrivate());
        assertEquals("acme", verify(false));
    }
}
