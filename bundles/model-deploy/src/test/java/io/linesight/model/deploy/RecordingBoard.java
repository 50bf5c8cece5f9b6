package io.linesight.model.deploy;

import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An event board that keeps what it was given. */
final class RecordingBoard implements EventBoard {

    final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public RuntimeEvent publish(RuntimeEvent event) {
        RuntimeEvent numbered = event.withSequence(events.size() + 1);
        events.add(numbered);
        return numbered;
    }

    @Override
    public List<RuntimeEvent> activeAlarms() {
        return List.of();
    }

    @Override
    public List<RuntimeEvent> recent(int limit) {
        return events.subList(Math.max(0, events.size() - limit), events.size());
    }

    @Override
    public List<io.linesight.api.event.Alarm> alarms() {
        return List.of();
    }

    @Override
    public java.util.Optional<io.linesight.api.event.Alarm> acknowledge(long alarmId, String who) {
        return java.util.Optional.empty();
    }

    @Override
    public List<io.linesight.api.event.AlarmTransition> journal(int limit) {
        return List.of();
    }

    List<RuntimeEvent> of(EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }
}
