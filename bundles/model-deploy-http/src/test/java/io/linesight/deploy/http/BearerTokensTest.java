package io.linesight.deploy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.DeploymentException;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private static String digest(String token) {
        return HexFormat.of().formatHex(BearerTokens.sha256(token));
    }

    @Test
    void aConfiguredTokenIsRecognisedByItsDigestAndOthersAreNot() {
        BearerTokens tokens = BearerTokens.parse(new String[] {"ci:" + digest("s3cret-token"), "ops:" + digest("other")},
                "tokens");
        assertEquals(Optional.of("ci"), tokens.authenticate("Bearer s3cret-token"));
        assertEquals(Optional.of("ops"), tokens.authenticate("bearer other"));
        assertEquals(Optional.empty(), tokens.authenticate("Bearer s3cret-tokeN"));
        assertEquals(Optional.empty(), tokens.authenticate("Basic czNjcmV0"));
        assertEquals(Optional.empty(), tokens.authenticate(null));
        assertEquals(2, tokens.size());
    }

    @Test
    void aMalformedEntryIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BearerTokens.parse(new String[] {"ci:" + digest("a"), "plain-token-by-mistake"}, "tokens"));
        assertTrue(e.getMessage().contains("entry #2"), e.getMessage());
        assertFalse(e.getMessage().contains("plain-token-by-mistake"), "never echo what may be a secret");
    }

    @Test
    void refusalsMapToHttpStatusCodes() {
        assertEquals(422, ModelPushServlet.status(DeploymentException.Reason.NOT_TRUSTED));
        assertEquals(422, ModelPushServlet.status(DeploymentException.Reason.GATE_FAILED));
        assertEquals(404, ModelPushServlet.status(DeploymentException.Reason.NOT_FOUND));
        assertEquals(409, ModelPushServlet.status(DeploymentException.Reason.INVALID_STATE));
        assertEquals(500, ModelPushServlet.status(DeploymentException.Reason.FAILED));
    }

    @Test
    void activationsAndStoredModelsSerialiseWithTheirTimesAsText() {
        var gate = new io.linesight.api.deploy.GateReport(true, "accuracy", 1.0, 0.95, 100, 3.1, 100, "pass");
        var activation = new io.linesight.api.deploy.Activation(2, java.time.Instant.parse("2026-11-22T06:00:00Z"), "default",
                "m@0.2.1", "ab", "m@0.2.0", "activate", "http:ci", "retrained", gate);
        String json = new com.google.gson.Gson().toJson(ModelPushServlet.describe(activation));
        assertTrue(json.contains("\"time\":\"2026-11-22T06:00:00Z\"") && json.contains("\"minimum\":0.95"), json);
        var stored = new io.linesight.api.deploy.StoredModel("m", "0.2.1", "ab", "ci-key", java.time.Instant.EPOCH, null);
        String storedJson = new com.google.gson.Gson().toJson(ModelPushServlet.describe(stored));
        assertTrue(storedJson.contains("\"id\":\"m@0.2.1\"") && storedJson.contains("1970-01-01T00:00:00Z"), storedJson);
    }
}
