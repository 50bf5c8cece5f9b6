package io.linesight.camera.javacv;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FFmpeg (8.0) options a camera opens its input with. Pure, so the choice is unit-tested without
 * natives.
 *
 * <p>How a blocked read is ended: FFmpegFrameGrabber 1.5.13 cannot be given an interrupt callback
 * before it opens the input (it allocates the format context inside {@code start()}, and FFmpeg copies
 * the callback into each protocol context at open time), and it cannot be closed from another thread
 * ({@code grabFrame} and {@code release} synchronise on the grabber, so a close waits for the blocked
 * read). What works, and is tested against stalled servers, is FFmpeg's own socket timeouts: the read
 * returns an error after the timeout, the grab thread closes the grabber and reconnects.
 * <ul>
 *   <li>RTSP: {@code timeout} (microseconds; FFmpeg 5+ name of the old {@code stimeout}; it bounds the
 *       TCP connect and every socket read) and {@code rtsp_transport}.</li>
 *   <li>HTTP: {@code rw_timeout} (microseconds), the generic option of every FFmpeg protocol context; it
 *       is handed down to the TCP connection under the HTTP one. FFmpeg's TCP connect timeout stays at
 *       its 5 s default.</li>
 *   <li>V4L2: the device answers or fails by itself (an unplugged camera returns ENODEV at once); a
 *       driver that hangs is reported lost by the watchdog but its read cannot be interrupted.</li>
 * </ul>
 */
final class FfmpegOptions {

    private FfmpegOptions() {
    }

    static Map<String, String> of(CameraSettings s) {
        Map<String, String> options = new LinkedHashMap<>();
        long stallMicros = s.stallTimeoutMs() * 1000L;
        switch (s.kind()) {
            case RTSP -> {
                options.put("rtsp_transport", s.rtspTransport());
                options.put("timeout", Long.toString(stallMicros));
            }
            case HTTP -> options.put("rw_timeout", Long.toString(stallMicros));
            case V4L2 -> {
                if (!s.inputFormat().isEmpty()) {
                    options.put("input_format", s.inputFormat());
                }
            }
            case FILE -> {
                // local files neither stall nor need probing limits
            }
        }
        if (s.kind().live() && s.probeDurationMs() > 0) {
            // FFmpeg's default analyses 5 s of a live stream before the first picture; 0.5 s is
            // plenty for one video stream and keeps a reconnect under a second.
            options.put("analyzeduration", Long.toString(s.probeDurationMs() * 1000L));
        }
        options.putAll(s.ffmpegOptions());
        return options;
    }
}
