package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.event;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The address space as SCADA sees it: a real Milo client against the real server on a free loopback
 * port. One server for the class (starting Milo costs about a second); every test uses its own line ids.
 */
class AddressSpaceTest {

    @TempDir
    static Path pki;

    private static OpcUaScadaComponent component;
    private static ScadaClient scada;

    @BeforeAll
    static void start() throws Exception {
        component = new OpcUaScadaComponent(TestConfigs.loopback(TestConfigs.freePort(), pki));
        scada = ScadaClient.connect(component.endpointUrl().orElseThrow());
    }

    @AfterAll
    static void stop() throws Exception {
        scada.close();
        component.deactivate();
    }

    @Test
    void publishedLineIsBrowsableAndReadable() throws Exception {
        Instant capture = Instant.parse("2026-11-22T08:15:30.123456700Z");
        component.publish(event("read-1", 7, Verdict.REJECT, capture), status("read-1", counters(5, 2, 1), Optional.of(Verdict.REJECT)));

        scada.readUntil("Lines/read-1/Counters/Reject", v -> Long.valueOf(2).equals(v.getValue().getValue()));

        assertTrue(scada.childNames(Identifiers.ObjectsFolder).contains("LineSight"));
        assertEquals(List.of("Runtime", "Lines", "Outputs"), scada.childNames(scada.node(NodePaths.ROOT)));
        assertEquals(List.of("Version", "UptimeSeconds", "LineCount", "ActiveAlarms", "ActiveAlarmCount",
                "UnacknowledgedAlarmCount", "StoredModels", "Health", "HealthCode"), scada.childNames(scada.node("Runtime")));
        assertTrue(scada.childNames(scada.node("Lines")).contains("read-1"));
        assertEquals(List.of("State", "StateCode", "StateDetail", "LastVerdict", "LastVerdictCode", "LastClass",
                        "LastConfidence", "LastInspectionTime", "LastFrameSequence", "LastObjectCount", "LastObjectClasses",
                        "LastObjectCounts", "Counters", "FrameRate", "LatencyP50Ms", "LatencyP95Ms",
                        "Model", "Camera", "Drift", "LastCommandResult", "Output"),
                scada.childNames(scada.node("Lines/read-1")));
        assertEquals(List.of("Total", "Pass", "Reject", "Review", "Dropped", "DroppedOverrun", "DroppedNoModel",
                "DroppedInferenceError", "DroppedShutdown", "RejectsMissed"), scada.childNames(scada.node("Lines/read-1/Counters")));
        assertEquals(List.of("Name", "Version", "Sha256"), scada.childNames(scada.node("Lines/read-1/Model")));
        assertEquals(List.of("SourceId", "State", "Connected"), scada.childNames(scada.node("Lines/read-1/Camera")));
        assertEquals(List.of("Ids", "Connected", "LastHeartbeat"), scada.childNames(scada.node("Lines/read-1/Output")));
        assertValue("Lines/read-1/LastFrameSequence", 7L);
        assertValue("Lines/read-1/LastObjectCount", 0);
        assertValue("Lines/read-1/Camera/Connected", true);
        assertValue("Lines/read-1/Counters/DroppedOverrun", 0L);

        assertValue("Lines/read-1/State", "RUNNING");
        assertValue("Lines/read-1/StateCode", 1);
        assertValue("Lines/read-1/StateDetail", "");
        assertValue("Lines/read-1/LastVerdict", "REJECT");
        assertValue("Lines/read-1/LastVerdictCode", 2);
        assertValue("Lines/read-1/LastClass", "defect");
        assertValue("Lines/read-1/LastConfidence", 0.93f);
        assertValue("Lines/read-1/Counters/Total", 8L);
        assertValue("Lines/read-1/Counters/Pass", 5L);
        assertValue("Lines/read-1/Counters/Review", 1L);
        assertValue("Lines/read-1/Counters/Dropped", 0L);
        assertValue("Lines/read-1/FrameRate", 12.5);
        assertValue("Lines/read-1/LatencyP50Ms", 8.25);
        assertValue("Lines/read-1/LatencyP95Ms", 19.75);
        assertValue("Lines/read-1/Model/Name", "defect-mobilenetv2");
        assertValue("Lines/read-1/Model/Version", "1.0.0");
        assertValue("Lines/read-1/Model/Sha256", TestRecords.MODEL.sha256());
        assertValue("Lines/read-1/Camera/SourceId", "cam-1");
        assertValue("Lines/read-1/Camera/State", "STREAMING");
        assertValue("Runtime/LineCount", scada.childNames(scada.node("Lines")).size());
        assertNotNull(scada.read("Runtime/Version").getValue().getValue());
        assertTrue((Long) scada.read("Runtime/UptimeSeconds").getValue().getValue() >= 0);
    }

    @Test
    void lastInspectionTimeCarriesTheCaptureTimeAsSourceTimestamp() throws Exception {
        Instant capture = Instant.parse("2026-11-22T08:15:30.123456700Z");
        component.publish(event("time-1", 1, Verdict.PASS, capture), status("time-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));

        DataValue time = scada.readUntil("Lines/time-1/LastInspectionTime", v -> v.getStatusCode().isGood());

        assertEquals(capture, time.getSourceTime().getJavaInstant());
        assertEquals(capture, ((DateTime) time.getValue().getValue()).getJavaInstant());
        assertEquals(capture, scada.read("Lines/time-1/LastVerdict").getSourceTime().getJavaInstant());
        assertNotNull(time.getServerTime());
    }

    @Test
    void subscriptionSeesThePassCounterChange() throws Exception {
        component.publish(event("sub-1", 1, Verdict.PASS, Instant.now()), status("sub-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        scada.readUntil("Lines/sub-1/Counters/Pass", v -> v.getStatusCode().isGood());
        BlockingQueue<DataValue> passes = scada.subscribe("Lines/sub-1/Counters/Pass");
        assertTrue(ScadaClient.next(passes, v -> Long.valueOf(1).equals(v.getValue().getValue())).isPresent());

        for (long pass = 2; pass <= 4; pass++) {
            component.publish(event("sub-1", pass, Verdict.PASS, Instant.now()),
                    status("sub-1", counters(pass, 0, 0), Optional.of(Verdict.PASS)));
            long expected = pass;
            assertTrue(ScadaClient.next(passes, v -> Long.valueOf(expected).equals(v.getValue().getValue())).isPresent(),
                    "notification for Pass = " + expected);
        }
    }

    @Test
    void statusChangeWithoutInspectionUpdatesStateAndCamera() throws Exception {
        component.publish(event("fault-1", 1, Verdict.PASS, Instant.now()), status("fault-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        component.lineStatusChanged(new LineStatus("fault-1", LineState.FAULT, "camera lost: check the cable", "cam-1",
                SourceState.LOST, Optional.empty(), counters(1, 0, 0), 0, 0, 0, Optional.of(Verdict.PASS), Instant.now()));

        scada.readUntil("Lines/fault-1/StateCode", v -> Integer.valueOf(2).equals(v.getValue().getValue()));
        assertValue("Lines/fault-1/State", "FAULT");
        assertValue("Lines/fault-1/StateDetail", "camera lost: check the cable");
        assertValue("Lines/fault-1/Camera/State", "LOST");
        assertValue("Lines/fault-1/Model/Name", "");
        assertValue("Lines/fault-1/LastVerdict", "PASS");
    }

    @Test
    void lineServiceBringsAndTakesItsFolder() throws Exception {
        InspectionLine line = new FixedLine("svc-2", status("svc-2", counters(10, 3, 0), Optional.of(Verdict.PASS)));
        Map<String, Object> properties = Map.of(InspectionLine.LINE_ID, "svc-2");

        component.bindLine(line, properties);
        scada.readUntil("Lines/svc-2/Counters/Pass", v -> Long.valueOf(10).equals(v.getValue().getValue()));
        assertValue("Lines/svc-2/LastVerdict", "PASS");
        assertEquals(StatusCodes.Bad_WaitingForInitialData, scada.read("Lines/svc-2/LastInspectionTime").getStatusCode().getValue());
        int linesWithIt = scada.childNames(scada.node("Lines")).size();

        component.unbindLine(line, properties);

        for (String path : List.of("Lines/svc-2", "Lines/svc-2/State", "Lines/svc-2/Counters/Pass", "Lines/svc-2/Model/Name")) {
            scada.readUntil(path, v -> v.getStatusCode().getValue() == StatusCodes.Bad_NodeIdUnknown);
        }
        assertFalse(scada.childNames(scada.node("Lines")).contains("svc-2"));
        assertValue("Runtime/LineCount", linesWithIt - 1);
    }

    @Test
    void lineRemovedBySinkCallRemovesTheNodes() throws Exception {
        component.publish(event("keep-1", 1, Verdict.PASS, Instant.now()), status("keep-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        component.publish(event("rm/3", 1, Verdict.REVIEW, Instant.now()), status("rm/3", counters(0, 0, 1), Optional.of(Verdict.REVIEW)));
        scada.readUntil("Lines/rm%2F3/LastVerdict", v -> "REVIEW".equals(v.getValue().getValue()));
        scada.readUntil("Lines/keep-1/LastVerdict", v -> "PASS".equals(v.getValue().getValue()));
        assertTrue(scada.childNames(scada.node("Lines")).contains("rm/3"));
        int linesWithIt = scada.childNames(scada.node("Lines")).size();

        component.lineRemoved("rm/3");

        scada.readUntil("Lines/rm%2F3/Counters/Review", v -> v.getStatusCode().getValue() == StatusCodes.Bad_NodeIdUnknown);
        List<String> lines = scada.childNames(scada.node("Lines"));
        assertFalse(lines.contains("rm/3"));
        assertTrue(lines.contains("keep-1"));
        assertValue("Runtime/LineCount", linesWithIt - 1);
        assertValue("Lines/keep-1/Counters/Pass", 1L);
    }

    private static void assertValue(String path, Object expected) throws Exception {
        DataValue value = scada.read(path);
        assertTrue(value.getStatusCode().isGood(), path + ": " + value.getStatusCode());
        assertEquals(expected, value.getValue().getValue(), path);
    }
}
