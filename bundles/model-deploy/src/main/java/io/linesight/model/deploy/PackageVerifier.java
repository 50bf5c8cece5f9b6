package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a package folder is exactly what its signer signed: {@code MANIFEST.sig} holds a valid
 * Ed25519 signature by a trusted key over the bytes of {@code MANIFEST.sha256}, every file listed there is
 * present with its digest, and no other file is present. Unsigned packages pass only when the runtime is
 * configured to accept them, with a WARN each time; a package that is signed, but wrongly, never passes.
 */
final class PackageVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(PackageVerifier.class);

    /** What {@link io.linesight.api.deploy.StoredModel#signedBy()} says for an unsigned package. */
    static final String UNSIGNED = "unsigned";

    private final TrustedKeys keys;
    private final boolean acceptUnsigned;

    PackageVerifier(TrustedKeys keys, boolean acceptUnsigned) {
        this.keys = keys;
        this.acceptUnsigned = acceptUnsigned;
    }

    /**
     * Verifies the package in {@code dir}, ignoring the top-level names in {@code skipped} (files the
     * repository adds beside a stored package).
     *
     * @return the name of the key that signed it, or {@value #UNSIGNED}
     * @throws DeploymentException NOT_TRUSTED with what is wrong and which file
     */
    String verify(Path dir, String packageId, Set<String> skipped) throws DeploymentException {
        return verify(dir, packageId, skipped, acceptUnsigned);
    }

    /**
     * As {@link #verify(Path, String, Set)}, with {@code unsignedAllowed} deciding for an unsigned package: true for
     * the package a line's own configuration names (the operator who wrote the file vouches for it, as for any file
     * in config/), whatever acceptUnsigned says. A signed package is checked against today's trust list either way.
     */
    String verify(Path dir, String packageId, Set<String> skipped, boolean unsignedAllowed) throws DeploymentException {
        Path manifest = dir.resolve(PackageManifest.MANIFEST);
        Path signature = dir.resolve(PackageManifest.SIGNATURE);
        SortedMap<String, String> actual = PackageManifest.digests(dir, skipped);
        if (!Files.exists(signature)) {
            return unsigned(packageId, manifest, actual, unsignedAllowed);
        }
        if (!Files.isRegularFile(manifest)) {
            throw refused(packageId, "has " + PackageManifest.SIGNATURE + " but no " + PackageManifest.MANIFEST);
        }
        byte[] manifestBytes = read(manifest);
        String keyName = checkSignature(packageId, manifestBytes, read(signature));
        checkFiles(packageId, PackageManifest.parse(manifestBytes), actual);
        return keyName;
    }

    private String unsigned(String packageId, Path manifest, SortedMap<String, String> actual, boolean allowed)
            throws DeploymentException {
        if (!allowed) {
            throw refused(packageId, "is not signed (no " + PackageManifest.SIGNATURE + "). Sign it with"
                    + " models/sign and a key trusted in " + keys.folder());
        }
        if (Files.isRegularFile(manifest)) {
            // no signature, but a manifest still proves the files arrived intact
            checkFiles(packageId, PackageManifest.parse(read(manifest)), actual);
        }
        if (acceptUnsigned) {
            LOG.warn("ACCEPTING UNSIGNED model package {} because acceptUnsigned=true. Nobody vouches for this"
                    + " model: production must not run like this; sign packages and set acceptUnsigned=false",
                    packageId);
        }
        return UNSIGNED;
    }

    private String checkSignature(String packageId, byte[] manifest, byte[] sigFile) throws DeploymentException {
        Map<String, String> fields = fields(new String(sigFile, StandardCharsets.UTF_8));
        String keyName = fields.get("key");
        String encoded = fields.get("signature");
        if (keyName == null || encoded == null) {
            throw refused(packageId, "has a malformed " + PackageManifest.SIGNATURE
                    + " (it needs 'key: <name>' and 'signature: <base64>' lines); re-sign it");
        }
        Map<String, PublicKey> trusted = keys.load();
        PublicKey key = trusted.get(keyName);
        if (key == null) {
            throw refused(packageId, "is signed with key '" + keyName + "', which this runtime does not trust"
                    + " (trusted: " + trusted.keySet() + "). Add " + keyName + TrustedKeys.SUFFIX + " to "
                    + keys.folder() + " only if you trust its owner");
        }
        if (!valid(key, manifest, encoded)) {
            throw refused(packageId, "has a signature that does not verify with trusted key '" + keyName
                    + "': " + PackageManifest.MANIFEST + " was changed after signing, or another key signed it");
        }
        return keyName;
    }

    private void checkFiles(String packageId, SortedMap<String, String> listed, SortedMap<String, String> actual)
            throws DeploymentException {
        List<String> problems = new ArrayList<>();
        listed.forEach((path, digest) -> {
            String found = actual.get(path);
            if (found == null) {
                problems.add("file " + path + " is listed in the manifest but missing");
            } else if (!found.equals(digest)) {
                problems.add("file " + path + " was changed after signing (sha256 " + found.substring(0, 12)
                        + "..., manifest " + digest.substring(0, 12) + "...)");
            }
        });
        actual.keySet().stream().filter(p -> !listed.containsKey(p))
                .forEach(p -> problems.add("file " + p + " is not in the signed manifest"));
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(3, problems.size())));
            throw refused(packageId, "does not match its manifest: " + shown
                    + (problems.size() > 3 ? " (and " + (problems.size() - 3) + " more)" : ""));
        }
    }

    private static boolean valid(PublicKey key, byte[] manifest, String encoded) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(manifest);
            return verifier.verify(Base64.getDecoder().decode(encoded));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // malformed base64 or a signature of the wrong length: not valid
        }
    }

    /** {@code key: value} lines. */
    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private static byte[] read(Path file) throws DeploymentException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DeploymentException refused(String packageId, String problem) {
        return new DeploymentException(Reason.NOT_TRUSTED, "Package " + packageId + " " + problem);
    }
}
