package io.linesight.model.deploy;

import com.google.gson.JsonParser;
import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent activation history: {@code <folder>/<line>.jsonl}, one JSON object per line and per
 * activation, appended and forced to disk before the call returns. A line torn by a crash (the last one,
 * without its newline) is skipped with a WARN when read, and the next append starts on a fresh line.
 * Thread-safe; the whole history of a line is kept in memory once read (a few hundred bytes an entry).
 */
final class ActivationLog {

    private static final Logger LOG = LoggerFactory.getLogger(ActivationLog.class);

    private static final String SUFFIX = ".jsonl";

    private final Path folder;
    private final Map<String, List<Activation>> cache = new HashMap<>();

    ActivationLog(Path folder) {
        this.folder = folder;
    }

    /** The line's history, oldest first. */
    synchronized List<Activation> read(String lineId) {
        return List.copyOf(entries(lineId));
    }

    /**
     * The history of every line that has one, by line id: every {@code *.jsonl} in the folder, so lines that are
     * not running now count too (their models are still theirs).
     */
    synchronized Map<String, List<Activation>> readAll() {
        Map<String, List<Activation>> all = new TreeMap<>();
        for (String lineId : lineIds()) {
            all.put(lineId, List.copyOf(entries(lineId)));
        }
        return all;
    }

    /**
     * Numbers {@code draft} (its sequence is ignored), appends it and forces it to disk.
     *
     * @throws DeploymentException FAILED when the history cannot be written
     */
    synchronized Activation append(Activation draft) throws DeploymentException {
        List<Activation> entries = entries(draft.lineId());
        long sequence = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).sequence() + 1;
        Activation entry = new Activation(sequence, draft.time(), draft.lineId(), draft.model(), draft.sha256(),
                draft.previous(), draft.action(), draft.actor(), draft.reason(), draft.gate());
        Path file = file(draft.lineId());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            String prefix = endsTorn(channel) ? "\n" : "";
            String line = prefix + JsonCodec.GSON.toJson(JsonCodec.activation(entry)) + "\n";
            channel.position(channel.size());
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot record the activation in " + file + ": "
                    + e.getMessage(), e);
        }
        entries.add(entry);
        return entry;
    }

    private List<Activation> entries(String lineId) {
        return cache.computeIfAbsent(lineId, this::load);
    }

    private List<Activation> load(String lineId) {
        Path file = file(lineId);
        List<Activation> entries = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("Cannot read the activation history {}: {}; the line starts with an empty history",
                    file, e.getMessage());
            return entries;
        }
        for (int i = 0; i < lines.size(); i++) {
            parse(lines.get(i), file, i + 1, i == lines.size() - 1).ifPresent(entries::add);
        }
        return entries;
    }

    private static Optional<Activation> parse(String line, Path file, int number, boolean last) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonCodec.activation(JsonParser.parseString(line).getAsJsonObject()));
        } catch (RuntimeException e) {
            LOG.warn("{} line {} is unreadable{} and is skipped: {}", file, number,
                    last ? " (torn by a crash while it was written)" : "", e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean endsTorn(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) != '\n';
    }

    private List<String> lineIds() {
        List<String> ids = new ArrayList<>(cache.keySet());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = URLDecoder.decode(name.substring(0, name.length() - SUFFIX.length()), StandardCharsets.UTF_8);
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the activation histories in {}: {}; only the lines seen since the start count",
                    folder, e.getMessage());
        }
        return ids;
    }

    /** Line ids are free text; the file name is their URL encoding. */
    Path file(String lineId) {
        return folder.resolve(URLEncoder.encode(lineId, StandardCharsets.UTF_8) + SUFFIX);
    }
}
