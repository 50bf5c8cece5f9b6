package io.linesight.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBoardTest {

    private static EventBoardComponent.Config config(int recent, int queue) {
        return new EventBoardComponent.Config() {
            public int recentEvents() { return recent; }
            public int dispatchQueue() { return queue; }
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
}
