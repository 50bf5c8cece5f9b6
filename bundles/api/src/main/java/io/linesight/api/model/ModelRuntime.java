package io.linesight.api.model;

import java.nio.file.Path;

/**
 * Loads model packages into sessions of one inference engine. Published as an OSGi service with the
 * service property {@value #RUNTIME} (for example {@code onnx}).
 *
 * <p>A model package is a folder holding the model file and its card ({@code model.json}); see
 * {@code models/README.md}. Loading is slow and happens off the line's hot path.
 */
public interface ModelRuntime {

    /** Service property naming the engine. */
    String RUNTIME = "model.runtime";

    /**
     * Loads the package in {@code packageDir}.
     *
     * @throws ModelLoadException when a file is missing or corrupt, or the model does not match its
     *                            card; the message names the file and what to do
     */
    LoadedModel load(Path packageDir) throws ModelLoadException;
}
