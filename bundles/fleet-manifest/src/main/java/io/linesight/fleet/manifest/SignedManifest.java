package io.linesight.fleet.manifest;

import static io.linesight.fleet.manifest.Checks.shown;

import com.google.gson.JsonElement;
import com.google.gson.stream.JsonWriter;
import io.linesight.fleet.manifest.ManifestException.Reason;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed envelope {@value #FORMAT} a manifest travels in:
 * {@code {"format": ..., "key": <key-name>, "signature": <base64>, "manifest": <base64>}}. The Ed25519 signature
 * covers the manifest bytes exactly as carried (base64 keeps them byte for byte), so no canonical JSON is needed
 * and what was verified is what is parsed.
 */
public final class SignedManifest {

    public static final String FORMAT = "linesight.signed/1";
    /** Longest envelope accepted: a manifest of {@link DeploymentManifest#MAX_BYTES} in base64, and the rest. */
    public static final int MAX_BYTES = DeploymentManifest.MAX_BYTES / 3 * 4 + 4096;

    private static final List<String> FIELDS = List.of("format", "key", "signature", "manifest");
    private static final int SIGNATURE_BYTES = 64;

    private SignedManifest() {
    }

    /**
     * A manifest whose signature verified with a trusted key.
     *
     * @param manifest the manifest, parsed and checked
     * @param keyName the trusted key that signed it
     * @param manifestBytes the manifest exactly as signed
     */
    public record Verified(DeploymentManifest manifest, String keyName, byte[] manifestBytes) {
        public Verified {
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(keyName, "keyName");
            manifestBytes = manifestBytes.clone();
        }

        @Override
        public byte[] manifestBytes() {
            return manifestBytes.clone();
        }
    }

    /**
     * Signs {@code manifestJson} as it is, after checking it, so an invalid manifest is never signed.
     *
     * @param keyName the name boxes know the key by (its .pub file's name without the extension)
     * @return the envelope, UTF-8 JSON
     * @throws ManifestException INVALID_MANIFEST when the manifest is invalid; BAD_KEY when the key name is not
     *         a key name or {@code key} is not an Ed25519 private key
     */
    public static byte[] sign(byte[] manifestJson, String keyName, PrivateKey key) throws ManifestException {
        DeploymentManifest.parse(manifestJson);
        Keys.requireKeyName(keyName);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(Keys.ALGORITHM);
            signer.initSign(key);
            signer.update(manifestJson);
            signature = signer.sign();
        } catch (InvalidKeyException e) {
            throw new ManifestException(Reason.BAD_KEY, "The signing key is not an Ed25519 private key ("
                    + key.getAlgorithm() + "); make one with keygen.", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Java 15 and later always provide " + Keys.ALGORITHM, e);
        }
        return envelope(keyName, signature, manifestJson);
    }

    /**
     * Checks an envelope and returns its manifest: the signature must verify with the trusted key it names, and
     * the manifest must be valid.
     *
     * @throws ManifestException NOT_AN_ENVELOPE, UNSIGNED, UNTRUSTED_KEY, BAD_SIGNATURE, INVALID_MANIFEST, or
     *         BAD_KEY (the named key's file is damaged), each with what to do
     */
    public static DeploymentManifest open(byte[] envelope, KeyLookup trusted) throws ManifestException {
        return verify(envelope, trusted).manifest();
    }

    /** As {@link #open}, also saying which key signed and giving the signed bytes (to store or forward as is). */
    public static Verified verify(byte[] envelope, KeyLookup trusted) throws ManifestException {
        JsonFields fields = fields(envelope);
        String keyName = fields.string("key");
        if (!Keys.isKeyName(keyName)) {
            throw fields.refused("Field 'key' must be a key name, " + Checks.KEY_NAME_RULE + ", not '"
                    + shown(keyName) + "'.");
        }
        byte[] signature = base64(fields, "signature");
        byte[] manifest = base64(fields, "manifest");
        PublicKey key = trustedKey(keyName, trusted);
        if (signature.length != SIGNATURE_BYTES || !verifies(key, manifest, signature)) {
            throw new ManifestException(Reason.BAD_SIGNATURE, "The manifest's signature does not verify with"
                    + " trusted key '" + keyName + "': the manifest or its signature was changed after signing, or"
                    + " another key signed it; do not deploy it, ask its publisher to sign and publish it again.");
        }
        return new Verified(DeploymentManifest.parse(manifest), keyName, manifest);
    }

    /** The envelope's fields, after telling apart "not an envelope", "unsigned" and "another format". */
    private static JsonFields fields(byte[] envelope) throws ManifestException {
        JsonElement document = StrictJson.read(envelope, MAX_BYTES, "The signed manifest", Reason.NOT_AN_ENVELOPE);
        JsonFields any = JsonFields.openAny(document, "", Reason.NOT_AN_ENVELOPE);
        if (!any.has("format") && any.has(ManifestJson.SCHEMA)) {
            throw new ManifestException(Reason.UNSIGNED, "This is a bare, unsigned manifest; boxes accept only a"
                    + " manifest signed into a " + FORMAT + " envelope with a key they trust.");
        }
        String format = any.string("format");
        if (!format.equals(FORMAT)) {
            throw any.refused("Field 'format' is '" + shown(format) + "', which this version does not"
                    + " understand; it reads " + FORMAT + ".");
        }
        JsonFields fields = JsonFields.open(document, "", FIELDS, Reason.NOT_AN_ENVELOPE);
        if (!fields.has("signature")) {
            throw new ManifestException(Reason.UNSIGNED, "The envelope carries no signature; boxes accept only"
                    + " manifests signed with a key they trust.");
        }
        return fields;
    }

    private static PublicKey trustedKey(String keyName, KeyLookup trusted) throws ManifestException {
        Optional<PublicKey> key = trusted.find(keyName);
        if (key.isEmpty()) {
            throw new ManifestException(Reason.UNTRUSTED_KEY, "The manifest is signed with key '" + keyName
                    + "', which this runtime does not trust: copy " + keyName + Keys.PUBLIC_SUFFIX + " into "
                    + trusted.location() + " if you trust its owner.");
        }
        return key.get();
    }

    private static boolean verifies(PublicKey key, byte[] manifest, byte[] signature) throws ManifestException {
        try {
            Signature verifier = Signature.getInstance(Keys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(manifest);
            return verifier.verify(signature);
        } catch (InvalidKeyException e) {
            throw new ManifestException(Reason.BAD_KEY, "The trusted key is not an Ed25519 public key ("
                    + key.getAlgorithm() + "); replace its .pub file with the signer's.", e);
        } catch (GeneralSecurityException e) {
            return false; // a signature that is not even well-formed Ed25519 does not verify
        }
    }

    private static byte[] base64(JsonFields fields, String name) throws ManifestException {
        try {
            return Base64.getDecoder().decode(fields.string(name));
        } catch (IllegalArgumentException e) {
            throw fields.refused("Field '" + name + "' is not base64 (" + e.getMessage() + ").");
        }
    }

    private static byte[] envelope(String keyName, byte[] signature, byte[] manifest) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setIndent("  ");
            json.beginObject();
            json.name("format").value(FORMAT);
            json.name("key").value(keyName);
            json.name("signature").value(Base64.getEncoder().encodeToString(signature));
            json.name("manifest").value(Base64.getEncoder().encodeToString(manifest));
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
