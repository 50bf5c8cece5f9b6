package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.Verdict;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

    private static final String LOCAL = "127.0.0.1";

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

    private Reply call(String method, String path, String auth, String remote, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> query = new java.util.HashMap<>();
        int q = path.indexOf('?');
        if (q >= 0) {
            for (String kv : path.substring(q + 1).split("&")) {
                query.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            path = path.substring(0, q);
        }
        return routes.handle(new ApiRequest(method, path, query, auth, remote, bytes.length, () -> new ByteArrayInputStream(bytes)));
    }

    private static JsonObject object(Reply r) {
        return JsonParser.parseString(r.text()).getAsJsonObject();
    }

    @Test
    void linesShowStatusCountersModelAndRecentVerdicts() {
        view.publish(Fakes.event("default", 41, Verdict.REJECT, 0.93f, 20), Fakes.status("default", LineState.RUNNING, 3, 1, 2));
        Reply r = call("GET", "/lines/default", null, LOCAL, null);
        assertEquals(200, r.status(), r.text());
        JsonObject o = object(r);
        assertEquals("RUNNING", o.get("state").getAsString());
        assertEquals(4, o.getAsJsonObject("counters").get("inspected").getAsLong());
        assertEquals(2, o.getAsJsonObject("counters").getAsJsonObject("dropped").get("OVERRUN").getAsLong());
        assertEquals("0.2.0", o.getAsJsonObject("model").get("version").getAsString());
        assertEquals("conveyor", o.getAsJsonObject("camera").get("sourceId").getAsString());
        assertEquals(30.25, o.getAsJsonObject("latencyMs").get("p95").getAsDouble());
        assertEquals("REJECT", o.getAsJsonArray("recent").get(0).getAsJsonObject().get("verdict").getAsString());
        assertEquals("defect", o.getAsJsonObject("last").getAsJsonObject("result").getAsJsonArray("top").get(0)
                .getAsJsonObject().get("label").getAsString());
        JsonArray all = JsonParser.parseString(call("GET", "/lines", null, LOCAL, null).text()).getAsJsonArray();
        assertEquals(1, all.size());
    }

    @Test
    void unknownLinesAndPathsAre404WithAMessage() {
        Reply r = call("GET", "/lines/nope", null, LOCAL, null);
        assertEquals(404, r.status());
        assertTrue(object(r).get("error").getAsString().contains("unknown line 'nope'"), r.text());
        assertEquals(404, call("GET", "/nothing", null, LOCAL, null).status());
        assertEquals(405, call("DELETE", "/lines/default", null, LOCAL, null).status());
    }

    @Test
    void rollbackWithoutOrWithAStaleTokenIsRefusedAndNothingHappens() {
        Reply none = call("POST", "/lines/default/rollback", null, LOCAL, "{}");
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"linesight\"", none.headers().get("WWW-Authenticate"));
        Reply stale = call("POST", "/lines/default/rollback", "Bearer revoked-token", LOCAL, "{}");
        assertEquals(401, stale.status());
        assertTrue(object(stale).get("error").getAsString().contains("enter a valid token again"), stale.text());
        assertEquals(401, call("POST", "/lines/default/reset", null, LOCAL, null).status());
        assertTrue(deployment.calls.isEmpty());
        assertEquals(0, line.resets);
    }

    @Test
    void rollbackActivateAndResetWithATokenGoThroughTheDeployment() {
        String auth = "Bearer " + Fakes.TOKEN;
        Reply rb = call("POST", "/lines/default/rollback", auth, LOCAL, "{\"reason\":\"bad batch\"}");
        assertEquals(200, rb.status(), rb.text());
        assertEquals("rollback", object(rb).get("action").getAsString());
        Reply act = call("POST", "/lines/default/activate", auth, LOCAL, "{\"name\":\"m\",\"version\":\"1.0.0\"}");
        assertEquals(200, act.status(), act.text());
        assertEquals(List.of("rollback default by web:ops: bad batch", "activate default m@1.0.0 by web:ops: from the web dashboard"),
                deployment.calls);
        assertEquals(200, call("POST", "/lines/default/reset", auth, LOCAL, null).status());
        assertEquals(1, line.resets);
    }

    @Test
    void refusalsMapToStatusCodesAndBadBodiesTo400() {
        String auth = "Bearer " + Fakes.TOKEN;
        assertEquals(400, call("POST", "/lines/default/activate", auth, LOCAL, "{\"name\":\"m\"}").status());
        assertEquals(400, call("POST", "/lines/default/activate", auth, LOCAL, "not json").status());
        assertEquals(404, call("POST", "/lines/ghost/rollback", auth, LOCAL, "{}").status());
        deployment.refuse = DeploymentException.Reason.INVALID_STATE;
        Reply r = call("POST", "/lines/default/rollback", auth, LOCAL, "{}");
        assertEquals(409, r.status());
        assertTrue(r.text().contains("refused: INVALID_STATE"), r.text());
        deployment.refuse = DeploymentException.Reason.GATE_FAILED;
        assertEquals(422, call("POST", "/lines/default/activate", auth, LOCAL, "{\"name\":\"m\",\"version\":\"2\"}").status());
        assertEquals(413, call("POST", "/lines/default/rollback", auth, LOCAL, "{\"reason\":\"" + "x".repeat(20_000) + "\"}").status());
    }

    @Test
    void theModelListShowsEachVersionsState() {
        JsonObject m = JsonParser.parseString(call("GET", "/models", null, LOCAL, null).text()).getAsJsonArray().get(0)
                .getAsJsonObject();
        assertEquals("ACTIVE", m.get("state").getAsString());
        assertEquals("default", m.get("stateDetail").getAsString());
    }

    @Test
    void deletingAModelNeedsATokenAndMapsRefusalsLikeAPush() {
        assertEquals(401, call("DELETE", "/models/defect-mobilenetv2/0.2.0", null, LOCAL, null).status());
        assertEquals(401, call("DELETE", "/models/defect-mobilenetv2/0.2.0", "Bearer revoked-token", LOCAL, null).status());
        assertTrue(deployment.calls.isEmpty(), "nothing was removed without a token");
        String auth = "Bearer " + Fakes.TOKEN;
        Reply ok = call("DELETE", "/models/defect-mobilenetv2/0.2.0", auth, LOCAL, null);
        assertEquals(200, ok.status(), ok.text());
        assertEquals("RETIRED", object(ok).getAsJsonObject("removed").get("state").getAsString());
        assertEquals(List.of("remove defect-mobilenetv2@0.2.0 by http:ops"), deployment.calls);
        deployment.refuse = DeploymentException.Reason.INVALID_STATE;
        Reply held = call("DELETE", "/models/defect-mobilenetv2/0.2.0", auth, LOCAL, null);
        assertEquals(409, held.status());
        assertTrue(object(held).get("error").getAsString().contains("active on line 'default'"), held.text());
        deployment.refuse = DeploymentException.Reason.NOT_FOUND;
        assertEquals(404, call("DELETE", "/models/defect-mobilenetv2/9.9.9", auth, LOCAL, null).status());
        assertEquals(405, call("DELETE", "/models/defect-mobilenetv2", auth, LOCAL, null).status());
    }

    @Test
    void readViewsAreOpenOnLoopbackOnlyByDefault() {
        assertEquals(401, call("GET", "/lines", null, "192.168.1.20", null).status());
        assertEquals(200, call("GET", "/lines", "Bearer " + Fakes.TOKEN, "192.168.1.20", null).status());
        assertEquals(200, call("GET", "/lines", null, "0:0:0:0:0:0:0:1", null).status());
    }

    @Test
    void catalogAndHistoryNeedTheDeploymentService() {
        assertEquals("defect-mobilenetv2@0.2.0", JsonParser.parseString(call("GET", "/catalog", null, LOCAL, null).text())
                .getAsJsonArray().get(0).getAsJsonObject().get("id").getAsString());
        JsonArray history = JsonParser.parseString(call("GET", "/lines/default/history", null, LOCAL, null).text()).getAsJsonArray();
        assertEquals("2026-01-01T00:00:00Z", history.get(0).getAsJsonObject().get("time").getAsString());
        view.unbindDeployment(deployment);
        Reply r = call("GET", "/catalog", null, LOCAL, null);
        assertEquals(503, r.status());
        assertTrue(r.text().contains("deployment service is not running"));
        assertEquals(503, call("POST", "/lines/default/rollback", "Bearer " + Fakes.TOKEN, LOCAL, "{}").status());
    }

    @Test
    void eventLimitIsValidated() {
        assertEquals(400, call("GET", "/events?limit=abc", null, LOCAL, null).status());
        assertEquals(400, call("GET", "/events?limit=0", null, LOCAL, null).status());
        assertEquals(503, call("GET", "/events?limit=5", null, LOCAL, null).status()); // no event board bound
    }

    @Test
    void readinessNamesTheLinesThatAreNotRunning() {
        assertEquals(200, HealthServlet.health(view, "/ready", LOCAL, null).status());
        line.status = Fakes.status("default", LineState.FAULT, 0, 0, 0);
        Reply r = HealthServlet.health(view, "", LOCAL, null);
        assertEquals(503, r.status());
        assertTrue(r.text().contains("line default is FAULT: camera lost"), r.text());
        assertEquals(200, HealthServlet.health(view, "/live", "10.0.0.9", null).status());
    }

    @Test
    void pagesAreServedFromTheBundleAndNothingElse() throws ApiException {
        assertTrue(PageServlet.page("/").text().contains("LineSight dashboard"));
        assertTrue(PageServlet.page("/upload").text().contains("upload-form"));
        assertEquals("text/javascript; charset=utf-8", PageServlet.page("/ui/dashboard.js").contentType());
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> PageServlet.page("/ui/../WebConfig.class"));
        assertEquals(404, e.status());
    }

    @Test
    void theQueryStringIsDecodedWithoutTouchingTheBody() {
        assertEquals(Map.of("model", "defect-mobilenetv2@0.2.0", "name", "a b.png", "flag", ""),
                Http.query("model=defect-mobilenetv2%400.2.0&name=a+b.png&flag&name=second"));
        assertEquals(Map.of(), Http.query(null));
    }

    /** Issue 16 item 3: alarms over REST, acknowledged with a token, recorded with who in the journal. */
    @Test
    void alarmsAreListedAndAcknowledgedWithATokenAndJournaled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.linesight.events.EventBoardComponent board = new io.linesight.events.EventBoardComponent(
                new io.linesight.events.EventBoardComponent.Config() {
                    public int recentEvents() { return 100; }
                    public int dispatchQueue() { return 100; }
                    public String alarmJournal() { return dir.resolve("journal.jsonl").toString(); }
                    public int alarmJournalEntries() { return 100; }
                    public Class<? extends java.lang.annotation.Annotation> annotationType() {
                        return io.linesight.events.EventBoardComponent.Config.class;
                    }
                });
        try {
            view.bindEvents(board);
            board.publish(io.linesight.api.event.RuntimeEvent.of(io.linesight.api.event.EventKind.REJECT_MISSED,
                    "line/default", "reject of frame 41 missed: PLC down"));
            com.google.gson.JsonArray listed = JsonParser.parseString(call("GET", "/alarms", null, LOCAL, null).text())
                    .getAsJsonArray();
            assertEquals(1, listed.size());
            JsonObject alarm = listed.get(0).getAsJsonObject();
            long id = alarm.get("id").getAsLong();
            assertEquals("REJECT_MISSED", alarm.get("kind").getAsString());
            assertFalse(alarm.get("acknowledged").getAsBoolean());

            assertEquals(401, call("POST", "/alarms/" + id + "/ack", null, LOCAL, null).status());
            assertEquals(400, call("POST", "/alarms/abc/ack", "Bearer " + Fakes.TOKEN, LOCAL, null).status());
            Reply ack = call("POST", "/alarms/" + id + "/ack", "Bearer " + Fakes.TOKEN, LOCAL, null);
            assertEquals(200, ack.status(), ack.text());
            assertEquals("web:ops", object(ack).get("acknowledgedBy").getAsString());
            assertEquals(404, call("POST", "/alarms/" + id + "/ack", "Bearer " + Fakes.TOKEN, LOCAL, null).status());
            assertEquals(0, JsonParser.parseString(call("GET", "/alarms", null, LOCAL, null).text()).getAsJsonArray().size());

            long until = System.nanoTime() + 5_000_000_000L;
            com.google.gson.JsonArray journal;
            do {
                journal = JsonParser.parseString(call("GET", "/alarms/journal", null, LOCAL, null).text()).getAsJsonArray();
            } while (journal.size() < 2 && System.nanoTime() < until);
            assertEquals("ACKNOWLEDGED", journal.get(1).getAsJsonObject().get("change").getAsString());
            assertEquals("web:ops", journal.get(1).getAsJsonObject().get("who").getAsString());
        } finally {
            board.deactivate();
        }
    }
}
