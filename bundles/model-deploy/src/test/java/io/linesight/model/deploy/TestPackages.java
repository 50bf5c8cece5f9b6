package io.linesight.model.deploy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Copies of the real shipped package, edited, signed and zipped the way models/sign does it. */
final class TestPackages {

    static final Path SHIPPED = Path.of("../../models/defect-mobilenetv2").toAbsolutePath().normalize();

    private TestPackages() {
    }

    /**
     * Copies model.json, model.onnx and the first {@code images} golden images (all when 0 or more than
     * there are) of the shipped package into {@code dir}, with {@code version} in its card.
     */
    static Path copy(Path dir, String version, int images) throws IOException {
        Files.createDirectories(dir.resolve("golden"));
        Files.copy(SHIPPED.resolve("model.onnx"), dir.resolve("model.onnx"));
        JsonArray all = JsonParser.parseString(Files.readString(SHIPPED.resolve("golden/expected.json"))).getAsJsonArray();
        JsonArray kept = new JsonArray();
        for (JsonElement e : all) {
            if (images > 0 && kept.size() == images) {
                break;
            }
            String file = e.getAsJsonObject().get("file").getAsString();
            Files.copy(SHIPPED.resolve("golden").resolve(file), dir.resolve("golden").resolve(file));
            kept.add(e);
        }
        Files.writeString(dir.resolve("golden/expected.json"), kept.toString());
        Files.copy(SHIPPED.resolve("model.json"), dir.resolve("model.json"));
        editCard(dir, card -> card.addProperty("version", version));
        return dir;
    }

    interface CardEdit {
        void apply(JsonObject card);
    }

    static void editCard(Path dir, CardEdit edit) throws IOException {
        JsonObject card = JsonParser.parseString(Files.readString(dir.resolve("model.json"))).getAsJsonObject();
        edit.apply(card);
        Files.writeString(dir.resolve("model.json"), card.toString());
    }

    static void gate(Path dir, String field, double value) throws IOException {
        editCard(dir, card -> card.getAsJsonObject("gate").addProperty(field, value));
    }

    /** A fresh Ed25519 key pair. */
    static KeyPair keyPair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** Writes {@code <name>.pub} into the trusted keys folder. */
    static void trust(Path keysDir, String name, KeyPair pair) throws IOException {
        Files.createDirectories(keysDir);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(keysDir.resolve(name + TrustedKeys.SUFFIX), pem);
    }

    /** Writes MANIFEST.sha256 and MANIFEST.sig as models/sign does, naming {@code keyName}. */
    static Path sign(Path dir, String keyName, PrivateKey key) throws Exception {
        byte[] manifest = PackageManifest.render(PackageManifest.digests(dir, Set.of()));
        Files.write(dir.resolve(PackageManifest.MANIFEST), manifest);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(manifest);
        Files.writeString(dir.resolve(PackageManifest.SIGNATURE), "key: " + keyName + "\nsignature: "
                + Base64.getEncoder().encodeToString(signer.sign()) + "\n");
        return dir;
    }

    /** Zips the package folder with its files at the zip's top. */
    static Path zip(Path dir, Path zip) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(PackageManifest.relative(dir, file)));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    /** A zip with one entry of the given name and text. */
    static Path zipWith(Path zip, String entry, String text) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return zip;
    }
}
