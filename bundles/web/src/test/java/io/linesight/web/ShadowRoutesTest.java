package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.ShadowFigures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/lines/{id}/shadow and POST .../shadow, .../unshadow, .../promote. */
class ShadowRoutesTest {

    private static final String LOCAL = "127.0.0.1";
    private static final String AUTH = "Bearer " + Fakes.TOKEN;

    private LiveView view;
    private ApiRoutes routes;
    private final Fakes.Line line = new Fakes.Line("default", LineState.RUNNING);
    private final Fakes.Deployment deployment = new Fakes.Deployment();

    @BeforeEach
    void start() {
        view = new LiveView(Fakes.webConfig(Map.of()));
        view.bindLine(line, Map.of("line.id", "default"));
        view.bindDeployment(deployment);
        routes = new ApiRoutes(view);
    }

    @AfterEach
    void stop() {
        view.deactivate();
    }

    private Reply call(String method, String path, String auth, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return routes.handle(new ApiRequest(method, path, Map.of(), auth, LOCAL, bytes.length,
                () -> new ByteArrayInputStream(bytes)));
    }

    private static JsonObject object(Reply r) {
        return JsonParser.parseString(r.text()).getAsJsonObject();
    }

    @Test
    void theFiguresAreReadableWithTheConfusionMatrixByVerdict() {
        Reply none = call("GET", "/lines/default/shadow", null, null);
        assertEquals(404, none.status(), none.text());
        assertTrue(object(none).get("error").getAsString().contains("has run no shadow trial"), none.text());

        line.shadow = Optional.of(Fakes.shadowFigures("default", ShadowFigures.State.RUNNING));
        Reply r = call("GET", "/lines/default/shadow", null, null);
        assertEquals(200, r.status(), r.text());
        JsonObject o = object(r);
        assertEquals("RUNNING", o.get("state").getAsString());
        assertEquals("0.3.0", o.getAsJsonObject("candidate").get("version").getAsString());
        assertEquals(40, o.get("framesJudged").getAsLong());
        assertEquals(2, o.getAsJsonObject("confusion").getAsJsonObject("PASS").get("REVIEW").getAsLong());
        assertEquals(8, o.getAsJsonObject("confusion").getAsJsonObject("REJECT").get("REJECT").getAsLong());
        assertEquals(11.5, o.getAsJsonObject("latencyMs").get("candidateP95").getAsDouble());
        assertEquals(10, o.getAsJsonArray("activeConfidence").size());
        assertEquals("40 of 500 frames", o.get("unmet").getAsString());
    }

    @Test
    void startStopAndPromoteNeedATokenAndGoThroughTheDeployment() {
        assertEquals(401, call("POST", "/lines/default/promote", null, "{}").status());
        assertEquals(400, call("POST", "/lines/default/shadow", AUTH, "{\"name\":\"m\"}").status());
        Reply started = call("POST", "/lines/default/shadow", AUTH, "{\"name\":\"m\",\"version\":\"2.0.0\"}");
        assertEquals(200, started.status(), started.text());
        assertEquals("shadow", object(started).get("action").getAsString());
        Reply stopped = call("POST", "/lines/default/unshadow", AUTH, null);
        assertEquals(200, stopped.status(), stopped.text());
        assertEquals("STOPPED", object(stopped).get("state").getAsString());
        Reply promoted = call("POST", "/lines/default/promote", AUTH, null);
        assertEquals(200, promoted.status(), promoted.text());
        assertEquals("promoted from shadow", object(promoted).get("reason").getAsString());
        assertEquals(List.of("shadow default m@2.0.0 by web:ops", "unshadow default by web:ops", "promote default by web:ops"),
                deployment.calls);

        deployment.refuse = DeploymentException.Reason.INVALID_STATE;
        assertEquals(409, call("POST", "/lines/default/promote", AUTH, null).status());
        assertEquals(409, call("POST", "/lines/default/unshadow", AUTH, null).status());
    }
}
