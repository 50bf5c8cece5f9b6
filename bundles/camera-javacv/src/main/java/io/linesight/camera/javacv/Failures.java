package io.linesight.camera.javacv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Turns what JavaCV and FFmpeg throw into a {@link StreamException} an OT engineer can act on: FFmpeg's
 * error text for the error code, the stream that failed (without credentials) and a hint. JavaCV's own
 * messages hold the raw URL, so they are never passed on unscrubbed.
 */
final class Failures {

    private static final Pattern ERROR_CODE = Pattern.compile("error (-?\\d+)");
    private static final Pattern CODEC_ID = Pattern.compile("codec not found: (\\d+)");
    private static final int ENOENT = -2;
    private static final int EIO = -5;
    private static final int EACCES = -13;
    private static final int ENODEV = -19;
    private static final int ENETUNREACH = -101;
    private static final int ETIMEDOUT = -110;
    private static final int ECONNREFUSED = -111;
    private static final int EHOSTUNREACH = -113;

    private Failures() {
    }

    /** The input could not be opened, or opened without a video stream we can decode. */
    static StreamException open(Exception e, CameraSettings s, AVFormatContext context) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Did not find a video or audio stream")) {
            return noVideo(describeStreams(context));
        }
        Matcher codec = CODEC_ID.matcher(message);
        if (message.contains("avcodec_find_decoder") && codec.find()) {
            String name = FfmpegRuntime.codecName(Integer.parseInt(codec.group(1)));
            return unsupportedCodec(name);
        }
        if (message.contains("av_find_input_format")) {
            return new StreamException("FFmpeg has no input format for " + s.kind().label(),
                    "check the url and the ffmpegOptions", e);
        }
        return fromCode(e, s, "cannot open");
    }

    /** Reading a frame failed on an open stream. */
    static StreamException read(Exception e, CameraSettings s) {
        return fromCode(e, s, "read failed");
    }

    static StreamException noVideo(String streams) {
        return new StreamException("the input has no video stream FFmpeg " + FfmpegRuntime.version() + " can decode"
                + (streams.isEmpty() ? "" : " (it has: " + streams + ")"),
                "configure the camera for H.264, H.265 or MJPEG, or check that the url points at video");
    }

    static StreamException unsupportedCodec(String codec) {
        return new StreamException("unsupported codec: FFmpeg " + FfmpegRuntime.version() + " has no decoder for '"
                + codec + "'", "configure the camera for H.264, H.265 or MJPEG");
    }

    private static StreamException fromCode(Exception e, CameraSettings s, String what) {
        Matcher m = ERROR_CODE.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
            return new StreamException(what + ": " + scrubbed(e, s), "", e);
        }
        int code = Integer.parseInt(m.group(1));
        String text = FfmpegRuntime.errorText(code);
        return new StreamException(what + ": " + text, hint(code, text, s), e);
    }

    private static String scrubbed(Exception e, CameraSettings s) {
        String text = s.address().scrub(String.valueOf(e.getMessage()));
        int javacvSuffix = text.indexOf(" (For more details");
        return javacvSuffix > 0 ? text.substring(0, javacvSuffix) : text;
    }

    /** What to do about error {@code code}; {@code text} is FFmpeg's wording (HTTP/RTSP status codes). */
    static String hint(int code, String text, CameraSettings s) {
        SourceKind kind = s.kind();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("404")) {
            return "the server has no stream at that path: check the path in the url";
        }
        if (lower.contains("401") || lower.contains("403")) {
            return "the camera refused the credentials: check user and password in the url";
        }
        return switch (code) {
            case ECONNREFUSED -> "nothing listens there: is the camera on, and are host and port right?";
            case ETIMEDOUT -> "no answer in time: check the network path to the camera (cable, switch, address)";
            case ENETUNREACH, EHOSTUNREACH -> "no route to the camera: check its address and the network";
            case ENOENT -> kind == SourceKind.V4L2
                    ? "no such device: is the camera plugged in? (ls /dev/video*)"
                    : "no such file: check the path (relative paths start at the runtime's working directory)";
            case ENODEV -> "the device is gone: check the cable and ls /dev/video*";
            case EACCES -> kind == SourceKind.V4L2
                    ? "permission denied: the runtime's user must be in group 'video'"
                    : "permission denied: the runtime's user may not read it";
            case EIO -> "input/output error: check the cable or the camera";
            default -> code == avutil.AVERROR_INVALIDDATA()
                    ? "not a stream FFmpeg can read: check the url (and inputFormat/ffmpegOptions)"
                    : "";
        };
    }

    /** "video mpeg4 (tag ZZZZ), audio aac" for a format context FFmpeg could not use. */
    static String describeStreams(AVFormatContext context) {
        if (context == null || context.isNull()) {
            return "";
        }
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < context.nb_streams(); i++) {
            AVCodecParameters par = context.streams(i).codecpar();
            String type = avutil.av_get_media_type_string(par.codec_type()) == null ? "data"
                    : avutil.av_get_media_type_string(par.codec_type()).getString();
            String codec = par.codec_id() == 0 ? "of unknown codec" : FfmpegRuntime.codecName(par.codec_id());
            streams.add(type + " " + codec + tag(par.codec_tag()));
        }
        return String.join(", ", streams);
    }

    private static String tag(int codecTag) {
        if (codecTag == 0) {
            return "";
        }
        StringBuilder fourcc = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            char c = (char) ((codecTag >> (8 * i)) & 0xFF);
            if (c < 32 || c >= 127) {
                return ""; // a numeric tag (WAV format 1, ...) says nothing to a reader
            }
            fourcc.append(c);
        }
        return " (tag " + fourcc + ")";
    }
}
