package io.linesight.camera.javacv;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one FFmpeg camera (factory PID {@value CameraSettings#PID}): a video file, an RTSP
 * or HTTP MJPEG stream, or a V4L2 device. Validated by {@link CameraSettings}.
 */
@ObjectClassDefinition(
        name = "LineSight FFmpeg camera",
        description = "A camera read through JavaCV/FFmpeg: video file, RTSP, HTTP MJPEG or V4L2 device. "
                + "Reconnects by itself; reports CONNECTING, STREAMING and LOST to the line.")
public @interface CameraConfig {

    @AttributeDefinition(name = "Source id", description = "Name lines use to select this camera, e.g. (source.id=gate1)")
    String source_id();

    @AttributeDefinition(name = "URL", description = "rtsp://host[:port]/path, http://host[:port]/path "
            + "(MJPEG), /dev/videoN (V4L2) or a video file path (relative to the runtime's working directory)")
    String url();

    @AttributeDefinition(name = "User", description = "RTSP/HTTP user name, if the camera asks for one (empty = none)")
    String user() default "";

    /**
     * The password; its property name {@code .password} starts with a dot, so Declarative Services keeps
     * it out of the service properties (a password inside {@code url} would be published with them).
     */
    @AttributeDefinition(name = "Password", description = "RTSP/HTTP password (property name .password: "
            + "kept out of the service registry)", type = AttributeType.PASSWORD)
    String _password() default "";

    @AttributeDefinition(name = "Loop", description = "Files only: start again at the end instead of stopping")
    boolean loop() default false;

    @AttributeDefinition(name = "Real time", description = "Files only: deliver frames at the file's own frame rate "
            + "(false: as fast as they decode)")
    boolean realTime() default true;

    @AttributeDefinition(name = "RTSP transport", description = "tcp (interleaved; survives NAT and loss) or udp")
    String rtspTransport() default "tcp";

    @AttributeDefinition(name = "Connect timeout (ms)", description = "Longest time from starting a connection to its "
            + "first live picture before the camera is reported lost (100..120000)")
    int connectTimeoutMs() default 10_000;

    @AttributeDefinition(name = "Stall timeout (ms)", description = "No new picture for this long on an open stream = "
            + "stalled: reported lost and reconnected; a picture whose timestamp does not advance, or that comes "
            + "after the stall, does not count; also FFmpeg's socket read timeout (100..120000)")
    int stallTimeoutMs() default 2_000;

    @AttributeDefinition(name = "Probe duration (ms)", description = "Live streams: how much of the stream FFmpeg "
            + "analyses before the first picture (0..10000; 0 = FFmpeg's default of 5 s)")
    int probeDurationMs() default 500;

    @AttributeDefinition(name = "Reconnect backoff min (ms)", description = "First wait before reconnecting (10..60000)")
    int reconnectBackoffMinMs() default 100;

    @AttributeDefinition(name = "Reconnect backoff max (ms)", description = "Longest wait between reconnects; "
            + "the wait doubles from the minimum up to this (10..60000)")
    int reconnectBackoffMaxMs() default 500;

    @AttributeDefinition(name = "Width (px)", description = "0 = as delivered. V4L2: the size asked of the device "
            + "(refused = camera lost); other sources are scaled to it. Set with heightPx.")
    int widthPx() default 0;

    @AttributeDefinition(name = "Height (px)", description = "0 = as delivered; see widthPx")
    int heightPx() default 0;

    @AttributeDefinition(name = "Frame rate", description = "V4L2 only: frames per second asked of the device (0 = its default)")
    double frameRate() default 0;

    @AttributeDefinition(name = "Input format", description = "V4L2 only: the device format, e.g. mjpeg or yuyv422 "
            + "(empty = the driver's choice)")
    String inputFormat() default "";

    @AttributeDefinition(name = "Decoder threads", description = "Threads FFmpeg decodes one stream with (0..16). "
            + "1: no added latency, enough for H.264 up to 1080p30 on one core; 0: FFmpeg's choice (cores + 1), "
            + "faster for 4K but frame threading delays every picture by threads - 1 frames")
    int decoderThreads() default 1;

    @AttributeDefinition(name = "Max frames per second", description = "Deliver at most this many frames per second; "
            + "the others are decoded and skipped (0 = no cap)")
    double maxFps() default 0;

    @AttributeDefinition(name = "FFmpeg options", description = "Extra FFmpeg demuxer/protocol options, key=value each "
            + "(for experts; they override LineSight's own)")
    String[] ffmpegOptions() default {};
}
