package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.events.EventBoardComponent;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alarm:list, alarm:ack and alarm:journal against the real event board. */
class AlarmCommandsTest {

    @TempDir
    Path dir;

    private EventBoardComponent board() {
        return new EventBoardComponent(new EventBoardComponent.Config() {
            public int recentEvents() { return 100; }
            public int dispatchQueue() { return 100; }
            public String alarmJournal() { return dir.resolve("journal.jsonl").toString(); }
            public int alarmJournalEntries() { return 100; }
            public Class<? extends Annotation> annotationType() { return EventBoardComponent.Config.class; }
        });
    }

    @Test
    void listAcknowledgeAndJournal() throws Exception {
        AlarmCommands commands = new AlarmCommands();
        assertEquals(AlarmCommands.NO_BOARD, commands.list());
        EventBoardComponent board = board();
        try {
            commands.bindBoard(board);
            assertTrue(commands.list().startsWith("No alarms"));
            board.publish(RuntimeEvent.of(EventKind.CAMERA_LOST, "line/default", "camera lost: cable pulled"));
            board.publish(RuntimeEvent.of(EventKind.REJECT_MISSED, "line/default", "reject of frame 7 missed: PLC down"));
            String list = commands.list();
            assertTrue(list.contains("CAMERA_LOST") && list.contains("ACTIVE") && list.contains("camera lost: cable pulled"), list);
            assertTrue(list.contains("REJECT_MISSED") && list.contains("cleared"), list);

            long camera = board.alarms().get(0).id();
            assertTrue(commands.ack("#" + camera).contains("stays listed until its cause is gone"));
            assertTrue(commands.ack("x").contains("is not an alarm id"));
            assertTrue(commands.ack(String.valueOf(camera)).startsWith("no unacknowledged alarm"));
            long missed = board.alarms().get(1).id();
            assertTrue(commands.ack(String.valueOf(missed)).contains("acknowledged"));
            assertEquals(1, board.alarms().size(), "the acknowledged missed reject leaves; the camera alarm stays");

            long until = System.nanoTime() + 5_000_000_000L;
            while (board.journal(10).size() < 4 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            String journal = commands.journal();
            assertTrue(journal.contains("ACKNOWLEDGED") && journal.contains("console"), journal);
            assertTrue(commands.journal("0").contains("give 1..1000"));
        } finally {
            board.deactivate();
        }
    }
}
