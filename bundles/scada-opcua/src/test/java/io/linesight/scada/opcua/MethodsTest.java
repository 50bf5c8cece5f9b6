package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.DeploymentException.Reason;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator methods of a line folder, called by a real Milo client over Basic256Sha256
 * SignAndEncrypt in the production profile, as operator and as observer.
 */
class MethodsTest {

    @TempDir
    static Path pki;

    private static OpcUaScadaComponent component;
    private static ScadaClient operator;
    private static ScadaClient observer;
    private static FixedLine line;
    private static final RecordingDeployment DEPLOYMENT = new RecordingDeployment(Map.of(
            "untrusted-pkg", Reason.NOT_TRUSTED, "weak-pkg", Reason.GATE_FAILED, "no-such-pkg", Reason.NOT_FOUND,
            "broken-pkg", Reason.FAILED, "rollback:m-2", Reason.INVALID_STATE, "active-pkg", Reason.INVALID_STATE));

    @BeforeAll
    static void start() throws Exception {
        component = new OpcUaScadaComponent(TestConfigs.production(TestConfigs.freePort(), pki,
                TestConfigs.user("olga", "observer", "olga-pw"), TestConfigs.user("otto", "operator", "otto-pw")));
        String url = component.endpointUrl().orElseThrow();
        ClientCertificate certificate = ClientCertificate.create("urn:linesight:test:scada");
        certificate.trustIn(pki);
        line = new FixedLine("m-1", status("m-1", counters(3, 1, 0), Optional.of(Verdict.PASS)));
        component.bindLine(line, Map.of(InspectionLine.LINE_ID, "m-1"));
        component.publish(TestRecords.event("m-2", 1, Verdict.PASS, Instant.now()),
                status("m-2", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        operator = ScadaClient.login(url, certificate, "otto", "otto-pw");
        observer = ScadaClient.login(url, certificate, "olga", "olga-pw");
        operator.readUntil("Lines/m-1/Counters/Pass", v -> v.getStatusCode().isGood());
        operator.readUntil("Lines/m-2/Counters/Pass", v -> v.getStatusCode().isGood());
    }

    @AfterAll
    static void stop() throws Exception {
        operator.close();
        observer.close();
        component.deactivate();
    }

    @Test
    void operatorResetsTheCountersOfTheRealLine() throws Exception {
        int before = line.resets();

        CallMethodResult result = operator.call("Lines/m-1", "Lines/m-1/ResetCounters");

        assertGood(result);
        assertEquals(before + 1, line.resets());
        assertEquals("counters of line 'm-1' reset by otto", result.getOutputArguments()[0].getValue());
        assertEquals("counters of line 'm-1' reset by otto", operator.read("Lines/m-1/LastCommandResult").getValue().getValue());
    }

    @Test
    void observerIsRefusedAndSeesTheMethodsAsNotExecutable() throws Exception {
        int before = line.resets();

        assertStatus(StatusCodes.Bad_UserAccessDenied, observer.call("Lines/m-1", "Lines/m-1/ResetCounters"));
        assertStatus(StatusCodes.Bad_UserAccessDenied, observer.call("Lines/m-1", "Lines/m-1/ActivateModel",
                new Variant("pkg"), new Variant("1.0")));
        assertStatus(StatusCodes.Bad_UserAccessDenied, observer.call("Lines/m-1", "Lines/m-1/RollbackModel"));

        assertEquals(before, line.resets());
        assertEquals(false, userExecutable(observer, "Lines/m-1/ResetCounters"));
        assertEquals(true, userExecutable(operator, "Lines/m-1/ResetCounters"));
    }

    @Test
    void activateAndRollbackGoToTheDeploymentAsTheOperator() throws Exception {
        component.bindDeployment(DEPLOYMENT);
        try {
            CallMethodResult activated = operator.call("Lines/m-1", "Lines/m-1/ActivateModel",
                    new Variant(" defect-mobilenetv2 "), new Variant("0.3.0"));
            CallMethodResult rolledBack = operator.call("Lines/m-1", "Lines/m-1/RollbackModel");

            assertGood(activated);
            assertEquals("line 'm-1' runs defect-mobilenetv2@0.3.0 (was old@1), activated by otto",
                    activated.getOutputArguments()[0].getValue());
            assertGood(rolledBack);
            assertTrue(DEPLOYMENT.calls.contains("activate m-1 defect-mobilenetv2 0.3.0 opcua:otto"), DEPLOYMENT.calls.toString());
            assertTrue(DEPLOYMENT.calls.contains("rollback m-1 opcua:otto"), DEPLOYMENT.calls.toString());
        } finally {
            component.unbindDeployment(DEPLOYMENT);
        }
    }

    @Test
    void storedModelsShowEachVersionWithItsStateForEveryUser() throws Exception {
        java.time.Instant at = java.time.Instant.parse("2026-12-07T08:00:00Z");
        DEPLOYMENT.stored = List.of(
                new io.linesight.api.deploy.StoredModel("defect", "0.2.0", "aa", "unsigned", at, null)
                        .withState(io.linesight.api.deploy.ModelState.RETIRED, "rollback target of m-1"),
                new io.linesight.api.deploy.StoredModel("defect", "0.3.0", "bb", "acme", at, null)
                        .withState(io.linesight.api.deploy.ModelState.ACTIVE, "m-1"),
                new io.linesight.api.deploy.StoredModel("defect", "0.9.9", "cc", "acme", at, null)
                        .withState(io.linesight.api.deploy.ModelState.REFUSED, "accuracy 91 % BELOW minimum 95 %"));
        assertEquals(0, ((String[]) observer.read("Runtime/StoredModels").getValue().getValue()).length,
                "without the deployment: empty");
        component.bindDeployment(DEPLOYMENT);
        try {
            assertEquals(List.of("defect@0.2.0 RETIRED: rollback target of m-1", "defect@0.3.0 ACTIVE: m-1",
                            "defect@0.9.9 REFUSED: accuracy 91 % BELOW minimum 95 %"),
                    List.of((String[]) observer.read("Runtime/StoredModels").getValue().getValue()));
        } finally {
            component.unbindDeployment(DEPLOYMENT);
            DEPLOYMENT.stored = List.of();
        }
    }

    @Test
    void shadowTrialsStartStopAndPromoteThroughTheDeploymentAsTheOperator() throws Exception {
        assertStatus(StatusCodes.Bad_UserAccessDenied, observer.call("Lines/m-1", "Lines/m-1/ShadowModel",
                new Variant("defect-mobilenetv2"), new Variant("0.3.0")));
        component.bindDeployment(DEPLOYMENT);
        try {
            CallMethodResult started = operator.call("Lines/m-1", "Lines/m-1/ShadowModel",
                    new Variant("defect-mobilenetv2"), new Variant("0.3.0"));
            assertGood(started);
            assertEquals("line 'm-1' tries defect-mobilenetv2@0.3.0 in a shadow trial beside old@1, started by otto",
                    started.getOutputArguments()[0].getValue());
            CallMethodResult promoted = operator.call("Lines/m-1", "Lines/m-1/PromoteModel");
            assertGood(promoted);
            assertEquals("line 'm-1' runs cand@2 (was old@1), promoted from its shadow trial by otto",
                    promoted.getOutputArguments()[0].getValue());
            assertStatus(StatusCodes.Bad_InvalidState, operator.call("Lines/m-1", "Lines/m-1/StopShadow"));
            assertEquals("refused: line m-1 runs no shadow trial",
                    operator.read("Lines/m-1/LastCommandResult").getValue().getValue());
            assertStatus(StatusCodes.Bad_RequestNotAllowed, operator.call("Lines/m-1", "Lines/m-1/ShadowModel",
                    new Variant("weak-pkg"), new Variant("1")));
            assertEquals(List.of("shadow m-1 defect-mobilenetv2 0.3.0 opcua:otto", "promote m-1 opcua:otto",
                    "unshadow m-1 opcua:otto", "shadow m-1 weak-pkg 1 opcua:otto"),
                    DEPLOYMENT.calls.stream().filter(c -> c.matches("(shadow|promote|unshadow) .*")).toList());
        } finally {
            component.unbindDeployment(DEPLOYMENT);
        }
    }

    @Test
    void deploymentRefusalsMapToStatusCodesAndShowInLastCommandResult() throws Exception {
        component.bindDeployment(DEPLOYMENT);
        try {
            assertStatus(StatusCodes.Bad_SecurityChecksFailed, activate("m-1", "untrusted-pkg"));
            assertStatus(StatusCodes.Bad_RequestNotAllowed, activate("m-1", "weak-pkg"));
            assertStatus(StatusCodes.Bad_NotFound, activate("m-1", "no-such-pkg"));
            assertStatus(StatusCodes.Bad_InternalError, activate("m-1", "broken-pkg"));
            assertStatus(StatusCodes.Bad_InvalidState, operator.call("Lines/m-2", "Lines/m-2/RollbackModel"));
            assertEquals("refused: nothing to roll back to on m-2",
                    operator.read("Lines/m-2/LastCommandResult").getValue().getValue());
        } finally {
            component.unbindDeployment(DEPLOYMENT);
        }
    }

    @Test
    void removeModelGoesToTheDeploymentAsTheOperatorAndIsRefusedForObservers() throws Exception {
        component.bindDeployment(DEPLOYMENT);
        try {
            CallMethodResult removed = operator.call("Runtime", "Runtime/RemoveModel", new Variant(" old-pkg "),
                    new Variant("0.1.0"));
            assertGood(removed);
            assertEquals("model old-pkg@0.1.0 (stored) removed by otto", removed.getOutputArguments()[0].getValue());
            assertTrue(DEPLOYMENT.calls.contains("remove old-pkg 0.1.0 opcua:otto"), DEPLOYMENT.calls.toString());
            assertStatus(StatusCodes.Bad_InvalidState, operator.call("Runtime", "Runtime/RemoveModel",
                    new Variant("active-pkg"), new Variant("1.0.0")));
            assertStatus(StatusCodes.Bad_NotFound, operator.call("Runtime", "Runtime/RemoveModel",
                    new Variant("no-such-pkg"), new Variant("1.0.0")));
            assertStatus(StatusCodes.Bad_InvalidArgument, operator.call("Runtime", "Runtime/RemoveModel",
                    new Variant(" "), new Variant("1.0.0")));
            int calls = DEPLOYMENT.calls.size();
            assertStatus(StatusCodes.Bad_UserAccessDenied, observer.call("Runtime", "Runtime/RemoveModel",
                    new Variant("old-pkg"), new Variant("0.1.0")));
            assertEquals(calls, DEPLOYMENT.calls.size(), "an observer's call never reaches the deployment");
        } finally {
            component.unbindDeployment(DEPLOYMENT);
        }
    }

    @Test
    void withoutDeploymentServiceTheModelMethodsAreUnavailable() throws Exception {
        assertStatus(StatusCodes.Bad_ResourceUnavailable, activate("m-1", "pkg"));
        assertStatus(StatusCodes.Bad_ResourceUnavailable, operator.call("Lines/m-1", "Lines/m-1/RollbackModel"));
    }

    @Test
    void aLineWithoutServiceCannotResetItsCounters() throws Exception {
        assertStatus(StatusCodes.Bad_NotFound, operator.call("Lines/m-2", "Lines/m-2/ResetCounters"));
    }

    @Test
    void badArgumentsAreRefusedWithTheirStatusCodes() throws Exception {
        assertStatus(StatusCodes.Bad_ArgumentsMissing, operator.call("Lines/m-1", "Lines/m-1/ActivateModel", new Variant("pkg")));
        assertStatus(StatusCodes.Bad_TooManyArguments, operator.call("Lines/m-1", "Lines/m-1/ResetCounters", new Variant("x")));

        CallMethodResult wrongType = operator.call("Lines/m-1", "Lines/m-1/ActivateModel", new Variant(42), new Variant("1.0"));
        assertStatus(StatusCodes.Bad_InvalidArgument, wrongType);
        assertEquals(new StatusCode(StatusCodes.Bad_TypeMismatch), wrongType.getInputArgumentResults()[0]);
        assertEquals(StatusCode.GOOD, wrongType.getInputArgumentResults()[1]);

        for (Variant bad : List.of(new Variant(""), new Variant("   "), Variant.NULL_VALUE, new Variant("a\nb"),
                new Variant("x".repeat(LineMethod.MAX_TEXT + 1)))) {
            CallMethodResult refused = operator.call("Lines/m-1", "Lines/m-1/ActivateModel", new Variant("pkg"), bad);
            assertStatus(StatusCodes.Bad_InvalidArgument, refused);
            assertEquals(new StatusCode(StatusCodes.Bad_InvalidArgument), refused.getInputArgumentResults()[1], bad.toString());
        }
    }

    @Test
    void unknownLineOrMethodIsRefusedWithoutReachingAnyLine() throws Exception {
        int before = line.resets();

        StatusCode unknownLine = operator.call("Lines/nope", "Lines/nope/ResetCounters").getStatusCode();
        StatusCode wrongObject = operator.call("Lines/m-2", "Lines/m-1/ResetCounters").getStatusCode();

        assertTrue(unknownLine.isBad(), unknownLine.toString());
        assertTrue(wrongObject.isBad(), wrongObject.toString());
        assertEquals(before, line.resets());
    }

    private static CallMethodResult activate(String lineId, String name) throws Exception {
        return operator.call("Lines/" + lineId, "Lines/" + lineId + "/ActivateModel", new Variant(name), new Variant("1.0"));
    }

    private static Object userExecutable(ScadaClient client, String path) throws Exception {
        List<DataValue> values = ScadaClient.get(client.client().read(0, TimestampsToReturn.Neither,
                List.of(client.node(path)), List.of(AttributeId.UserExecutable.uid())));
        return values.get(0).getValue().getValue();
    }

    private static void assertGood(CallMethodResult result) {
        assertTrue(result.getStatusCode().isGood(), result.toString());
    }

    /** Issue 16 item 3: an operator acknowledges an alarm over OPC UA; observers cannot; the journal says who. */
    @Test
    void operatorAcknowledgesAnAlarmAndTheJournalSaysWho() throws Exception {
        io.linesight.events.EventBoardComponent board = new io.linesight.events.EventBoardComponent(
                new io.linesight.events.EventBoardComponent.Config() {
                    public int recentEvents() { return 100; }
                    public int dispatchQueue() { return 100; }
                    public String alarmJournal() { return pki.resolve("alarms.jsonl").toString(); }
                    public int alarmJournalEntries() { return 100; }
                    public Class<? extends java.lang.annotation.Annotation> annotationType() {
                        return io.linesight.events.EventBoardComponent.Config.class;
                    }
                });
        component.bindEventBoard(board);
        try {
            board.publish(io.linesight.api.event.RuntimeEvent.of(io.linesight.api.event.EventKind.REJECT_MISSED,
                    "line/m-1", "reject of frame 9 missed: PLC down"));
            long id = board.alarms().get(0).id();
            String[] listed = (String[]) operator.read("Runtime/ActiveAlarms").getValue().getValue();
            assertEquals(1, listed.length);
            assertTrue(listed[0].startsWith("#" + id + " ") && listed[0].contains("REJECT_MISSED line/m-1 (900) CLEARED,"
                    + " unacknowledged: reject of frame 9 missed"), listed[0]);
            assertEquals("ALARM", operator.read("Runtime/Health").getValue().getValue(), "unacknowledged: not OK");
            assertEquals(1, operator.read("Runtime/UnacknowledgedAlarmCount").getValue().getValue());

            assertStatus(StatusCodes.Bad_UserAccessDenied, observer.call("Runtime", "Runtime/AcknowledgeAlarm",
                    new Variant(id)));
            assertStatus(StatusCodes.Bad_NotFound, operator.call("Runtime", "Runtime/AcknowledgeAlarm", new Variant(id + 99)));
            CallMethodResult acknowledged = operator.call("Runtime", "Runtime/AcknowledgeAlarm", new Variant(id));
            assertGood(acknowledged);
            assertTrue(acknowledged.getOutputArguments()[0].getValue().toString().contains("acknowledged by opcua:otto"));
            assertEquals(0, ((String[]) operator.read("Runtime/ActiveAlarms").getValue().getValue()).length);
            assertEquals("OK", operator.read("Runtime/Health").getValue().getValue());
            long until = System.nanoTime() + 5_000_000_000L;
            while (board.journal(10).size() < 2 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals("opcua:otto", board.journal(10).get(1).who());
        } finally {
            component.unbindEventBoard(board);
            board.deactivate();
        }
    }

    private static void assertStatus(long expected, CallMethodResult result) {
        assertEquals(new StatusCode(expected), result.getStatusCode(), result.toString());
    }
}
