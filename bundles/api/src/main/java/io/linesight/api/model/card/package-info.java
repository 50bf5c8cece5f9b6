/**
 * The model card ({@code model.json}) of a model package, the one record and parser every bundle uses: the runner,
 * the deployment and its gate, {@code model:eval} and the web upload page. {@link
 * io.linesight.api.model.card.ModelCardReader} reads it with the API's own strict JSON reader (the API depends on
 * nothing but the JDK) and validates it; completing a card from the ONNX file stays with the runner.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.model.card;
