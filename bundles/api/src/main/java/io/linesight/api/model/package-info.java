/**
 * Models and what they say about a frame.
 *
 * <p>A {@link io.linesight.api.model.ModelRuntime} service (for example the ONNX Runtime runner)
 * loads a model package into a {@link io.linesight.api.model.LoadedModel}; the line that asked for it
 * owns it and closes it. Results are plain immutable values, so nothing downstream needs to know which
 * runtime or model produced them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.model;
