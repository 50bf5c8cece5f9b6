package io.linesight.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Reads a runtime's REST API and /metrics as the tests poll them: a runtime that is not up yet, or an answer other
 * than 200, reads as empty, so a poll simply tries again.
 */
final class Rest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Rest() {
    }

    /** The body of GET {@code path} on the runtime's HTTP port, or "" when there is no 200 answer. */
    static String get(RuntimeProcess runtime, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runtime.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The JSON array GET {@code path} answers (/api/lines, /api/alarms, ...), as objects; empty as above. */
    static List<JsonObject> array(RuntimeProcess runtime, String path) {
        String body = get(runtime, path);
        if (body.isEmpty()) {
            return List.of();
        }
        JsonElement json = JsonParser.parseString(body);
        return StreamSupport.stream(json.getAsJsonArray().spliterator(), false).map(JsonElement::getAsJsonObject).toList();
    }
}
