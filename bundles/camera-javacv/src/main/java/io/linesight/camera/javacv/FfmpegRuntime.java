package io.linesight.camera.javacv;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_DEBUG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_VERBOSE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;

import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads FFmpeg once per class loader and turns its own log down.
 *
 * <p>FFmpeg prints to stderr, process-wide, one line per failed connection attempt; with a camera
 * retrying every second that floods the console while the source already reports each problem itself
 * (with FFmpeg's error text). So its level is set to {@code fatal} unless the system property
 * {@value #LOG_LEVEL_PROPERTY} asks for more ({@code error}, {@code warning}, {@code info},
 * {@code verbose}, {@code debug}) when diagnosing a camera.
 */
final class FfmpegRuntime {

    static final String LOG_LEVEL_PROPERTY = "linesight.ffmpeg.logLevel";

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegRuntime.class);
    private static final Map<String, Integer> LEVELS = Map.of("quiet", AV_LOG_QUIET, "fatal", AV_LOG_FATAL,
            "error", AV_LOG_ERROR, "warning", AV_LOG_WARNING, "info", AV_LOG_INFO, "verbose", AV_LOG_VERBOSE,
            "debug", AV_LOG_DEBUG);

    private static boolean loaded;

    private FfmpegRuntime() {
    }

    /** Loads the natives (first call: a few hundred ms, extracting them to JavaCPP's cache). */
    static synchronized void load() throws StreamException {
        if (loaded) {
            return;
        }
        try {
            FFmpegFrameGrabber.tryLoad();
        } catch (Exception | LinkageError e) {
            throw new StreamException("FFmpeg's native libraries could not be loaded (" + e + ")",
                    "check that bundle io.linesight.lib.javacv is installed and this machine is Linux x86-64", e);
        }
        String name = System.getProperty(LOG_LEVEL_PROPERTY, "fatal").trim().toLowerCase(Locale.ROOT);
        Integer level = LEVELS.get(name);
        if (level == null) {
            LOG.warn("System property {}={} is not one of {}; using fatal", LOG_LEVEL_PROPERTY, name, LEVELS.keySet());
            level = AV_LOG_FATAL;
        }
        avutil.av_log_set_level(level);
        loaded = true;
        LOG.debug("FFmpeg {} loaded, its log level is {}", version(), name);
    }

    /** FFmpeg's version string, e.g. {@code 8.0.1}. */
    static String version() {
        return avutil.av_version_info().getString();
    }

    /** FFmpeg's text for an error code, e.g. {@code Connection refused}. */
    static String errorText(int code) {
        byte[] text = new byte[256];
        try (BytePointer buffer = new BytePointer(text.length)) {
            if (avutil.av_strerror(code, buffer, text.length) < 0) {
                return "FFmpeg error " + code;
            }
            buffer.get(text);
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** FFmpeg's name of a codec id, e.g. {@code h264}. */
    static String codecName(int codecId) {
        BytePointer name = avcodec.avcodec_get_name(codecId);
        return name == null ? "codec #" + codecId : name.getString();
    }
}
