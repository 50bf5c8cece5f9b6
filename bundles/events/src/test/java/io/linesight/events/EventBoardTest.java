package io.linesight.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.AlarmTransition;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventBoardTest {

    @TempDir
    static Path data;

    private static EventBoardComponent.Config config(int recent, int queue) {
        return config(recent, queue, data.resolve("journal-" + System.nanoTime() + ".jsonl"));
    }

    private static EventBoardComponent.Config config(int recent, int queue, Path journal) {
        return new EventBoardComponent.Config() {
            public int recentEvents() { return recent; }
            public int dispatchQueue() { return queue; }
            public String alarmJournal() { return journal.toString(); }
            public int alarmJournalEntries() { return 100; }
            public Class<? extends Annotation> annotationType() { return EventBoardComponent.Config.class; }
        };
    }

    @Test
    void aConditionIsActiveUntilClearedAndIsNotRepeated() {
        EventBoardComponent board = new EventBoardComponent(config(100, 100));
        try {
            board.publish(RuntimeEvent.of(EventKind.CAMERA_LOST, "line/a", "camera lost"));
            board.publish(RuntimeEvent.of(EventKind.CAMERA_LOST, "line/a", "camera still lost"));
            board.publish(RuntimeEvent.of(EventKind.PLC_LOST, "output/plc", "PLC lost"));
            assertEquals(List.of(EventKind.CAMERA_LOST, EventKind.PLC_LOST),
                    board.activeAlarms().stream().map(RuntimeEvent::kind).toList());
            assertEquals("camera lost", board.activeAlarms().get(0).message(), "the first raise is kept");

            board.publish(RuntimeEvent.of(EventKind.CAMERA_RESTORED, "line/a", "camera back"));
            board.publish(RuntimeEvent.of(EventKind.CAMERA_RESTORED, "line/b", "never lost: ignored"));
            assertEquals(List.of(EventKind.PLC_LOST), board.activeAlarms().stream().map(RuntimeEvent::kind).toList());
            List<RuntimeEvent> recent = board.recent(10);
            assertEquals(List.of(1L, 2L, 3L), recent.stream().map(RuntimeEvent::sequence).toList());
            assertEquals(EventKind.CAMERA_RESTORED, recent.get(2).kind());
        } finally {
            board.deactivate();
        }
    }

    @Test
    void oneShotEventsAreAlwaysNewsAndRecentIsBounded() {
        EventBoardComponent board = new EventBoardComponent(config(10, 100));
        try {
            for (int i = 0; i < 25; i++) {
                board.publish(RuntimeEvent.of(EventKind.MODEL_ACTIVATED, "line/a", "model " + i));
            }
            List<RuntimeEvent> recent = board.recent(100);
            assertEquals(10, recent.size());
            assertEquals("model 24", recent.get(9).message());
            assertEquals(25, recent.get(9).sequence());
            assertEquals(3, board.recent(3).size());
            assertTrue(board.activeAlarms().isEmpty());
        } finally {
            board.deactivate();
        }
    }

    @Test
    void listenersReceiveEveryNewEventInOrderAndAFailingListenerDoesNotStopOthers() throws Exception {
        EventBoardComponent board = new EventBoardComponent(config(100, 100));
        List<Long> received = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        board.addListener(e -> { throw new IllegalStateException("broken listener"); });
        board.addListener(e -> { received.add(e.sequence()); done.countDown(); });
        try {
            board.publish(RuntimeEvent.of(EventKind.INFERENCE_ERROR, "line/a", "model failed"));
            board.publish(RuntimeEvent.of(EventKind.INFERENCE_ERROR, "line/a", "again: not news"));
            board.publish(RuntimeEvent.of(EventKind.INFERENCE_RECOVERED, "line/a", "ok again"));
            board.publish(RuntimeEvent.of(EventKind.MODEL_REFUSED, "model/x", "bad signature"));
            assertTrue(done.await(5, TimeUnit.SECONDS), "listener got " + received);
            assertEquals(List.of(1L, 2L, 3L), received);
        } finally {
            board.deactivate();
        }
    }

    @Test
    void aSlowListenerNeverBlocksPublishers() throws Exception {
        EventBoardComponent board = new EventBoardComponent(config(100, 10));
        CountDownLatch release = new CountDownLatch(1);
        board.addListener(e -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (int i = 0; i < 50; i++) { // far more than the queue holds, while the listener is stuck
                board.publish(RuntimeEvent.of(EventKind.MODEL_ACTIVATED, "line/a", "model " + i));
            }
            assertEquals(50, board.recent(100).size(), "every event is still recorded");
        } finally {
            release.countDown();
            board.deactivate();
        }
    }

    @Test
    void badSizesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventBoardComponent(config(5, 100)));
        assertTrue(e.getMessage().contains("recentEvents"), e.getMessage());
    }

    /** Waits until the dispatch thread has journaled everything published so far. */
    private static void settle(EventBoardComponent board, int transitions) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (board.journal(1000).size() < transitions && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(transitions, board.journal(1000).size(), "journal lines");
    }

    @Test
    void anAlarmIsRaisedClearedAndAcknowledgedAndListedUntilBoth() throws Exception {
        Path file = data.resolve("lifecycle.jsonl");
        EventBoardComponent board = new EventBoardComponent(config(100, 100, file));
        try {
            board.publish(RuntimeEvent.of(EventKind.CAMERA_LOST, "line/a", "camera lost"));
            Alarm raised = board.alarms().get(0);
            assertTrue(raised.active() && !raised.acknowledged());
            board.publish(RuntimeEvent.of(EventKind.CAMERA_RESTORED, "line/a", "camera back"));
            Alarm cleared = board.alarms().get(0);
            assertFalse(cleared.active(), "cleared");
            assertTrue(board.activeAlarms().isEmpty(), "no active condition");
            assertEquals(1, board.alarms().size(), "still listed: nobody acknowledged it");

            assertEquals("console", board.acknowledge(raised.id(), "console").orElseThrow().acknowledgedBy());
            assertTrue(board.alarms().isEmpty(), "cleared and acknowledged: off the list");
            assertTrue(board.acknowledge(raised.id(), "console").isEmpty(), "nothing left to acknowledge");

            board.publish(RuntimeEvent.of(EventKind.PLC_LOST, "output/plc", "PLC lost"));
            Alarm plc = board.alarms().get(0);
            board.acknowledge(plc.id(), "web:shift-lead");
            assertTrue(board.alarms().get(0).active() && board.alarms().get(0).acknowledged(),
                    "acknowledged but active: listed until the condition goes");
            board.publish(RuntimeEvent.of(EventKind.PLC_RESTORED, "output/plc", "PLC back"));
            assertTrue(board.alarms().isEmpty());
            settle(board, 6);
            assertEquals(List.of("RAISED runtime", "CLEARED runtime", "ACKNOWLEDGED console", "RAISED runtime",
                            "ACKNOWLEDGED web:shift-lead", "CLEARED runtime"),
                    board.journal(100).stream().map(t -> t.change() + " " + t.who()).toList());
            assertTrue(board.recent(10).stream().anyMatch(e -> e.kind() == EventKind.ALARM_ACKNOWLEDGED
                    && e.message().contains("web:shift-lead")), "the acknowledgement is an event for SCADA and the web");
        } finally {
            board.deactivate();
        }
    }

    @Test
    void aMissedRejectLatchesUntilAcknowledgedAndSurvivesARestart() throws Exception {
        Path file = data.resolve("latching.jsonl");
        EventBoardComponent board = new EventBoardComponent(config(100, 100, file));
        long id;
        try {
            board.publish(RuntimeEvent.of(EventKind.REJECT_MISSED, "line/a", "reject of frame 41 missed: PLC down"));
            board.publish(RuntimeEvent.of(EventKind.REJECT_MISSED, "line/a", "reject of frame 57 missed: PLC down"));
            Alarm missed = board.alarms().get(0);
            id = missed.id();
            assertFalse(missed.active(), "a latching alarm marks a moment");
            assertEquals(2, missed.occurrences());
            assertTrue(missed.message().contains("57"), "the newest occurrence's sentence");
            assertEquals(2, board.recent(10).size(), "every missed reject is an event");
            settle(board, 2);
        } finally {
            board.deactivate();
        }
        EventBoardComponent restarted = new EventBoardComponent(config(100, 100, file));
        try {
            Alarm again = restarted.alarms().get(0);
            assertEquals(id, again.id(), "still listed after the restart");
            assertEquals(2, again.occurrences());
            restarted.acknowledge(id, "opcua:operator");
            assertTrue(restarted.alarms().isEmpty());
            restarted.publish(RuntimeEvent.of(EventKind.CAMERA_LOST, "line/a", "camera lost"));
            assertTrue(restarted.alarms().get(0).id() > id, "alarm ids continue after the journal's highest");
        } finally {
            restarted.deactivate();
        }
    }

    @Test
    void theJournalIsBoundedAndSkipsACutLastLine() throws Exception {
        Path file = data.resolve("bounded.jsonl");
        EventBoardComponent board = new EventBoardComponent(config(100, 1000, file));
        try {
            for (int i = 0; i < 150; i++) {
                board.publish(RuntimeEvent.of(EventKind.PLC_LOST, "output/plc", "lost " + i));
                board.publish(RuntimeEvent.of(EventKind.PLC_RESTORED, "output/plc", "back " + i));
            }
            settle(board, 100);
        } finally {
            board.deactivate();
        }
        long lines = java.nio.file.Files.readAllLines(file).size();
        assertTrue(lines >= 100 && lines < 200, "the file is compacted: " + lines + " lines");
        java.nio.file.Files.writeString(file, "{\"time\":\"2026-12-0", java.nio.file.StandardOpenOption.APPEND);
        EventBoardComponent restarted = new EventBoardComponent(config(100, 100, file));
        try {
            List<AlarmTransition> journal = restarted.journal(1000);
            assertEquals(100, journal.size());
            assertEquals("back 149", journal.get(99).message());
        } finally {
            restarted.deactivate();
        }
    }
}
