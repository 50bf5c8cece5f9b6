package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Outputs subtree as SCADA sees it: a real Milo client reads what a {@link MonitoredOutput} service
 * reports, live, and the folder follows the service.
 */
class OutputNodesTest {

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
    void outputFolderShowsTheLiveStatusAndGoesWithTheService() throws Exception {
        AtomicReference<OutputStatus> now = new AtomicReference<>(status("plc-1", OutputState.DISCONNECTED,
                "PLC unreachable for 1.0 s: Connection refused", Optional.empty(), 0));
        MonitoredOutput output = now::get;

        component.bindOutput(output);
        scada.readUntil("Outputs/plc-1/State", v -> v.getStatusCode().isGood());

        assertTrue(scada.childNames(scada.node("Outputs")).contains("plc-1"));
        assertEquals(List.of("Kind", "Target", "Lines", "State", "Connected", "Detail", "LastHeartbeat", "Counters"),
                scada.childNames(scada.node("Outputs/plc-1")));
        assertEquals(List.of("pulsesSent", "rejectsMissed"), scada.childNames(scada.node("Outputs/plc-1/Counters")));
        assertValue("Outputs/plc-1/Kind", "plc");
        assertValue("Outputs/plc-1/Target", "127.0.0.1:1502");
        assertValue("Outputs/plc-1/Lines", "");
        assertValue("Outputs/plc-1/Connected", false);
        assertValue("Outputs/plc-1/Detail", "PLC unreachable for 1.0 s: Connection refused");
        assertEquals(StatusCodes.Bad_WaitingForInitialData,
                scada.read("Outputs/plc-1/LastHeartbeat").getStatusCode().getValue());

        Instant beat = Instant.parse("2026-11-22T08:29:59.600Z");
        now.set(status("plc-1", OutputState.CONNECTED, "", Optional.of(beat), 3));

        assertValue("Outputs/plc-1/State", "CONNECTED");
        assertValue("Outputs/plc-1/Connected", true);
        assertValue("Outputs/plc-1/Counters/rejectsMissed", 3L);
        DataValue heartbeat = scada.read("Outputs/plc-1/LastHeartbeat");
        assertEquals(beat, ((DateTime) heartbeat.getValue().getValue()).getJavaInstant());

        component.unbindOutput(output);
        scada.readUntil("Outputs/plc-1/Connected", v -> v.getStatusCode().getValue() == StatusCodes.Bad_NodeIdUnknown);
        assertFalse(scada.childNames(scada.node("Outputs")).contains("plc-1"));
    }

    @Test
    void aLineShowsTheOutputsThatServeIt() throws Exception {
        Instant older = Instant.parse("2026-11-22T08:00:00Z");
        Instant newer = Instant.parse("2026-11-22T08:00:05Z");
        AtomicReference<OutputState> state = new AtomicReference<>(OutputState.CONNECTED);
        MonitoredOutput forAll = () -> status("all-lines", state.get(), "", Optional.of(newer), 0);
        MonitoredOutput forOther = () -> new OutputStatus("other", "plc", "10.0.0.9:502", List.of("other-line"),
                OutputState.DISCONNECTED, "down", Optional.empty(), Map.of(), Instant.now());
        MonitoredOutput forThis = () -> new OutputStatus("this", "plc", "10.0.0.8:502", List.of("served-1"),
                OutputState.CONNECTED, "", Optional.of(older), Map.of(), Instant.now());
        component.publish(TestRecords.event("served-1", 1, io.linesight.api.inspection.Verdict.PASS, Instant.now()),
                TestRecords.status("served-1", TestRecords.counters(1, 0, 0), Optional.empty()));
        scada.readUntil("Lines/served-1/Output/Ids", v -> v.getStatusCode().isGood());
        assertValue("Lines/served-1/Output/Connected", false);

        component.bindOutput(forAll);
        component.bindOutput(forOther);
        component.bindOutput(forThis);
        scada.readUntil("Lines/served-1/Output/Ids", v -> "all-lines,this".equals(sorted(v)));

        assertValue("Lines/served-1/Output/Connected", true);
        assertEquals(older, ((DateTime) scada.read("Lines/served-1/Output/LastHeartbeat").getValue().getValue()).getJavaInstant());
        state.set(OutputState.DISCONNECTED);
        assertValue("Lines/served-1/Output/Connected", false);
        component.unbindOutput(forAll);
        component.unbindOutput(forOther);
        component.unbindOutput(forThis);
    }

    private static String sorted(DataValue ids) {
        Object value = ids.getValue().getValue();
        return value == null ? "" : String.join(",", java.util.Arrays.stream(((String) value).split(",")).sorted().toList());
    }

    @Test
    void aSecondOutputWithTheSameIdIsNotShownOverTheFirst() throws Exception {
        MonitoredOutput first = () -> status("dup", OutputState.CONNECTED, "", Optional.empty(), 1);
        MonitoredOutput second = () -> status("dup", OutputState.DISCONNECTED, "other", Optional.empty(), 9);

        component.bindOutput(first);
        component.bindOutput(second);
        scada.readUntil("Outputs/dup/Counters/rejectsMissed", v -> v.getStatusCode().isGood());
        Thread.sleep(200); // the second bind has been handled by the same updater thread by now

        assertValue("Outputs/dup/Counters/rejectsMissed", 1L);
        component.unbindOutput(second);
        component.unbindOutput(first);
        scada.readUntil("Outputs/dup", v -> v.getStatusCode().getValue() == StatusCodes.Bad_NodeIdUnknown);
    }

    @Test
    void anOutputWhoseStatusFailsReadsBadInternalError() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        MonitoredOutput output = () -> {
            if (broken.get()) {
                throw new IllegalStateException("boom");
            }
            return status("flaky", OutputState.CONNECTED, "", Optional.empty(), 0);
        };
        component.bindOutput(output);
        scada.readUntil("Outputs/flaky/State", v -> v.getStatusCode().isGood());

        broken.set(true);

        assertEquals(StatusCodes.Bad_InternalError, scada.read("Outputs/flaky/State").getStatusCode().getValue());
        component.unbindOutput(output);
    }

    private static OutputStatus status(String id, OutputState state, String detail, Optional<Instant> heartbeat,
                                       long missed) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("pulsesSent", 0L);
        counters.put("rejectsMissed", missed);
        return new OutputStatus(id, "plc", "127.0.0.1:1502", List.of(), state, detail, heartbeat, counters,
                Instant.now());
    }

    private static void assertValue(String path, Object expected) throws Exception {
        DataValue value = scada.read(path);
        assertTrue(value.getStatusCode().isGood(), path + ": " + value.getStatusCode());
        assertEquals(expected, value.getValue().getValue(), path);
    }
}
