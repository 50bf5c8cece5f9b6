package io.linesight.watch;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.AlarmTransition;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.RuntimeEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** An event board that only records what is published. */
final class RecordingBoard implements EventBoard {

    final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public RuntimeEvent publish(RuntimeEvent event) {
        events.add(event);
        return event;
    }

    @Override
    public List<RuntimeEvent> activeAlarms() {
        return List.of();
    }

    @Override
    public List<Alarm> alarms() {
        return List.of();
    }

    @Override
    public Optional<Alarm> acknowledge(long alarmId, String who) {
        return Optional.empty();
    }

    @Override
    public List<AlarmTransition> journal(int limit) {
        return List.of();
    }

    @Override
    public List<RuntimeEvent> recent(int limit) {
        return List.of();
    }
}
