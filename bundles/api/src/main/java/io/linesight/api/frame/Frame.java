package io.linesight.api.frame;

import java.time.Instant;
import java.util.Objects;

/**
 * One picture taken by a camera, with the identity and times every later stage refers to.
 *
 * <p>Ownership: once a source has handed a frame to a {@link FrameListener}, it must not write to
 * {@link #pixels()} again; consumers treat the array as read-only. Rows are tightly packed
 * ({@code width * bytesPerPixel} bytes each, no padding).
 *
 * @param sourceId     the camera that took it
 * @param sequence     the source's frame counter, starting at 1 and increasing by one per grabbed
 *                     frame, so gaps reveal drops
 * @param captureNanos capture instant on the monotonic clock ({@link System#nanoTime()}); use it for
 *                     intervals and deadlines (the PLC eject instant)
 * @param captureTime  capture instant on the wall clock; use it for timestamps shown to people and SCADA
 * @param width        pixels per row
 * @param height       rows
 * @param format       layout of {@link #pixels()}
 * @param pixels       the image, {@code width * height * format.bytesPerPixel()} bytes
 * @param truth        what the source knows the frame shows (a simulator's ground truth), or
 *                     {@code null} for a real camera
 */
public record Frame(
        String sourceId,
        long sequence,
        long captureNanos,
        Instant captureTime,
        int width,
        int height,
        PixelFormat format,
        byte[] pixels,
        String truth) {

    public Frame {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(captureTime, "captureTime");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
        long expected = (long) width * height * format.bytesPerPixel();
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    "pixels hold " + pixels.length + " bytes, " + width + "x" + height + " " + format
                            + " needs " + expected);
        }
    }

    /** Whether the source knows what this frame shows (simulators and replayed golden sets do). */
    public boolean hasTruth() {
        return truth != null;
    }
}
