package io.linesight.model.onnx;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.card.ModelCard;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reference data made by the training stacks themselves (Debian's python3-torchvision, python3-pil,
 * python3-opencv): a Python script writes test images, what PIL decodes them to, and the 8-bit images and tensors
 * torchvision, Pillow, cv2 and YOLOv5's letterbox make of them. The script is run once per content of the script
 * (its digest is kept beside the output), into {@code target/}. Tools are installed by
 * {@code scripts/ensure-test-tools.sh}.
 */
final class TrainingStackReferences {

    private static final Path SCRIPTS = Path.of("src/test/python").toAbsolutePath();
    private static final Gson GSON = new Gson();

    /** A test image: its file, and the stem of its reference files. */
    record Image(String file, String stem, int width, int height, String mode) {
        boolean isPhoto() {
            return !file.startsWith("modes/");
        }
    }

    /** A recipe case: the card's preprocessing, the tensor shape [C, H, W], whether an 8-bit image exists. */
    record Case(String id, ModelCard.Preprocessing preprocessing, int[] tensorShape, boolean window) {
        boolean detector() {
            return preprocessing.letterbox() != null;
        }
    }

    final Path dir;
    final JsonObject index;
    final List<Image> images = new ArrayList<>();
    final List<Case> cases = new ArrayList<>();

    private TrainingStackReferences(Path dir) throws IOException {
        this.dir = dir;
        this.index = JsonParser.parseString(Files.readString(dir.resolve("index.json"))).getAsJsonObject();
        for (JsonElement e : index.getAsJsonArray("images")) {
            images.add(GSON.fromJson(e, Image.class));
        }
        if (!index.has("cases")) {
            return;
        }
        for (JsonElement e : index.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            cases.add(new Case(c.get("id").getAsString(), GSON.fromJson(c.get("preprocessing"), ModelCard.Preprocessing.class),
                    GSON.fromJson(c.get("tensorShape"), int[].class), c.get("window").getAsBoolean()));
        }
    }

    /** The references of {@code script} (a file under src/test/python taking an output folder), made if needed. */
    static synchronized TrainingStackReferences of(String script, String folder) throws Exception {
        Path out = Path.of("target", folder).toAbsolutePath();
        Path source = SCRIPTS.resolve(script);
        String digest = sha256(Files.readAllBytes(source));
        Path stamp = out.resolve("script.sha256");
        if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(digest)) {
            ensureTools();
            deleteTree(out);
            Files.createDirectories(out);
            run(List.of("/usr/bin/python3", source.toString(), out.toString()), out.resolve("generate.log"));
            Files.writeString(stamp, digest);
        }
        return new TrainingStackReferences(out);
    }

    static void ensureTools() throws IOException, InterruptedException {
        run(List.of("bash", "../../scripts/ensure-test-tools.sh", "torchvision"), Path.of("target/ensure-torchvision.log"));
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        // Output to a file, not inherited: a child writing to this JVM's standard output corrupts surefire's channel.
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    /** What PIL decoded the image to (convert("RGB")), as an RGB24 frame. */
    Frame decoded(Image image) throws IOException {
        byte[] rgb = Files.readAllBytes(dir.resolve("decoded").resolve(image.stem() + ".rgb"));
        return new Frame("reference", 1, System.nanoTime(), Instant.now(), image.width(), image.height(),
                PixelFormat.RGB24, rgb, null);
    }

    /** The reference 8-bit image of a case, or null. */
    byte[] window(Case c, Image image) throws IOException {
        Path file = dir.resolve("refs").resolve(c.id()).resolve(image.stem() + ".u8");
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    /** The reference tensor of a case, or null where the script wrote none. */
    float[] tensor(Case c, Image image) throws IOException {
        return floats(dir.resolve("refs").resolve(c.id()).resolve(image.stem() + ".f32"));
    }

    static float[] floats(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
