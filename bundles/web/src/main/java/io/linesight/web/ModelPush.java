package io.linesight.web;

import com.google.gson.JsonObject;
import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT} or {@code POST /api/models}: model push for a pipeline that delivers packages to the edge. The body is
 * the package zip itself, whatever the Content-Type says (curl's {@code --data-binary} sends
 * {@code application/x-www-form-urlencoded}); {@code activate=<line>} and {@code reason=} come from the query string
 * only, so the zip is never parsed as a form. The package goes through {@link ModelDeployment} like every other
 * arrival path (signature, card, gate). It needs a token of the web's list; the actor recorded is
 * {@code http:<token name>}.
 *
 * <p>Answers: 201 stored, 200 stored and activated, 400 empty body, 401 no or unknown token, 413 over
 * {@code maxPackageMegabytes}, 415 a multipart form, and the deployment's refusals as everywhere in the API
 * ({@link ApiRoutes#status}).
 */
final class ModelPush {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPush.class);
    static final String CURL = "curl -X PUT --data-binary @package.zip -H 'Content-Type: application/zip'"
            + " -H 'Authorization: Bearer <token>' 'http://<host>:<port>/api/models?activate=<line>'";

    private final LiveView view;

    ModelPush(LiveView view) {
        this.view = view;
    }

    Reply push(ApiRequest r) throws ApiException {
        String actor = "http:" + view.access().requireWrite(r.authorization(), "a model push");
        ModelDeployment deployment = view.deployment().orElseThrow(() -> new ApiException(503,
                "the model deployment service is not running; check the runtime's log"));
        if (r.contentType().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new ApiException(415, "send the package zip as the raw request body, not as a form upload: " + CURL);
        }
        Path upload = temporaryFile();
        try {
            long size = r.copyBody(upload, view.settings().maxPackageBytes(), "package");
            if (size == 0) {
                throw new ApiException(400, "empty body: send the package zip as the request body: " + CURL);
            }
            return deploy(deployment, upload, actor, r.param("activate"), r.param("reason"));
        } finally {
            delete(upload);
        }
    }

    private static Reply deploy(ModelDeployment deployment, Path upload, String actor, String line, String reason)
            throws ApiException {
        try {
            StoredModel stored = deployment.deploy(upload, actor);
            JsonObject body = new JsonObject();
            body.add("stored", Json.stored(stored));
            if (line == null || line.isBlank()) {
                return Reply.json(201, body);
            }
            String why = reason == null || reason.isBlank() ? "pushed over HTTP" : reason.trim();
            Activation activation = deployment.activate(line.trim(), stored.name(), stored.version(), actor, why);
            body.add("activation", Json.activation(activation));
            return Reply.json(200, body);
        } catch (DeploymentException e) {
            throw new ApiException(ApiRoutes.status(e.reason()), e.getMessage());
        }
    }

    private static Path temporaryFile() throws ApiException {
        try {
            return Files.createTempFile("linesight-push-", ".zip");
        } catch (IOException e) {
            throw new ApiException(500, "no temporary file for the package (" + e.getMessage()
                    + "); check the temporary folder (java.io.tmpdir)");
        }
    }

    private static void delete(Path upload) {
        try {
            Files.deleteIfExists(upload);
        } catch (IOException e) {
            LOG.warn("Web: the pushed package's temporary copy {} could not be deleted: {}", upload, e.toString());
        }
    }
}
