package io.linesight.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.ModelRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload check: runs an uploaded image through a model package with the same {@link ModelRuntime}
 * (and so the same runner code) the lines use. One model is kept loaded at a time: choosing another
 * closes it, and so do {@link #close()} and the runtime going away. Checks run one at a time, so a
 * check never competes with itself for the cores the lines need.
 */
final class UploadChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadChecker.class);

    private final Supplier<List<ModelCandidate>> candidates;
    private ModelRuntime loadedBy;
    private String loadedId;
    private LoadedModel loaded;

    /** @param candidates the packages offered now (read on every call: lines activate new ones) */
    UploadChecker(Supplier<List<ModelCandidate>> candidates) {
        this.candidates = candidates;
    }

    /** Packages found in {@code configured} folders and the lines' active packages, first of each id wins. */
    static List<ModelCandidate> collect(Map<String, Path> linePackages, List<Path> configured) {
        Map<String, ModelCandidate> byId = new LinkedHashMap<>();
        linePackages.forEach((line, folder) -> ModelCandidate.read(folder, "line " + line)
                .ifPresent(c -> byId.putIfAbsent(c.id(), c)));
        configured.forEach(folder -> ModelCandidate.read(folder, "configured").ifPresent(c -> byId.putIfAbsent(c.id(), c)));
        return new ArrayList<>(byId.values());
    }

    JsonArray list() {
        JsonArray out = new JsonArray();
        candidates.get().forEach(c -> out.add(c.json()));
        return out;
    }

    /** Runs one image through the package {@code modelId}; the answer holds the top 5 classes or the boxes. */
    synchronized JsonObject check(ModelRuntime runtime, String modelId, byte[] image, String name) throws ApiException {
        if (runtime == null) {
            throw new ApiException(503, "no model runtime (model.runtime=onnx) is running; check the runtime's log");
        }
        ModelCandidate candidate = find(modelId);
        Frame frame = FrameImages.decode(image, name);
        LoadedModel model = modelFor(runtime, candidate);
        try {
            InferenceResult result = model.infer(frame);
            JsonObject o = new JsonObject();
            o.addProperty("image", name);
            o.addProperty("width", frame.width());
            o.addProperty("height", frame.height());
            o.add("model", Json.model(model.info()));
            o.add("result", Json.result(result, model.info().labels(), 5));
            o.addProperty("inferenceMs", Json.round(result.inferenceNanos() / 1e6, 2));
            return o;
        } catch (InferenceException e) {
            throw new ApiException(422, "model " + modelId + " failed on '" + name + "': " + e.getMessage());
        }
    }

    private ModelCandidate find(String modelId) throws ApiException {
        if (modelId == null || modelId.isBlank()) {
            throw new ApiException(400, "choose a model: ?model=<name@version> (GET /api/upload/models lists them)");
        }
        List<ModelCandidate> all = candidates.get();
        return all.stream().filter(c -> c.id().equals(modelId)).findFirst()
                .orElseThrow(() -> new ApiException(404, "unknown model '" + modelId + "': the list may have changed, reload the page ("
                        + all.stream().map(ModelCandidate::id).toList() + " are offered)"));
    }

    /** Caller holds the lock. */
    private LoadedModel modelFor(ModelRuntime runtime, ModelCandidate candidate) throws ApiException {
        String key = candidate.id() + " " + candidate.folder();
        if (loaded != null && key.equals(loadedId) && runtime == loadedBy) {
            return loaded;
        }
        release();
        try {
            loaded = runtime.load(candidate.folder());
        } catch (ModelLoadException | RuntimeException e) {
            throw new ApiException(422, "model " + candidate.id() + " cannot be loaded: " + e.getMessage());
        }
        loadedId = key;
        loadedBy = runtime;
        LOG.info("Upload check: model {} loaded from {}", candidate.id(), candidate.folder());
        return loaded;
    }

    /** Closes the cached model when {@code runtime} (or any runtime, when null) goes away. */
    synchronized void runtimeGone(ModelRuntime runtime) {
        if (runtime == null || runtime == loadedBy) {
            release();
        }
    }

    private void release() {
        if (loaded != null) {
            loaded.close();
            LOG.debug("Upload check: model {} closed", loadedId);
        }
        loaded = null;
        loadedId = null;
        loadedBy = null;
    }

    /** String form of what is loaded, for tests and the log. */
    synchronized String loadedId() {
        return loadedId;
    }

    @Override
    public synchronized void close() {
        release();
    }
}
