package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.inspection.LineState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Model push as a route of the web API: the web's tokens, its read access for GET, its error body and status map.
 * Parameters come from the query string only, the body reaches the deployment byte for byte whatever its declared type,
 * and a form upload is answered with the command to use.
 */
class ModelPushTest {

    private static final String LOCAL = "127.0.0.1";
    private static final String REMOTE = "192.168.1.20";
    private static final String AUTH = "Bearer " + Fakes.TOKEN;

    private final Fakes.Deployment deployment = new Fakes.Deployment();
    private LiveView view;
    private ApiRoutes routes;

    private void start(Map<String, Object> config) {
        view = new LiveView(Fakes.webConfig(config));
        view.bindLine(new Fakes.Line("default", LineState.RUNNING), Map.of("line.id", "default"));
        view.bindDeployment(deployment);
        routes = new ApiRoutes(view);
    }

    @AfterEach
    void stop() {
        view.deactivate();
    }

    private Reply send(String method, String pathAndQuery, String auth, String remote, String type, byte[] body,
                       boolean declareLength) {
        int q = pathAndQuery.indexOf('?');
        Map<String, String> query = q < 0 ? Map.of() : Http.query(pathAndQuery.substring(q + 1));
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        return routes.handle(new ApiRequest(method, path, query, auth, remote, type, declareLength ? body.length : -1,
                () -> new ByteArrayInputStream(body)));
    }

    private Reply push(String pathAndQuery, String auth, String type, byte[] body) {
        return send("PUT", pathAndQuery, auth, LOCAL, type, body, true);
    }

    private static byte[] zipLike(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = '&'; // a form parser would split here
        bytes[3] = '=';
        return bytes;
    }

    private static JsonObject object(Reply r) {
        return JsonParser.parseString(r.text()).getAsJsonObject();
    }

    @Test
    void aPushWithoutOrWithAnUnknownTokenIsRefusedAndNothingIsDeployed() {
        start(Map.of());
        Reply none = push("/models", null, "application/zip", zipLike(100));
        assertEquals(401, none.status(), none.text());
        assertEquals("Bearer realm=\"linesight\"", none.headers().get("WWW-Authenticate"));
        assertTrue(object(none).get("error").getAsString().startsWith("a model push needs a bearer token"), none.text());
        assertEquals(401, push("/models", "Bearer not-a-token", "application/zip", zipLike(100)).status());
        assertTrue(deployment.calls.isEmpty(), deployment.calls.toString());
    }

    @Test
    void theBodyReachesTheDeploymentByteForByteWhateverItsTypeAndIsStoredOnly() {
        start(Map.of());
        byte[] zip = zipLike(300_000);
        for (String type : new String[] {"application/zip", "", "application/x-www-form-urlencoded"}) {
            Reply r = push("/models", AUTH, type, zip);
            assertEquals(201, r.status(), type + ": " + r.text());
            assertEquals("defect-mobilenetv2@0.2.1", object(r).getAsJsonObject("stored").get("id").getAsString());
            assertEquals("2026-01-01T00:00:03Z", object(r).getAsJsonObject("stored").get("storedAt").getAsString());
            assertFalse(object(r).has("activation"), r.text());
        }
        assertEquals(3, deployment.deployed.size());
        deployment.deployed.forEach(bytes -> assertArrayEquals(zip, bytes));
        assertEquals(List.of("deploy by http:ops", "deploy by http:ops", "deploy by http:ops"), deployment.calls);
        deployment.deployedFrom.forEach(f -> assertFalse(Files.exists(f), "the temporary copy is deleted: " + f));
    }

    @Test
    void activateAndReasonComeFromTheQueryStringAndPostWorksLikePut() {
        start(Map.of());
        Reply r = send("POST", "/models?activate=default&reason=retrained%20on%20batch+7", AUTH, LOCAL,
                "application/x-www-form-urlencoded", "activate=other&reason=from-the-body".getBytes(), true);
        assertEquals(200, r.status(), r.text());
        assertEquals("activate", object(r).getAsJsonObject("activation").get("action").getAsString());
        assertEquals(List.of("deploy by http:ops",
                "activate default defect-mobilenetv2@0.2.1 by http:ops: retrained on batch 7"), deployment.calls);
    }

    @Test
    void aFormUploadIsRefusedWithTheCommandToUse() {
        start(Map.of());
        Reply r = push("/models", AUTH, "multipart/form-data; boundary=x", zipLike(100));
        assertEquals(415, r.status(), r.text());
        assertTrue(object(r).get("error").getAsString().contains("--data-binary @package.zip"), r.text());
        assertTrue(deployment.calls.isEmpty());
    }

    @Test
    void emptyAndOversizedBodiesAreRefusedDeclaredOrChunked() {
        start(Map.of("maxPackageMegabytes", 1));
        assertEquals(400, push("/models", AUTH, "application/zip", new byte[0]).status());
        byte[] big = zipLike(1024 * 1024 + 1);
        Reply declared = push("/models", AUTH, "application/zip", big);
        assertEquals(413, declared.status(), declared.text());
        assertTrue(object(declared).get("error").getAsString().contains("exceeds the limit of 1 MB"), declared.text());
        Reply chunked = send("PUT", "/models", AUTH, LOCAL, "application/zip", big, false);
        assertEquals(413, chunked.status(), chunked.text());
        assertTrue(deployment.calls.isEmpty());
        assertEquals(201, send("PUT", "/models", AUTH, LOCAL, "application/zip", zipLike(1024 * 1024), false).status());
    }

    @Test
    void refusalsMapLikeEveryOtherDeploymentRouteAndUnexpectedFailuresSayIt() {
        start(Map.of());
        deployment.refuse = DeploymentException.Reason.NOT_TRUSTED;
        Reply refused = push("/models", AUTH, "application/zip", zipLike(100));
        assertEquals(422, refused.status(), refused.text());
        assertEquals(422, object(refused).get("status").getAsInt());
        assertTrue(object(refused).get("error").getAsString().contains("model.json does not match"), refused.text());
        deployment.refuse = null;
        deployment.fail = new IllegalStateException("repository folder vanished");
        Reply failed = push("/models", AUTH, "application/zip", zipLike(100));
        assertEquals(500, failed.status(), failed.text());
        assertTrue(object(failed).get("error").getAsString().contains("repository folder vanished"), failed.text());
        deployment.deployedFrom.forEach(f -> assertFalse(Files.exists(f), "the temporary copy is deleted: " + f));
        view.unbindDeployment(deployment);
        assertEquals(503, push("/models", AUTH, "application/zip", zipLike(100)).status());
    }

    @Test
    void aClientThatBreaksOffWhileSendingGets400() {
        start(Map.of());
        InputStream breaking = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 1000) {
                    throw new IOException("Early EOF");
                }
                return 'x';
            }
        };
        Reply r = routes.handle(new ApiRequest("PUT", "/models", Map.of(), AUTH, LOCAL, "application/zip", 5000,
                () -> breaking));
        assertEquals(400, r.status(), r.text());
        assertTrue(deployment.calls.isEmpty());
    }

    /** Issue 16 item 12: GET /api/models used to bypass the read access. */
    @Test
    void theModelListFollowsTheReadAccessLikeEveryOtherRead() {
        start(Map.of());
        assertEquals(200, send("GET", "/models", null, LOCAL, "", new byte[0], true).status());
        Reply remote = send("GET", "/models", null, REMOTE, "", new byte[0], true);
        assertEquals(401, remote.status(), remote.text());
        Reply withToken = send("GET", "/models", AUTH, REMOTE, "", new byte[0], true);
        assertEquals(200, withToken.status(), withToken.text());
        assertEquals("defect-mobilenetv2@0.2.0", JsonParser.parseString(withToken.text()).getAsJsonArray().get(0)
                .getAsJsonObject().get("id").getAsString());
        view.deactivate();

        Map<String, Object> tokenOnly = new HashMap<>();
        tokenOnly.put("readAccess", WebConfig.ReadAccess.TOKEN);
        start(tokenOnly);
        assertEquals(401, send("GET", "/models", null, LOCAL, "", new byte[0], true).status());
        assertEquals(200, send("GET", "/models", AUTH, LOCAL, "", new byte[0], true).status());
    }
}
