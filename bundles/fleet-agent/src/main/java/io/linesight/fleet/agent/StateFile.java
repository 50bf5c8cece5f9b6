package io.linesight.fleet.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.fleet.DeploymentPhase;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@code state.json}: the current deployment's envelope, exactly as received (so it is verified again on reading),
 * and each line's phase. Written whole to a temporary file, forced to the disk and renamed over the old one, so a
 * crash leaves either the old or the new state, never half of one.
 */
final class StateFile {

    static final String NAME = "state.json";
    private static final int FORMAT = 1;

    /** What was saved. */
    record Saved(byte[] envelope, List<SavedLine> lines) {
    }

    /** One line as saved. */
    record SavedLine(String lineId, DeploymentPhase phase, Instant since, String detail, boolean shadowStarted) {
    }

    private final Path file;

    StateFile(Path folder) {
        this.file = folder.resolve(NAME);
    }

    Path path() {
        return file;
    }

    void save(byte[] envelope, Collection<LineProgress> lines) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("envelope", Base64.getEncoder().encodeToString(envelope));
        JsonArray array = new JsonArray();
        for (LineProgress line : lines) {
            JsonObject o = new JsonObject();
            o.addProperty("line", line.lineId);
            o.addProperty("phase", line.phase.name());
            o.addProperty("since", line.since.toString());
            o.addProperty("detail", line.detail);
            o.addProperty("shadowStarted", line.shadowStarted);
            array.add(o);
        }
        root.add("lines", array);
        write(root.toString().getBytes(StandardCharsets.UTF_8));
    }

    void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The saved state, or empty when there is none.
     *
     * @throws IOException when the file cannot be read or is not a state file (the caller starts afresh)
     */
    Optional<Saved> load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (root.get("format").getAsInt() != FORMAT) {
                throw new IOException(file + " has format " + root.get("format") + ", this agent reads " + FORMAT);
            }
            byte[] envelope = Base64.getDecoder().decode(root.get("envelope").getAsString());
            List<SavedLine> lines = new ArrayList<>();
            for (var element : root.getAsJsonArray("lines")) {
                JsonObject o = element.getAsJsonObject();
                lines.add(new SavedLine(o.get("line").getAsString(), DeploymentPhase.valueOf(o.get("phase").getAsString()),
                        Instant.parse(o.get("since").getAsString()), o.get("detail").getAsString(),
                        o.get("shadowStarted").getAsBoolean()));
            }
            return Optional.of(new Saved(envelope, lines));
        } catch (RuntimeException e) {
            // gson, Base64, valueOf and parse all throw unchecked: any of them means a damaged file
            throw new IOException(file + " is not a fleet agent state file: " + e, e);
        }
    }

    private void write(byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
