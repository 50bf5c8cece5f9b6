package io.linesight.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.linesight.api.frame.Frame;
import io.linesight.api.inspection.InspectionEvent;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the dashboard remembers of one line: the last inspection, the recent verdicts (bounded) and the
 * last frame with its inspection. Fed on the line's inference thread with a few field writes; the JPEG
 * is encoded on the requesting thread, at most once per {@code frameIntervalNanos}.
 */
final class LineTrack {

    private record Shot(Frame frame, InspectionEvent event) {
    }

    /** An encoded frame: the inspection it shows and its JPEG bytes. */
    record Jpeg(long sequence, byte[] bytes) {
    }

    private final int recentMax;
    private final long frameIntervalNanos;
    private final Deque<JsonObject> recent = new ArrayDeque<>();
    private volatile InspectionEvent last;
    private volatile Shot shot;
    private Jpeg jpeg;
    private long jpegAtNanos;

    LineTrack(int recentMax, long frameIntervalMs) {
        this.recentMax = recentMax;
        this.frameIntervalNanos = frameIntervalMs * 1_000_000L;
    }

    void inspected(InspectionEvent event) {
        last = event;
        JsonObject v = new JsonObject();
        v.addProperty("sequence", event.sequence());
        v.addProperty("time", event.captureTime().toString());
        v.addProperty("verdict", event.verdict().name());
        v.addProperty("summary", Json.summary(event.result()));
        synchronized (recent) {
            recent.addFirst(v);
            if (recent.size() > recentMax) {
                recent.removeLast();
            }
        }
    }

    /** Keeps a reference to the frame (frames are read-only once delivered, so no copy is needed). */
    void frame(Frame frame, InspectionEvent event) {
        shot = new Shot(frame, event);
    }

    /** The sequence of the last frame kept, or -1. */
    long frameSequence() {
        Shot s = shot;
        return s == null ? -1 : s.event().sequence();
    }

    /** The last frame as JPEG, re-encoded only when it changed and the interval has passed; null without a frame. */
    synchronized Jpeg jpeg(long nowNanos) {
        Shot s = shot;
        if (s == null) {
            return null;
        }
        boolean fresh = jpeg != null && (jpeg.sequence() == s.event().sequence() || nowNanos - jpegAtNanos < frameIntervalNanos);
        if (!fresh) {
            jpeg = new Jpeg(s.event().sequence(), FrameImages.annotatedJpeg(s.frame(), s.event()));
            jpegAtNanos = nowNanos;
        }
        return jpeg;
    }

    JsonObject lastJson() {
        InspectionEvent e = last;
        return e == null ? null : Json.inspection(e);
    }

    JsonArray recentJson() {
        JsonArray out = new JsonArray();
        synchronized (recent) {
            recent.forEach(out::add);
        }
        return out;
    }
}
