package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model drop folder. Every poll it looks at the {@code *.zip} files in the folder (hidden files and
 * {@code *.part} are ignored); a zip whose size and time stayed the same for two polls is complete and is
 * deployed, then moved to {@code accepted/} or to {@code refused/} beside a {@code <zip>.reason.txt}.
 *
 * <p>A sidecar {@code <zip>.activate} (written before the zip) asks for activation: lines
 * {@code line=<id>} (one per line to activate) and optionally {@code reason=<text>}; {@code #} starts a
 * comment. After the package is stored each line is activated in turn; the outcome per line is written to
 * {@code accepted/<zip>.activation.txt}. The sidecar moves with its zip.
 */
final class DropFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DropFolder.class);
    static final String ACTOR = "drop-folder";
    static final String ACCEPTED = "accepted";
    static final String REFUSED = "refused";
    static final String SIDECAR = ".activate";
    static final String REASON = ".reason.txt";

    private final Path folder;
    private final ModelDeployment deployment;
    private final StableFiles stable = new StableFiles();

    /** @throws IllegalArgumentException naming dropDirectory when the folders cannot be created */
    DropFolder(Path folder, ModelDeployment deployment) {
        this.folder = folder;
        this.deployment = deployment;
        try {
            Files.createDirectories(folder.resolve(ACCEPTED));
            Files.createDirectories(folder.resolve(REFUSED));
        } catch (IOException e) {
            throw new IllegalArgumentException("dropDirectory " + folder + " cannot be used: " + e, e);
        }
    }

    /** One poll: deploys every zip that became complete. Called on the deployment's timer thread. */
    void poll() {
        for (Path zip : stable.poll(candidates())) {
            process(zip);
        }
    }

    /**
     * Deletes what {@code refused/} holds for each zip refused before {@code cutoff}: the zip, its
     * {@code .reason.txt} and its sidecar. The reason file was written at the refusal, so its time is the refusal's
     * (a moved zip keeps the time it was copied); without one the newest file of the group counts. One INFO line per
     * zip. Called on the deployment's timer thread.
     */
    void purgeRefused(Instant cutoff, String why) {
        Map<String, List<Path>> groups = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder.resolve(REFUSED))) {
            for (Path file : files) {
                groups.computeIfAbsent(refusedZipName(file), k -> new ArrayList<>()).add(file);
            }
        } catch (IOException e) {
            LOG.warn("Drop folder: cannot list {}: {}", folder.resolve(REFUSED), e.getMessage());
            return;
        }
        groups.forEach((zip, files) -> {
            if (refusedAt(zip, files).isBefore(cutoff)) {
                delete(zip, files, why);
            }
        });
    }

    private static String refusedZipName(Path file) {
        String name = file.getFileName().toString();
        for (String suffix : List.of(REASON, SIDECAR)) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static Instant refusedAt(String zip, List<Path> files) {
        Instant newest = Instant.EPOCH;
        for (Path file : files) {
            Instant time = modified(file);
            if (file.getFileName().toString().equals(zip + REASON)) {
                return time;
            }
            newest = time.isAfter(newest) ? time : newest;
        }
        return newest;
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now(); // vanished or unreadable: not old enough to delete now
        }
    }

    private static void delete(String zip, List<Path> files, String why) {
        long bytes = 0;
        for (Path file : files) {
            try {
                long size = Files.size(file);
                Files.deleteIfExists(file);
                bytes += size;
            } catch (IOException e) {
                LOG.warn("Drop folder: cannot delete {} ({}); delete it by hand", file, e.toString());
            }
        }
        LOG.info("Drop folder: refused/{} deleted ({}): {} bytes freed", zip, why, bytes);
    }

    private Map<Path, StableFiles.Snapshot> candidates() {
        Map<Path, StableFiles.Snapshot> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, DropFolder::isPackage)) {
            for (Path file : files) {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    found.put(file, new StableFiles.Snapshot(a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the drop folder {}: {}", folder, e.getMessage());
        }
        return found;
    }

    static boolean isPackage(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    private void process(Path zip) {
        Path sidecar = zip.resolveSibling(zip.getFileName() + SIDECAR);
        ActivationWish wish;
        try {
            wish = ActivationWish.read(sidecar);
        } catch (IOException | IllegalArgumentException e) {
            refuse(zip, sidecar, "its sidecar " + sidecar.getFileName() + " is unusable: " + e.getMessage());
            return;
        }
        StoredModel stored;
        try {
            stored = deployment.deploy(zip, ACTOR);
        } catch (DeploymentException e) {
            refuse(zip, sidecar, e.reason() + ": " + e.getMessage());
            return;
        }
        List<String> outcome = activate(stored, wish);
        Path moved = move(zip, ACCEPTED);
        move(sidecar, ACCEPTED);
        if (moved != null && !outcome.isEmpty()) {
            write(moved.resolveSibling(moved.getFileName() + ".activation.txt"), outcome);
        }
        LOG.info("Drop folder: {} accepted as {}", zip.getFileName(), stored.id());
    }

    private List<String> activate(StoredModel stored, ActivationWish wish) {
        List<String> outcome = new ArrayList<>();
        for (String lineId : wish.lines()) {
            try {
                deployment.activate(lineId, stored.name(), stored.version(), ACTOR, wish.reason());
                outcome.add("line " + lineId + ": activated " + stored.id());
            } catch (DeploymentException e) {
                outcome.add("line " + lineId + ": refused (" + e.reason() + "): " + e.getMessage());
            }
        }
        return outcome;
    }

    private void refuse(Path zip, Path sidecar, String reason) {
        LOG.warn("Drop folder: {} refused: {}", zip.getFileName(), reason);
        Path moved = move(zip, REFUSED);
        move(sidecar, REFUSED);
        if (moved != null) {
            write(moved.resolveSibling(moved.getFileName() + REASON), List.of(reason));
        }
    }

    /** Moves {@code file} into {@code sub}/, keeping an older file of the same name; null if it failed. */
    private Path move(Path file, String sub) {
        if (!Files.exists(file)) {
            return null;
        }
        Path target = folder.resolve(sub).resolve(file.getFileName());
        if (Files.exists(target)) {
            target = target.resolveSibling(System.currentTimeMillis() + "-" + file.getFileName());
        }
        try {
            return Files.move(file, target);
        } catch (IOException e) {
            LOG.error("Drop folder: cannot move {} to {}/ ({}); move or delete it by hand", file, sub, e.toString());
            return null;
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Drop folder: cannot write {}: {}", file, e.getMessage());
        }
    }

    /** The sidecar's content: which lines to activate the package on, and why. */
    record ActivationWish(List<String> lines, String reason) {

        static ActivationWish read(Path sidecar) throws IOException {
            List<String> lines = new ArrayList<>();
            String reason = "dropped with " + sidecar.getFileName();
            if (!Files.exists(sidecar)) {
                return new ActivationWish(lines, reason);
            }
            for (String raw : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                String key = eq < 0 ? line : line.substring(0, eq).strip();
                String value = eq < 0 ? "" : line.substring(eq + 1).strip();
                switch (key) {
                    case "line" -> lines.add(requireValue(key, value));
                    case "reason" -> reason = requireValue(key, value);
                    default -> throw new IllegalArgumentException("unknown line '" + line
                            + "' (expected line=<id> or reason=<text>)");
                }
            }
            return new ActivationWish(List.copyOf(lines), reason);
        }

        private static String requireValue(String key, String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(key + "= needs a value");
            }
            return value;
        }
    }
}
