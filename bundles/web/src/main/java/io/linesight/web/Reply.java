package io.linesight.web;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer computed without the servlet API, so routes are tested as plain functions.
 *
 * @param status      HTTP status
 * @param contentType media type of {@code body}
 * @param body        the bytes to send
 * @param headers     extra headers
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";

    static Reply json(int status, Object body) {
        return new Reply(status, JSON, Json.GSON.toJson(body).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply error(ApiException e) {
        JsonObject o = new JsonObject();
        o.addProperty("error", e.getMessage());
        o.addProperty("status", e.status());
        Map<String, String> headers = e.status() == 401 ? Map.of("WWW-Authenticate", "Bearer realm=\"linesight\"") : Map.of();
        return new Reply(e.status(), JSON, Json.GSON.toJson(o).getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The body as text, for tests and logs. */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
