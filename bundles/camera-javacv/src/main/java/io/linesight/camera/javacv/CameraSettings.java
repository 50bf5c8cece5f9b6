package io.linesight.camera.javacv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validated, immutable settings of one FFmpeg camera. A bad value is refused with a message naming the
 * property and the PID, never replaced by a default.
 */
record CameraSettings(
        String sourceId,
        StreamAddress address,
        boolean loop,
        boolean realTime,
        String rtspTransport,
        int connectTimeoutMs,
        int stallTimeoutMs,
        int probeDurationMs,
        int reconnectBackoffMinMs,
        int reconnectBackoffMaxMs,
        int widthPx,
        int heightPx,
        double frameRate,
        String inputFormat,
        int decoderThreads,
        double maxFps,
        Map<String, String> ffmpegOptions) {

    static final String PID = "io.linesight.camera.javacv";

    private static final Set<String> TRANSPORTS = Set.of("tcp", "udp");

    CameraSettings {
        require(sourceId != null && !sourceId.isBlank(), "source.id must not be empty");
        require(TRANSPORTS.contains(rtspTransport), "rtspTransport must be tcp or udp, was '" + rtspTransport + "'");
        requireRange("connectTimeoutMs", connectTimeoutMs, 100, 120_000);
        requireRange("stallTimeoutMs", stallTimeoutMs, 100, 120_000);
        requireRange("probeDurationMs", probeDurationMs, 0, 10_000);
        requireRange("reconnectBackoffMinMs", reconnectBackoffMinMs, 10, 60_000);
        requireRange("reconnectBackoffMaxMs", reconnectBackoffMaxMs, 10, 60_000);
        require(reconnectBackoffMinMs <= reconnectBackoffMaxMs, "reconnectBackoffMinMs (" + reconnectBackoffMinMs
                + ") must not exceed reconnectBackoffMaxMs (" + reconnectBackoffMaxMs + ")");
        requireRange("widthPx", widthPx, 0, 8192);
        requireRange("heightPx", heightPx, 0, 8192);
        require((widthPx == 0) == (heightPx == 0), "widthPx and heightPx must both be 0 (as delivered) or both set, were "
                + widthPx + " and " + heightPx);
        require(frameRate >= 0 && frameRate <= 1000, "frameRate must be within 0..1000 (0 = device default), was " + frameRate);
        requireRange("decoderThreads", decoderThreads, 0, 16);
        require(maxFps >= 0 && maxFps <= 1000, "maxFps must be within 0..1000 (0 = no cap), was " + maxFps);
        inputFormat = inputFormat == null ? "" : inputFormat.trim();
        ffmpegOptions = Collections.unmodifiableMap(new LinkedHashMap<>(ffmpegOptions));
    }

    static CameraSettings from(CameraConfig c) {
        StreamAddress address;
        try {
            address = StreamAddress.parse(c.url(), c.user(), c._password());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(invalid(e.getMessage()), e);
        }
        return new CameraSettings(c.source_id(), address, c.loop(), c.realTime(),
                c.rtspTransport() == null ? null : c.rtspTransport().trim().toLowerCase(java.util.Locale.ROOT),
                c.connectTimeoutMs(), c.stallTimeoutMs(), c.probeDurationMs(), c.reconnectBackoffMinMs(),
                c.reconnectBackoffMaxMs(), c.widthPx(), c.heightPx(), c.frameRate(), c.inputFormat(), c.decoderThreads(), c.maxFps(),
                parseOptions(c.ffmpegOptions() == null ? List.of() : List.of(c.ffmpegOptions())));
    }

    /** {@code key=value} entries, in order; a malformed one is refused. */
    static Map<String, String> parseOptions(List<String> entries) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry == null ? -1 : entry.indexOf('=');
            require(eq > 0, "ffmpegOptions entries must look like key=value, was '" + entry + "'");
            options.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return options;
    }

    SourceKind kind() {
        return address.kind();
    }

    /** One line with the effective configuration, for the activation log. */
    String summary() {
        return "'" + sourceId + "' " + kind().label() + " " + address.safe()
                + (kind() == SourceKind.FILE ? ", loop=" + loop + ", realTime=" + realTime : "")
                + (kind() == SourceKind.RTSP ? ", transport=" + rtspTransport : "")
                + (widthPx > 0 ? ", size " + widthPx + "x" + heightPx : "")
                + (frameRate > 0 ? ", frameRate=" + frameRate : "")
                + (inputFormat.isEmpty() ? "" : ", inputFormat=" + inputFormat)
                + ", decoderThreads=" + decoderThreads
                + (maxFps > 0 ? ", maxFps=" + maxFps : "")
                + ", connectTimeoutMs=" + connectTimeoutMs + ", stallTimeoutMs=" + stallTimeoutMs
                + ", probeDurationMs=" + probeDurationMs
                + ", reconnect backoff " + reconnectBackoffMinMs + ".." + reconnectBackoffMaxMs + " ms"
                + (ffmpegOptions.isEmpty() ? "" : ", ffmpegOptions=" + ffmpegOptions.keySet());
    }

    private static void requireRange(String name, int value, int min, int max) {
        require(value >= min && value <= max, name + " must be within " + min + ".." + max + ", was " + value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(invalid(message));
        }
    }

    private static String invalid(String message) {
        return "Invalid configuration " + PID + ": " + message;
    }
}
