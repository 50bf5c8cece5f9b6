package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.MissedReject;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime events as a SCADA alarm panel sees them: a real Milo client subscribed to the Server object's
 * events with an EventFilter, and the readable alarm list from the event board.
 */
class EventsTest {

    @TempDir
    static Path pki;

    private static OpcUaScadaComponent component;
    private static ScadaClient scada;
    private static BlockingQueue<Variant[]> events;

    @BeforeAll
    static void start() throws Exception {
        component = new OpcUaScadaComponent(TestConfigs.loopback(TestConfigs.freePort(), pki));
        scada = ScadaClient.connect(component.endpointUrl().orElseThrow());
        events = subscribeToEvents(Identifiers.Server);
    }

    @AfterAll
    static void stop() throws Exception {
        scada.close();
        component.deactivate();
    }

    @Test
    void aRuntimeEventArrivesAsAnOpcUaEventWithItsFields() throws Exception {
        component.publish(TestRecords.event("ev-1", 1, Verdict.PASS, Instant.now()),
                status("ev-1", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        scada.readUntil("Lines/ev-1/State", v -> v.getStatusCode().isGood());
        Instant when = Instant.parse("2026-11-22T09:00:00.250Z");

        component.onEvent(new RuntimeEvent(41, when, EventKind.CAMERA_LOST, "line/ev-1",
                "camera cam-1 delivers no frames: check its cable"));

        Variant[] fields = next(f -> "line/ev-1".equals(f[2].getValue()));
        assertTrue(((ByteString) fields[0].getValue()).length() > 0, "EventId");
        assertEquals(scada.node(NodePaths.EVENT_TYPE), fields[1].getValue());
        assertEquals(when, ((DateTime) fields[3].getValue()).getJavaInstant());
        assertEquals("camera cam-1 delivers no frames: check its cable", ((LocalizedText) fields[4].getValue()).getText());
        assertEquals(ushort(700), fields[5].getValue());
        assertEquals(scada.node("Lines/ev-1"), fields[6].getValue());
        assertEquals("CAMERA_LOST", fields[7].getValue());
        assertEquals(41L, fields[8].getValue());
        assertEquals(true, fields[9].getValue());
        assertEquals("CAMERA_LOST@line/ev-1", fields[10].getValue());
    }

    /** Issue 16 item 5: a missed reject is an OPC UA event and counts in the line's Counters/RejectsMissed. */
    @Test
    void aMissedRejectIsAnEventAndCountsInItsLinesRejectsMissed() throws Exception {
        component.publish(TestRecords.event("miss-1", 1, Verdict.REJECT, Instant.now()),
                status("miss-1", counters(0, 1, 0), Optional.of(Verdict.REJECT)));
        assertEquals(0L, scada.readUntil("Lines/miss-1/Counters/RejectsMissed", v -> v.getStatusCode().isGood())
                .getValue().getValue(), "a line's folder starts at 0, not Bad_WaitingForInitialData");
        MissedReject first = new MissedReject("miss-1", 17, "plc-1", "PLC_DISCONNECTED");
        component.onEvent(first.event("the PLC at 10.0.0.5:502 is unreachable; take the part out by hand").withSequence(51));
        component.onEvent(new MissedReject("miss-1", 18, "plc-1", "LATE_VERDICT").event("verdict 612 ms after capture")
                .withSequence(52));
        component.onEvent(new MissedReject("miss-2", 3, "plc-1", "QUEUE_FULL").event("before its line's folder")
                .withSequence(53));

        Variant[] fields = next(f -> "line/miss-1".equals(f[2].getValue()) && Long.valueOf(51).equals(f[8].getValue()));
        assertEquals("REJECT_MISSED", fields[7].getValue());
        assertEquals(ushort(900), fields[5].getValue());
        assertEquals(scada.node("Lines/miss-1"), fields[6].getValue());
        assertEquals(2L, scada.readUntil("Lines/miss-1/Counters/RejectsMissed", v -> Long.valueOf(2).equals(v.getValue()
                .getValue())).getValue().getValue());
        assertEquals(1L, scada.read("Lines/miss-1/Counters/Reject").getValue().getValue(), "verdicts are counted apart");

        component.publish(TestRecords.event("miss-2", 1, Verdict.REJECT, Instant.now()),
                status("miss-2", counters(0, 1, 0), Optional.of(Verdict.REJECT)));
        assertEquals(1L, scada.readUntil("Lines/miss-2/Counters/RejectsMissed", v -> v.getStatusCode().isGood())
                .getValue().getValue(), "a miss reported before the line's folder existed is shown when it appears");
    }

    @Test
    void clearingAndOneShotEventsAreNotActiveAndComeFromTheServerWhenTheSourceIsNotShown() throws Exception {
        component.onEvent(new RuntimeEvent(42, Instant.now(), EventKind.PLC_RESTORED, "output/plc-9", "PLC back"));
        component.onEvent(new RuntimeEvent(43, Instant.now(), EventKind.MODEL_ACTIVATED, "model/defect", "activated"));

        Variant[] restored = next(f -> "output/plc-9".equals(f[2].getValue()));
        Variant[] activated = next(f -> "model/defect".equals(f[2].getValue()));
        assertEquals(false, restored[9].getValue());
        assertEquals("PLC_LOST@output/plc-9", restored[10].getValue());
        assertEquals(Identifiers.Server, restored[6].getValue());
        assertEquals("MODEL_ACTIVATED", activated[7].getValue());
        assertEquals("NO_MODEL@model/defect", activated[10].getValue(), "an activation also clears a NO_MODEL condition");
        assertEquals(ushort(300), activated[5].getValue());
    }

    @Test
    void aLineFolderDeliversItsOwnEventsAndTheLineSightFolderAll() throws Exception {
        component.publish(TestRecords.event("ev-2", 1, Verdict.PASS, Instant.now()),
                status("ev-2", counters(1, 0, 0), Optional.of(Verdict.PASS)));
        scada.readUntil("Lines/ev-2/State", v -> v.getStatusCode().isGood());
        BlockingQueue<Variant[]> line = subscribeToEvents(scada.node("Lines/ev-2"));
        BlockingQueue<Variant[]> all = subscribeToEvents(scada.node(NodePaths.ROOT));

        component.onEvent(new RuntimeEvent(50, Instant.now(), EventKind.MODEL_REFUSED, "model/other", "refused"));
        component.onEvent(new RuntimeEvent(51, Instant.now(), EventKind.INFERENCE_ERROR, "line/ev-2", "model failed"));

        assertEquals("INFERENCE_ERROR", next(line, f -> true)[7].getValue(), "the line's first event is its own");
        assertEquals("model/other", next(all, f -> true)[2].getValue());
        assertEquals("line/ev-2", next(all, f -> true)[2].getValue());
    }

    @Test
    void activeAlarmsAndHealthFollowTheEventBoardAndTheLines() throws Exception {
        AtomicReference<List<RuntimeEvent>> active = new AtomicReference<>(List.of());
        EventBoard board = new EventBoard() {
            @Override
            public RuntimeEvent publish(RuntimeEvent event) {
                return event;
            }

            @Override
            public List<RuntimeEvent> activeAlarms() {
                return active.get();
            }

            @Override
            public List<RuntimeEvent> recent(int limit) {
                return List.of();
            }

            @Override
            public List<io.linesight.api.event.Alarm> alarms() {
                return active.get().stream().map(e -> new io.linesight.api.event.Alarm(e.sequence(), e.kind(), e.source(),
                        e.message(), e.time(), 1, null, null, null)).toList();
            }

            @Override
            public java.util.Optional<io.linesight.api.event.Alarm> acknowledge(long alarmId, String who) {
                return java.util.Optional.empty();
            }

            @Override
            public List<io.linesight.api.event.AlarmTransition> journal(int limit) {
                return List.of();
            }
        };
        assertArrayEquals(new String[0], (String[]) scada.read("Runtime/ActiveAlarms").getValue().getValue());

        component.bindEventBoard(board);
        active.set(List.of(new RuntimeEvent(7, Instant.parse("2026-11-22T09:00:00Z"), EventKind.PLC_LOST, "output/plc-1",
                "PLC unreachable")));

        assertArrayEquals(new String[] {"#7 2026-11-22T09:00:00Z PLC_LOST output/plc-1 (800) ACTIVE, unacknowledged: PLC unreachable"},
                (String[]) scada.read("Runtime/ActiveAlarms").getValue().getValue());
        assertEquals(1, scada.read("Runtime/ActiveAlarmCount").getValue().getValue());
        assertEquals("ALARM", scada.read("Runtime/Health").getValue().getValue());

        component.lineStatusChanged(new LineStatus("health-1", LineState.FAULT, "camera lost", "cam-1", null,
                Optional.empty(), counters(0, 0, 0), 0, 0, 0, Optional.empty(), Instant.now()));
        scada.readUntil("Runtime/HealthCode", v -> Integer.valueOf(2).equals(v.getValue().getValue()));
        assertEquals("FAULT", scada.read("Runtime/Health").getValue().getValue());
        component.lineRemoved("health-1");

        component.unbindEventBoard(board);
        scada.readUntil("Runtime/HealthCode", v -> Integer.valueOf(0).equals(v.getValue().getValue()));
        assertEquals(0, scada.read("Runtime/ActiveAlarmCount").getValue().getValue());
    }

    /** EventId, EventType, SourceName, Time, Message, Severity, SourceNode, then ns:Kind, Sequence, Active, ConditionKey. */
    private static BlockingQueue<Variant[]> subscribeToEvents(NodeId notifier) throws Exception {
        NodeId type = scada.node(NodePaths.EVENT_TYPE);
        int ns = scada.namespaceIndex();
        SimpleAttributeOperand[] select = {
            field(Identifiers.BaseEventType, 0, "EventId"), field(Identifiers.BaseEventType, 0, "EventType"),
            field(Identifiers.BaseEventType, 0, "SourceName"), field(Identifiers.BaseEventType, 0, "Time"),
            field(Identifiers.BaseEventType, 0, "Message"), field(Identifiers.BaseEventType, 0, "Severity"),
            field(Identifiers.BaseEventType, 0, "SourceNode"),
            field(type, ns, "Kind"), field(type, ns, "Sequence"), field(type, ns, "Active"), field(type, ns, "ConditionKey"),
        };
        EventFilter filter = new EventFilter(select, new ContentFilter(null));
        BlockingQueue<Variant[]> received = new LinkedBlockingQueue<>();
        UaSubscription subscription = ScadaClient.get(scada.client().getSubscriptionManager().createSubscription(100.0));
        MonitoredItemCreateRequest request = new MonitoredItemCreateRequest(
                new ReadValueId(notifier, AttributeId.EventNotifier.uid(), null, QualifiedName.NULL_VALUE),
                MonitoringMode.Reporting,
                new MonitoringParameters(uint(1), 0.0,
                        ExtensionObject.encode(scada.client().getStaticSerializationContext(), filter), uint(100), true));
        List<UaMonitoredItem> items = ScadaClient.get(subscription.createMonitoredItems(TimestampsToReturn.Both,
                List.of(request), (item, index) -> item.setEventConsumer((monitored, values) -> received.add(values))));
        assertTrue(items.get(0).getStatusCode().isGood(), items.get(0).getStatusCode().toString());
        return received;
    }

    private static SimpleAttributeOperand field(NodeId type, int namespace, String name) {
        return new SimpleAttributeOperand(type, new QualifiedName[] {new QualifiedName(namespace, name)},
                AttributeId.Value.uid(), null);
    }

    private static Variant[] next(java.util.function.Predicate<Variant[]> wanted) throws InterruptedException {
        return next(events, wanted);
    }

    private static Variant[] next(BlockingQueue<Variant[]> events, java.util.function.Predicate<Variant[]> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + ScadaClient.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Variant[] fields = events.poll(100, TimeUnit.MILLISECONDS);
            if (fields != null && wanted.test(fields)) {
                return fields;
            }
        }
        throw new AssertionError("no such event within " + ScadaClient.TIMEOUT);
    }
}
