package io.linesight.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.inspection.InspectionLine;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API below {@code /api} (see README, Web, for the table). Every read follows the configured read
 * access; reset, activate, rollback, shadow, unshadow, promote, alarm acknowledgement, model push ({@link ModelPush})
 * and model removal need a bearer token.
 * Model push, activation and rollback go through {@link ModelDeployment}, the same verification and gate as every
 * other path, and its refusals map to one set of status codes ({@link #status}).
 */
final class ApiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final long MAX_JSON_BYTES = 16 * 1024;

    private final LiveView view;
    private final ModelPush push;

    ApiRoutes(LiveView view) {
        this.view = view;
        this.push = new ModelPush(view);
    }

    Reply handle(ApiRequest r) {
        try {
            return route(r, r.path().split("/", -1));
        } catch (ApiException e) {
            return Reply.error(e);
        } catch (RuntimeException e) {
            return unexpected(r, e);
        }
    }

    /** A bug or a broken service below us: one ERROR line (the stack at DEBUG) and a 500 that says so. */
    private static Reply unexpected(ApiRequest r, RuntimeException e) {
        String what = r.method() + " /api" + r.path();
        LOG.error("Web: {} from {} failed: {}", what, r.remoteAddress(), e.toString());
        LOG.debug("Detail of the failure above", e);
        return Reply.error(new ApiException(500, what + " failed inside the runtime (" + e + "); see the runtime's log"));
    }

    private Reply route(ApiRequest r, String[] p) throws ApiException {
        // p[0] is "" (the path starts with "/")
        String first = p.length > 1 ? p[1] : "";
        if (("PUT".equals(r.method()) || "POST".equals(r.method())) && "/models".equals(r.path())) {
            return push.push(r);
        }
        if ("DELETE".equals(r.method()) && "models".equals(first) && p.length == 4) {
            return removeModel(r, p[2], p[3]);
        }
        if ("POST".equals(r.method()) && "lines".equals(first) && p.length == 4) {
            return change(r, p[2], p[3]);
        }
        if ("POST".equals(r.method()) && "alarms".equals(first) && p.length == 4 && "ack".equals(p[3])) {
            return acknowledge(r, p[2]);
        }
        if ("POST".equals(r.method()) && "upload".equals(first) && p.length == 3 && "inspect".equals(p[2])) {
            view.access().requireRead(r.remoteAddress(), r.authorization());
            return uploadCheck(r);
        }
        if (!"GET".equals(r.method())) {
            throw new ApiException(405, r.method() + " " + "/api" + r.path() + " is not supported (see README, Web: REST API)");
        }
        view.access().requireRead(r.remoteAddress(), r.authorization());
        return read(r, p);
    }

    private Reply read(ApiRequest r, String[] p) throws ApiException {
        String path = String.join("/", p);
        return switch (path) {
            case "/lines" -> Reply.json(200, lines());
            case "/outputs" -> Reply.json(200, outputs());
            case "/drift" -> Reply.json(200, drift());
            case "/health-window" -> Reply.json(200, healthWindows());
            case "/alarms" -> Reply.json(200, alarms());
            case "/alarms/journal" -> Reply.json(200, journal(r.param("limit")));
            case "/events" -> Reply.json(200, recentEvents(r.param("limit")));
            case "/catalog", "/models" -> Reply.json(200, catalog());
            case "/upload/models" -> Reply.json(200, view.upload().list());
            default -> readLine(p);
        };
    }

    private Reply readLine(String[] p) throws ApiException {
        if (p.length < 3 || !"lines".equals(p[1])) {
            throw new ApiException(404, "no such resource: /api" + String.join("/", p) + " (see README, Web: REST API)");
        }
        InspectionLine line = line(p[2]);
        if (p.length == 3) {
            return Reply.json(200, view.lineJson(line.status()));
        }
        if (p.length == 4 && "history".equals(p[3])) {
            JsonArray out = new JsonArray();
            deployment().history(p[2]).forEach(a -> out.add(Json.activation(a)));
            return Reply.json(200, out);
        }
        if (p.length == 4 && "shadow".equals(p[3])) {
            return Reply.json(200, Json.shadow(line.shadow().orElseThrow(() -> new ApiException(404, "line " + p[2]
                    + " has run no shadow trial; start one with POST /api/lines/" + p[2] + "/shadow"))));
        }
        if (p.length == 4 && "frame.jpg".equals(p[3])) {
            LineTrack.Jpeg jpeg = view.frameJpeg(p[2]);
            if (jpeg == null) {
                throw new ApiException(404, "line " + p[2] + " has no frame to show yet");
            }
            return new Reply(200, "image/jpeg", jpeg.bytes(), Map.of("Cache-Control", "no-store",
                    "X-Frame-Sequence", String.valueOf(jpeg.sequence())));
        }
        throw new ApiException(404, "no such resource: /api" + String.join("/", p) + " (see README, Web: REST API)");
    }

    private JsonArray lines() {
        JsonArray out = new JsonArray();
        view.statuses().forEach(s -> out.add(view.lineJson(s)));
        return out;
    }

    private JsonArray drift() {
        JsonArray out = new JsonArray();
        view.drift().forEach(f -> out.add(Json.drift(f)));
        return out;
    }

    private JsonArray healthWindows() {
        JsonArray out = new JsonArray();
        view.healthWindows().forEach(w -> out.add(Json.healthWindow(w)));
        return out;
    }

    private JsonArray outputs() {
        JsonArray out = new JsonArray();
        view.outputStatuses().forEach(s -> out.add(Json.output(s)));
        return out;
    }

    private static JsonArray events(java.util.List<io.linesight.api.event.RuntimeEvent> events) {
        JsonArray out = new JsonArray();
        events.forEach(e -> out.add(Json.event(e)));
        return out;
    }

    private JsonArray recentEvents(String limitParam) throws ApiException {
        int limit = limit(limitParam, 50);
        board();
        return events(view.recentEvents(limit));
    }

    private JsonArray alarms() {
        JsonArray out = new JsonArray();
        view.alarms().forEach(a -> out.add(Json.alarm(a)));
        return out;
    }

    private JsonArray journal(String limitParam) throws ApiException {
        int limit = limit(limitParam, 200);
        JsonArray out = new JsonArray();
        board().journal(limit).forEach(t -> out.add(Json.transition(t)));
        return out;
    }

    private static int limit(String limitParam, int fallback) throws ApiException {
        if (limitParam == null) {
            return fallback;
        }
        int limit;
        try {
            limit = Integer.parseInt(limitParam.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            throw new ApiException(400, "limit must be a whole number within 1..1000, was '" + limitParam + "'");
        }
        return limit;
    }

    private io.linesight.api.event.EventBoard board() throws ApiException {
        return view.events().orElseThrow(() -> new ApiException(503,
                "the event board is not running; check the runtime's log"));
    }

    /** POST /api/alarms/{id}/ack: an operator (bearer token) acknowledges a listed alarm. */
    private Reply acknowledge(ApiRequest r, String idText) throws ApiException {
        String actor = "web:" + view.access().requireWrite(r.authorization());
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "alarm id must be a number (see GET /api/alarms), was '" + idText + "'");
        }
        io.linesight.api.event.Alarm acknowledged = board().acknowledge(id, actor).orElseThrow(() -> new ApiException(
                404, "no unacknowledged alarm #" + id + "; GET /api/alarms lists the alarms to acknowledge"));
        LOG.info("Web: alarm #{} {} {} acknowledged by {}", id, acknowledged.kind(), acknowledged.source(), actor);
        return Reply.json(200, Json.alarm(acknowledged));
    }

    private JsonArray catalog() throws ApiException {
        JsonArray out = new JsonArray();
        deployment().stored().forEach(m -> out.add(Json.stored(m)));
        return out;
    }

    // ---- state changes ----------------------------------------------------------------------------

    /**
     * DELETE /api/models/{name}/{version}: removes a stored version, with a token as for a model push (actor
     * {@code http:<token name>}); 409 while the version is active, in a shadow trial or a rollback target.
     */
    private Reply removeModel(ApiRequest r, String name, String version) throws ApiException {
        String actor = "http:" + view.access().requireWrite(r.authorization(), "a model removal");
        try {
            io.linesight.api.deploy.StoredModel removed = deployment().remove(name, version, actor);
            LOG.info("Web: model {} removed by {}", removed.id(), actor);
            JsonObject body = new JsonObject();
            body.add("removed", Json.stored(removed));
            return Reply.json(200, body);
        } catch (DeploymentException e) {
            throw new ApiException(status(e.reason()), e.getMessage());
        }
    }

    private Reply change(ApiRequest r, String lineId, String action) throws ApiException {
        String actor = "web:" + view.access().requireWrite(r.authorization());
        InspectionLine line = line(lineId);
        switch (action) {
            case "reset" -> {
                line.resetCounters();
                LOG.info("Web: counters of line {} reset by {}", lineId, actor);
                JsonObject o = new JsonObject();
                o.addProperty("reset", lineId);
                o.addProperty("actor", actor);
                return Reply.json(200, o);
            }
            case "activate" -> {
                JsonObject body = jsonBody(r);
                String name = required(body, "name");
                String version = required(body, "version");
                return activation(() -> deployment().activate(lineId, name, version, actor, reason(body)));
            }
            case "rollback" -> {
                JsonObject body = jsonBody(r);
                return activation(() -> deployment().rollback(lineId, actor, reason(body)));
            }
            case "shadow" -> {
                JsonObject body = jsonBody(r);
                String name = required(body, "name");
                String version = required(body, "version");
                return activation(() -> deployment().shadow(lineId, name, version, actor));
            }
            case "unshadow" -> {
                return stoppedShadow(lineId, actor);
            }
            case "promote" -> {
                return activation(() -> deployment().promote(lineId, actor));
            }
            default -> throw new ApiException(404, "unknown action '" + action
                    + "': reset, activate, rollback, shadow, unshadow or promote");
        }
    }

    private Reply stoppedShadow(String lineId, String actor) throws ApiException {
        try {
            io.linesight.api.inspection.ShadowFigures f = deployment().stopShadow(lineId, actor);
            LOG.info("Web: shadow trial of {} on line {} stopped by {}", f.candidate().displayName(), lineId, actor);
            return Reply.json(200, Json.shadow(f));
        } catch (DeploymentException e) {
            throw new ApiException(status(e.reason()), e.getMessage());
        }
    }

    @FunctionalInterface
    private interface DeploymentCall {
        Activation run() throws DeploymentException, ApiException;
    }

    private static Reply activation(DeploymentCall call) throws ApiException {
        try {
            Activation a = call.run();
            LOG.info("Web: line {} {} {} by {}", a.lineId(), a.action(), a.model(), a.actor());
            return Reply.json(200, Json.activation(a));
        } catch (DeploymentException e) {
            throw new ApiException(status(e.reason()), e.getMessage());
        }
    }

    /** The one mapping of deployment refusals to HTTP status codes, for every route that deploys or activates. */
    static int status(DeploymentException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> 404;
            case NOT_TRUSTED, GATE_FAILED -> 422;
            case INVALID_STATE -> 409;
            case FAILED -> 500;
        };
    }

    private static JsonObject jsonBody(ApiRequest r) throws ApiException {
        byte[] bytes = r.readBody(MAX_JSON_BYTES, "request body");
        if (bytes.length == 0) {
            return new JsonObject();
        }
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (e.isJsonObject()) {
                return e.getAsJsonObject();
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw new ApiException(400, "the body must be a JSON object, e.g. {\"name\":\"defect-mobilenetv2\",\"version\":\"0.2.0\",\"reason\":\"...\"}");
    }

    private static String required(JsonObject body, String field) throws ApiException {
        JsonElement e = body.get(field);
        if (e == null || !e.isJsonPrimitive() || e.getAsString().isBlank()) {
            throw new ApiException(400, "'" + field + "' is required (a non-empty string)");
        }
        return e.getAsString().trim();
    }

    private static String reason(JsonObject body) throws ApiException {
        JsonElement e = body.get("reason");
        if (e == null || e.isJsonNull()) {
            return "from the web dashboard";
        }
        if (!e.isJsonPrimitive() || e.getAsString().length() > 500) {
            throw new ApiException(400, "'reason' must be a string of at most 500 characters");
        }
        return e.getAsString().isBlank() ? "from the web dashboard" : e.getAsString().trim();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private InspectionLine line(String id) throws ApiException {
        return view.line(id).orElseThrow(() -> new ApiException(404, "unknown line '" + id + "'; lines: "
                + view.statuses().stream().map(s -> s.lineId()).toList()));
    }

    private ModelDeployment deployment() throws ApiException {
        return view.deployment().orElseThrow(() -> new ApiException(503,
                "the model deployment service is not running; check the runtime's log"));
    }

    private Reply uploadCheck(ApiRequest r) throws ApiException {
        String name = r.param("name") == null || r.param("name").isBlank() ? "upload" : r.param("name").trim();
        byte[] image = r.readBody(view.settings().maxUploadBytes(), "image '" + name + "'");
        if (image.length == 0) {
            throw new ApiException(400, "empty upload: send the image file as the request body");
        }
        return Reply.json(200, view.upload().check(view.modelRuntime(), r.param("model"), image, name));
    }
}
