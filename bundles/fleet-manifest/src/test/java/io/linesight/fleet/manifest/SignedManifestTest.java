package io.linesight.fleet.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.fleet.manifest.ManifestException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedManifestTest {

    @TempDir
    Path temp;

    private Path signerKeys;
    private Path trustedKeys;
    private KeyLookup trusted;

    @BeforeEach
    void makeAKeyAndTrustIt() throws Exception {
        signerKeys = temp.resolve("signer");
        trustedKeys = temp.resolve("trusted-keys");
        Keys.generate(signerKeys, "plant-7");
        Files.createDirectories(trustedKeys);
        Files.copy(signerKeys.resolve("plant-7.pub"), trustedKeys.resolve("plant-7.pub"));
        trusted = Keys.folder(trustedKeys);
    }

    @Test
    void opensWhatItSignedAndKeepsTheSignedBytesAsTheyWere() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());

        SignedManifest.Verified verified = SignedManifest.verify(envelope, trusted);

        assertEquals(DeploymentManifest.parse(Examples.shadowBytes()), verified.manifest());
        assertEquals(verified.manifest(), SignedManifest.open(envelope, trusted));
        assertEquals("plant-7", verified.keyName());
        assertArrayEquals(Examples.shadowBytes(), verified.manifestBytes(), "the bytes as signed, not re-written");
    }

    @Test
    void theEnvelopeHasItsFourFieldsInOrder() throws Exception {
        JsonObject envelope = tree(sign(Examples.shadowBytes()));

        assertEquals(List.of("format", "key", "signature", "manifest"), List.copyOf(envelope.keySet()));
        assertEquals("linesight.signed/1", envelope.get("format").getAsString());
        assertEquals("plant-7", envelope.get("key").getAsString());
        assertEquals(64, Base64.getDecoder().decode(envelope.get("signature").getAsString()).length);
        assertArrayEquals(Examples.shadowBytes(), Base64.getDecoder().decode(envelope.get("manifest").getAsString()));
    }

    @Test
    void neverSignsAnInvalidManifest() {
        byte[] invalid = Examples.changed(tree -> Examples.at(tree, "model").addProperty("size", 0));

        ManifestException refused = assertThrows(ManifestException.class, () -> sign(invalid));

        assertEquals(Reason.INVALID_MANIFEST, refused.reason());
        assertEquals("Field 'model.size' must be the package zip's size in bytes, more than 0, not 0.",
                refused.getMessage());
    }

    @Test
    void refusesToSignUnderANameThatIsNotAKeyName() throws Exception {
        ManifestException refused = assertThrows(ManifestException.class, () -> SignedManifest.sign(
                Examples.shadowBytes(), "../plant-7", Keys.readPrivateKey(signerKeys.resolve("plant-7.key"))));

        assertEquals(Reason.BAD_KEY, refused.reason());
        assertEquals("Key name '../plant-7' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter"
                + " or digit.", refused.getMessage());
    }

    @Test
    void refusesAManifestChangedAfterSigning() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());
        // a change that still makes a valid manifest: only the signature can tell
        byte[] resized = withField(envelope, "manifest", bytes -> replaceOnce(bytes, "12345678", "92345678"));
        DeploymentManifest.parse(manifestOf(resized));

        assertRefused(Reason.BAD_SIGNATURE, resized);
        assertEquals("The manifest's signature does not verify with trusted key 'plant-7': the manifest or its"
                + " signature was changed after signing, or another key signed it; do not deploy it, ask its"
                + " publisher to sign and publish it again.", assertRefused(Reason.BAD_SIGNATURE, resized));
    }

    @Test
    void refusesAManifestWithAnyOneBitFlipped() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());
        int length = Examples.shadowBytes().length;

        for (int position : new int[] {0, 1, length / 3, length / 2, length - 2, length - 1}) {
            byte[] tampered = withField(envelope, "manifest", bytes -> bytes[position] ^= 0x01);
            assertRefused(Reason.BAD_SIGNATURE, tampered);
        }
    }

    @Test
    void refusesATamperedOrTruncatedSignature() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());

        assertRefused(Reason.BAD_SIGNATURE, withField(envelope, "signature", bytes -> bytes[10] ^= 0x40));
        assertRefused(Reason.BAD_SIGNATURE, withEncodedField(envelope, "signature",
                base64 -> Base64.getEncoder().encodeToString(new byte[63])));
        assertRefused(Reason.BAD_SIGNATURE, withEncodedField(envelope, "signature", base64 -> ""));
    }

    @Test
    void refusesAManifestSignedByAnotherKeyOfTheSameName() throws Exception {
        Path impostor = temp.resolve("impostor");
        Keys.generate(impostor, "plant-7");
        byte[] envelope = SignedManifest.sign(Examples.shadowBytes(), "plant-7",
                Keys.readPrivateKey(impostor.resolve("plant-7.key")));

        assertRefused(Reason.BAD_SIGNATURE, envelope);
    }

    @Test
    void refusesAnUntrustedKeySayingWhatToDo() throws Exception {
        Keys.generate(signerKeys, "plant-8");
        byte[] envelope = SignedManifest.sign(Examples.shadowBytes(), "plant-8",
                Keys.readPrivateKey(signerKeys.resolve("plant-8.key")));

        String message = assertRefused(Reason.UNTRUSTED_KEY, envelope);

        assertEquals("The manifest is signed with key 'plant-8', which this runtime does not trust: copy plant-8.pub"
                + " into " + trustedKeys + "/ if you trust its owner.", message);
    }

    @Test
    void aLookupThatIsNotAFolderIsNamedAsTheUsualFolder() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());

        ManifestException refused = assertThrows(ManifestException.class,
                () -> SignedManifest.open(envelope, name -> Optional.empty()));

        assertEquals("The manifest is signed with key 'plant-7', which this runtime does not trust: copy plant-7.pub"
                + " into config/trusted-keys/ if you trust its owner.", refused.getMessage());
    }

    @Test
    void trustsAndRevokesAsTheKeyFileComesAndGoesWithoutANewLookup() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());
        Path trustedFile = trustedKeys.resolve("plant-7.pub");

        Files.delete(trustedFile);
        assertRefused(Reason.UNTRUSTED_KEY, envelope);
        Files.copy(signerKeys.resolve("plant-7.pub"), trustedFile);
        assertEquals("dm-2026-12-08-defect-0.3.0", SignedManifest.open(envelope, trusted).deploymentId());
        Files.delete(trustedFile);
        assertRefused(Reason.UNTRUSTED_KEY, envelope);
    }

    @Test
    void aDamagedTrustedKeyFileIsNamedNotMistakenForAnUntrustedKey() throws Exception {
        byte[] envelope = sign(Examples.shadowBytes());
        Files.writeString(trustedKeys.resolve("plant-7.pub"), "not a key\n");

        String message = assertRefused(Reason.BAD_KEY, envelope);

        assertTrue(message.startsWith("Key file " + trustedKeys.resolve("plant-7.pub") + " is not an Ed25519 public"
                + " key (X.509 PEM, as written by keygen)"), message);
    }

    @Test
    void refusesWhatIsNotAnEnvelope() {
        assertTrue(assertRefused(Reason.NOT_AN_ENVELOPE, "plain text".getBytes(StandardCharsets.UTF_8))
                .startsWith("The signed manifest is not valid JSON: a syntax error"));
        assertEquals("The document must be a JSON object, not a list.",
                assertRefused(Reason.NOT_AN_ENVELOPE, "[1]".getBytes(StandardCharsets.UTF_8)));
        assertEquals("The signed manifest is " + (SignedManifest.MAX_BYTES + 1) + " bytes, more than the "
                + SignedManifest.MAX_BYTES + " bytes allowed.",
                assertRefused(Reason.NOT_AN_ENVELOPE, new byte[SignedManifest.MAX_BYTES + 1]));
    }

    @Test
    void refusesAnotherFormatSayingWhichOneItReads() throws Exception {
        byte[] envelope = withEncodedField(sign(Examples.shadowBytes()), "format", f -> "linesight.signed/2");

        assertEquals("Field 'format' is 'linesight.signed/2', which this version does not understand; it reads"
                + " linesight.signed/1.", assertRefused(Reason.NOT_AN_ENVELOPE, envelope));
    }

    @Test
    void refusesABareManifestAsUnsigned() {
        assertEquals("This is a bare, unsigned manifest; boxes accept only a manifest signed into a"
                + " linesight.signed/1 envelope with a key they trust.",
                assertRefused(Reason.UNSIGNED, Examples.shadowBytes()));
    }

    @Test
    void refusesAnEnvelopeWithoutASignature() throws Exception {
        byte[] envelope = changedEnvelope(sign(Examples.shadowBytes()), tree -> tree.remove("signature"));

        assertEquals("The envelope carries no signature; boxes accept only manifests signed with a key they trust.",
                assertRefused(Reason.UNSIGNED, envelope));
    }

    @Test
    void refusesUnknownAndMalformedEnvelopeFields() throws Exception {
        byte[] signed = sign(Examples.shadowBytes());
        byte[] misspelt = changedEnvelope(signed, tree -> tree.add("signatur", tree.remove("signature")));
        byte[] pathAsKey = withEncodedField(signed, "key", k -> "../../etc/plant-7");
        byte[] notBase64 = withEncodedField(signed, "manifest", m -> "***");
        byte[] noFormat = changedEnvelope(signed, tree -> tree.remove("format"));

        assertEquals("Unknown field 'signatur': the nearest known field is 'signature' (known here: format, key,"
                + " signature, manifest).", assertRefused(Reason.NOT_AN_ENVELOPE, misspelt));
        assertEquals("Field 'key' must be a key name, 1 to 100 letters, digits, '.', '_' or '-', starting with a"
                + " letter or digit, not '../../etc/plant-7'.", assertRefused(Reason.NOT_AN_ENVELOPE, pathAsKey));
        assertTrue(assertRefused(Reason.NOT_AN_ENVELOPE, notBase64).startsWith("Field 'manifest' is not base64 ("));
        assertEquals("Required field 'format' is missing.", assertRefused(Reason.NOT_AN_ENVELOPE, noFormat));
    }

    @Test
    void aValidSignatureOverAnInvalidManifestIsStillRefused() throws Exception {
        // signed with plain JDK calls, as a buggy or newer publisher might: sign() itself would refuse it
        byte[] newer = Examples.changed(tree -> tree.addProperty("schema", "linesight.deployment/2"));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(Keys.readPrivateKey(signerKeys.resolve("plant-7.key")));
        signer.update(newer);
        String envelope = "{\"format\":\"linesight.signed/1\",\"key\":\"plant-7\",\"signature\":\""
                + Base64.getEncoder().encodeToString(signer.sign()) + "\",\"manifest\":\""
                + Base64.getEncoder().encodeToString(newer) + "\"}";

        assertEquals("Field 'schema' is 'linesight.deployment/2', which this version does not understand; it reads"
                + " linesight.deployment/1.",
                assertRefused(Reason.INVALID_MANIFEST, envelope.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesToSignWithAKeyThatIsNotEd25519() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();

        ManifestException refused = assertThrows(ManifestException.class,
                () -> SignedManifest.sign(Examples.shadowBytes(), "plant-7", rsa.getPrivate()));

        assertEquals(Reason.BAD_KEY, refused.reason());
        assertEquals("The signing key is not an Ed25519 private key (RSA); make one with keygen.",
                refused.getMessage());
    }

    private byte[] sign(byte[] manifest) throws ManifestException {
        return SignedManifest.sign(manifest, "plant-7", Keys.readPrivateKey(signerKeys.resolve("plant-7.key")));
    }

    private String assertRefused(Reason reason, byte[] envelope) {
        ManifestException refused = assertThrows(ManifestException.class, () -> SignedManifest.open(envelope, trusted));
        assertEquals(reason, refused.reason(), refused.getMessage());
        return refused.getMessage();
    }

    private static JsonObject tree(byte[] envelope) {
        return JsonParser.parseString(new String(envelope, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static byte[] manifestOf(byte[] envelope) {
        return Base64.getDecoder().decode(tree(envelope).get("manifest").getAsString());
    }

    private static byte[] changedEnvelope(byte[] envelope, Consumer<JsonObject> change) {
        JsonObject tree = tree(envelope);
        change.accept(tree);
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The envelope with one base64 field decoded, changed in place, and encoded again. */
    private static byte[] withField(byte[] envelope, String field, Consumer<byte[]> change) {
        return withEncodedField(envelope, field, base64 -> {
            byte[] bytes = Base64.getDecoder().decode(base64);
            change.accept(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        });
    }

    private static byte[] withEncodedField(byte[] envelope, String field,
            java.util.function.UnaryOperator<String> change) {
        return changedEnvelope(envelope, tree -> tree.addProperty(field, change.apply(tree.get(field).getAsString())));
    }

    private static void replaceOnce(byte[] bytes, String from, String to) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "exactly one " + from);
        byte[] replacement = to.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(replacement, 0, bytes, at, replacement.length);
    }
}
