package io.linesight.camera.javacv;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.SourceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Records what a camera tells its subscriber: sequence numbers, the first and last frame, every state. */
final class RecordingListener implements FrameListener {

    /** One state report and when it arrived ({@link System#nanoTime()}). */
    record StateEvent(SourceState state, String detail, long atNanos) {
    }

    /** One delivered frame: its capture instant and when it arrived ({@link System#nanoTime()}). */
    record FrameEvent(long sequence, long captureNanos, long atNanos) {
    }

    private final List<Long> sequences = new ArrayList<>();
    private final List<FrameEvent> frameEvents = new ArrayList<>();
    private final List<StateEvent> states = new ArrayList<>();
    private Frame first;
    private Frame last;
    private long lastFrameNanos;
    private String thread;

    @Override
    public synchronized void onFrame(Frame frame) {
        sequences.add(frame.sequence());
        if (first == null) {
            first = frame;
        }
        last = frame;
        lastFrameNanos = System.nanoTime();
        frameEvents.add(new FrameEvent(frame.sequence(), frame.captureNanos(), lastFrameNanos));
        thread = Thread.currentThread().getName();
    }

    @Override
    public synchronized void onSourceState(SourceState state, String detail) {
        states.add(new StateEvent(state, detail, System.nanoTime()));
    }

    synchronized int frames() {
        return sequences.size();
    }

    synchronized List<Long> sequences() {
        return List.copyOf(sequences);
    }

    synchronized Frame first() {
        return first;
    }

    synchronized Frame last() {
        return last;
    }

    synchronized long lastFrameNanos() {
        return lastFrameNanos;
    }

    synchronized List<FrameEvent> frameEvents() {
        return List.copyOf(frameEvents);
    }

    /** Frames that arrived after {@code fromNanos} and before {@code toNanos}. */
    synchronized List<FrameEvent> framesBetween(long fromNanos, long toNanos) {
        return frameEvents.stream().filter(f -> f.atNanos() - fromNanos > 0 && toNanos - f.atNanos() > 0).toList();
    }

    synchronized String deliveringThread() {
        return thread;
    }

    synchronized List<StateEvent> states() {
        return List.copyOf(states);
    }

    synchronized List<SourceState> stateNames() {
        return states.stream().map(StateEvent::state).toList();
    }

    synchronized Optional<StateEvent> lastState() {
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
    }

    synchronized boolean isIn(SourceState state) {
        return lastState().map(e -> e.state() == state).orElse(false);
    }

    /** The first report of {@code state} after {@code afterNanos}, if any. */
    synchronized Optional<StateEvent> firstAfter(SourceState state, long afterNanos) {
        return states.stream().filter(e -> e.state() == state && e.atNanos() - afterNanos > 0).findFirst();
    }
}
