package io.linesight.model.deploy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.deploy.StoredModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local model repository: {@code <root>/<name>/<version>/} holds a verified package exactly as it was
 * signed, plus two files the runtime writes beside it: {@code deployment.json} (who stored it, when, its
 * digests, its signer) and {@code gate.json} (the last gate result on this runtime). A version is immutable:
 * storing the same content again is a no-op, different content under the same version is refused.
 *
 * <p>Packages are unpacked into {@code <root>/.staging/} (the same file system), verified there and moved
 * into place with one atomic rename, so a reader never sees half a package. Leftovers of a crash are
 * removed on start.
 */
final class ModelRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    static final String DEPLOYMENT_FILE = "deployment.json";
    static final String GATE_FILE = "gate.json";
    /** What the model answered on its golden set in its last passed gate here (the drift watch's golden reference). */
    static final String GOLDEN_OUTPUTS_FILE = "golden-outputs.json";
    /** Files the repository adds to a package folder; a package must not bring its own. */
    static final Set<String> RESERVED = Set.of(DEPLOYMENT_FILE, GATE_FILE, GOLDEN_OUTPUTS_FILE);
    static final String STAGING = ".staging";
    static final String HISTORY = "history";
    /** The actor that stores and activates the package a line's configuration names. */
    static final String CONFIG_ACTOR = "config";

    private final Path root;

    /** Opens (creating) the repository at {@code root} and clears old staging folders. */
    ModelRepository(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve(STAGING));
        Files.createDirectories(root.resolve(HISTORY));
        try (Stream<Path> old = Files.list(root.resolve(STAGING))) {
            old.forEach(ModelRepository::deleteTree);
        }
    }

    Path root() {
        return root;
    }

    /** A new, empty staging folder on the repository's file system. */
    Path newStaging() throws DeploymentException {
        try {
            return Files.createTempDirectory(root.resolve(STAGING), "pkg-");
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot create a staging folder in " + root + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Moves the verified package at {@code packageRoot} (inside a staging folder) into the repository.
     *
     * @throws DeploymentException INVALID_STATE when the version is stored with other content, FAILED on I/O
     */
    synchronized StoredModel store(Path packageRoot, PackageCard card, String signedBy, String actor)
            throws DeploymentException {
        SortedMap<String, String> files = PackageManifest.digests(packageRoot, Set.of());
        String content = PackageManifest.sha256(PackageManifest.render(files));
        Path target = root.resolve(card.name()).resolve(card.version());
        if (Files.exists(target)) {
            return existing(target, card, content);
        }
        String modelSha = files.get(card.file());
        if (modelSha == null) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "Package " + card.id() + " has no model file '"
                    + card.file() + "' (named by its card's 'file')");
        }
        StoredModel stored = new StoredModel(card.name(), card.version(), modelSha, signedBy, Instant.now(), null);
        try {
            writeAtomically(packageRoot.resolve(DEPLOYMENT_FILE), deploymentJson(stored, actor, content));
            Files.createDirectories(target.getParent());
            Files.move(packageRoot, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot store " + card.id() + " in " + root + ": "
                    + e.getMessage(), e);
        }
        return stored;
    }

    /** The folder of a stored package. */
    Optional<Path> folder(String name, String version) {
        if (!safeSegment(name) || !safeSegment(version)) {
            return Optional.empty();
        }
        Path dir = root.resolve(name).resolve(version);
        return Files.isRegularFile(dir.resolve(DEPLOYMENT_FILE)) ? Optional.of(dir) : Optional.empty();
    }

    Optional<StoredModel> find(String name, String version) {
        return folder(name, version).flatMap(this::read);
    }

    /** Every stored package, by name then version (numeric parts compared as numbers). */
    List<StoredModel> list() {
        List<StoredModel> all = new ArrayList<>();
        for (Path nameDir : children(root)) {
            if (!nameDir.getFileName().toString().startsWith(".") && !nameDir.getFileName().toString().equals(HISTORY)) {
                children(nameDir).forEach(v -> read(v).ifPresent(all::add));
            }
        }
        all.sort(Comparator.comparing(StoredModel::name).thenComparing(StoredModel::version, Versions::compare));
        return all;
    }

    /** True when the package was stored from a line's configuration (its {@code model.package}), not deployed. */
    boolean fromConfig(String name, String version) {
        return folder(name, version).flatMap(dir -> readJson(dir.resolve(DEPLOYMENT_FILE)))
                .map(d -> CONFIG_ACTOR.equals(JsonCodec.text(d, "actor"))).orElse(false);
    }

    /**
     * Checks that a stored package's files are still those it was stored with (its content digest), for packages
     * that have no signed manifest to say so.
     *
     * @throws DeploymentException NOT_TRUSTED naming the package when a file was changed, added or removed
     */
    void checkIntact(String name, String version, Set<String> repositoryFiles) throws DeploymentException {
        Path dir = folder(name, version).orElseThrow(() -> new DeploymentException(Reason.NOT_FOUND,
                "Package " + name + "@" + version + " is no longer in the repository " + root));
        String stored = readJson(dir.resolve(DEPLOYMENT_FILE)).map(d -> JsonCodec.text(d, "contentSha256")).orElse("");
        String now = PackageManifest.sha256(PackageManifest.render(PackageManifest.digests(dir, repositoryFiles)));
        if (!now.equals(stored)) {
            throw new DeploymentException(Reason.NOT_TRUSTED, "Package " + name + "@" + version + " in " + dir
                    + " was changed on disk after it was stored (content " + abbreviate(now) + ", stored "
                    + abbreviate(stored) + "): remove the folder and let the line's configuration store it again");
        }
    }

    /**
     * Deletes a stored package: its folder is first renamed into {@code .staging/} (one atomic step, so no reader
     * sees half a package and a crash leaves only staging leftovers, cleared at the next start), then deleted.
     * The caller decides whether the version may go.
     *
     * @return bytes freed
     * @throws DeploymentException NOT_FOUND when it is not stored, FAILED when it cannot be moved away
     */
    synchronized long remove(String name, String version) throws DeploymentException {
        Path dir = folder(name, version).orElseThrow(() -> new DeploymentException(Reason.NOT_FOUND,
                "No package " + name + "@" + version + " in the repository"));
        long bytes = size(dir);
        Path doomed;
        try {
            doomed = newStaging().resolve("removed");
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot remove " + name + "@" + version + " from " + root
                    + ": " + e.getMessage() + "; check the folder's permissions", e);
        }
        deleteTree(doomed.getParent());
        deleteIfEmpty(dir.getParent());
        return bytes;
    }

    /** Keeps what the model answered on its golden set with the package (a passed gate). */
    void saveGoldenOutputs(String name, String version, io.linesight.api.deploy.GoldenOutputs outputs) {
        folder(name, version).ifPresent(dir -> {
            JsonObject o = new JsonObject();
            o.addProperty("model", outputs.model());
            o.add("topConfidence", JsonCodec.GSON.toJsonTree(outputs.topConfidence()));
            o.add("topClass", JsonCodec.GSON.toJsonTree(outputs.topClass()));
            try {
                writeAtomically(dir.resolve(GOLDEN_OUTPUTS_FILE), JsonCodec.GSON.toJson(o));
            } catch (IOException e) {
                LOG.warn("Cannot keep the golden-set answers of {}@{} in {}: {}", name, version, dir, e.getMessage());
            }
        });
    }

    /** What the model answered on its golden set in its last passed gate here, if kept. */
    Optional<io.linesight.api.deploy.GoldenOutputs> goldenOutputs(String name, String version) {
        return folder(name, version).flatMap(dir -> readJson(dir.resolve(GOLDEN_OUTPUTS_FILE))).flatMap(o -> {
            try {
                List<Double> confidences = new ArrayList<>();
                o.getAsJsonArray("topConfidence").forEach(e -> confidences.add(e.getAsDouble()));
                List<Integer> classes = new ArrayList<>();
                o.getAsJsonArray("topClass").forEach(e -> classes.add(e.getAsInt()));
                return Optional.of(new io.linesight.api.deploy.GoldenOutputs(name + "@" + version, confidences, classes));
            } catch (RuntimeException e) {
                LOG.warn("{} is malformed ({}); the drift watch uses the line's first frames instead",
                        dir(name, version).resolve(GOLDEN_OUTPUTS_FILE), e.toString());
                return Optional.empty();
            }
        });
    }

    private Path dir(String name, String version) {
        return root.resolve(name).resolve(version);
    }

    /** Keeps the gate's result with the package. */
    void saveGate(String name, String version, GateReport gate) {
        folder(name, version).ifPresent(dir -> {
            try {
                writeAtomically(dir.resolve(GATE_FILE), JsonCodec.GSON.toJson(JsonCodec.gate(gate)));
            } catch (IOException e) {
                LOG.warn("Cannot keep the gate result of {}@{} in {}: {}", name, version, dir, e.getMessage());
            }
        });
    }

    static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return; // the package itself was moved into the repository
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", path, e.getMessage());
        }
    }

    /** Bytes of the regular files below {@code dir}; what is unreadable counts as nothing. */
    static long size(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** The name folder goes with its last version, so the repository lists no empty model names. */
    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (another version) or busy: it stays, harmlessly
        }
    }

    private StoredModel existing(Path target, PackageCard card, String content) throws DeploymentException {
        JsonObject deployment = readJson(target.resolve(DEPLOYMENT_FILE)).orElse(new JsonObject());
        String storedContent = JsonCodec.text(deployment, "contentSha256");
        if (!content.equals(storedContent)) {
            throw new DeploymentException(Reason.INVALID_STATE, "Package " + card.id() + " is already stored with"
                    + " different content (" + abbreviate(storedContent) + " stored, " + abbreviate(content)
                    + " arriving): a version is immutable; give the new package a new version");
        }
        LOG.info("Package {} is already stored with the same content; nothing to do", card.id());
        return read(target).orElseThrow(() -> new DeploymentException(Reason.FAILED,
                "Stored package " + card.id() + " is unreadable in " + target));
    }

    private Optional<StoredModel> read(Path dir) {
        Optional<JsonObject> json = readJson(dir.resolve(DEPLOYMENT_FILE));
        if (json.isEmpty()) {
            return Optional.empty();
        }
        JsonObject d = json.get();
        GateReport gate = readJson(dir.resolve(GATE_FILE)).map(JsonCodec::gate).orElse(null);
        try {
            return Optional.of(new StoredModel(JsonCodec.text(d, "name"), JsonCodec.text(d, "version"),
                    JsonCodec.text(d, "sha256"), JsonCodec.text(d, "signedBy"),
                    Instant.parse(JsonCodec.text(d, "storedAt")), gate));
        } catch (RuntimeException e) {
            LOG.warn("{} is malformed ({}); the package is not listed", dir.resolve(DEPLOYMENT_FILE), e.toString());
            return Optional.empty();
        }
    }

    private static String deploymentJson(StoredModel stored, String actor, String content) {
        JsonObject o = new JsonObject();
        o.addProperty("name", stored.name());
        o.addProperty("version", stored.version());
        o.addProperty("sha256", stored.sha256());
        o.addProperty("contentSha256", content);
        o.addProperty("signedBy", stored.signedBy());
        o.addProperty("storedAt", stored.storedAt().toString());
        o.addProperty("actor", actor);
        return JsonCodec.GSON.toJson(o);
    }

    private static Optional<JsonObject> readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
        } catch (IOException | JsonParseException | IllegalStateException e) {
            LOG.warn("{} is unreadable ({}); ignored", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean safeSegment(String s) {
        return s != null && !s.isEmpty() && !s.startsWith(".") && !s.contains("/") && !s.contains("\\");
    }

    private static String abbreviate(String hex) {
        return hex == null ? "unknown" : hex.substring(0, Math.min(12, hex.length())) + "...";
    }
}
