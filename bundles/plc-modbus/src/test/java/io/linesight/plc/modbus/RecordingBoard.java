package io.linesight.plc.modbus;

import java.util.List;

/** Collects "KIND source message" of every event the output publishes. */
record RecordingBoard(List<String> events) implements io.linesight.api.event.EventBoard {
    @Override
    public io.linesight.api.event.RuntimeEvent publish(io.linesight.api.event.RuntimeEvent event) {
        events.add(event.kind() + " " + event.source() + " " + event.message());
        return event;
    }

    @Override
    public List<io.linesight.api.event.RuntimeEvent> activeAlarms() {
        return List.of();
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

    @Override
    public List<io.linesight.api.event.RuntimeEvent> recent(int limit) {
        return List.of();
    }
}
