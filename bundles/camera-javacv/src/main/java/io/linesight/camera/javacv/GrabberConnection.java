package io.linesight.camera.javacv;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open FFmpeg input: a grabber that decodes the video stream and converts each picture once to
 * BGR24 (FFmpeg's swscale, into the grabber's own native buffer, reused for every frame). Used by one
 * thread only, the grab thread, which also closes it.
 *
 * <p>JavaCV's {@code start()}/{@code release()} take a global lock (on the avcodec class) that dates
 * from FFmpeg versions whose codec opening was not thread-safe; holding it through a network connect
 * would let one unreachable camera block every other camera's reconnect and stop. FFmpeg 8 opens
 * codecs thread-safely, so the {@code *Unsafe} variants are used.
 */
final class GrabberConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GrabberConnection.class);
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final FFmpegFrameGrabber grabber;
    private final CameraSettings settings;
    private boolean closed;

    private GrabberConnection(FFmpegFrameGrabber grabber, CameraSettings settings) {
        this.grabber = grabber;
        this.settings = settings;
    }

    /** Grabbers opened and not yet closed, in this class loader (for leak tests). */
    static int openCount() {
        return OPEN.get();
    }

    /**
     * Opens the input; blocks for the connect and the stream analysis (bounded by FFmpeg's timeouts,
     * see {@link FfmpegOptions}).
     */
    static GrabberConnection open(CameraSettings settings) throws StreamException {
        FfmpegRuntime.load();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(settings.address().ffmpeg());
        configure(grabber, settings);
        GrabberConnection connection = new GrabberConnection(grabber, settings);
        OPEN.incrementAndGet();
        try {
            grabber.startUnsafe(true);
            connection.checkVideo();
            return connection;
        } catch (StreamException e) {
            connection.close();
            throw e;
        } catch (Exception e) {
            StreamException failure = Failures.open(e, settings, grabber.getFormatContext());
            connection.close();
            throw failure;
        }
    }

    private static void configure(FFmpegFrameGrabber grabber, CameraSettings s) {
        grabber.setPixelFormat(AV_PIX_FMT_BGR24);
        if (s.widthPx() > 0) {
            grabber.setImageWidth(s.widthPx());
            grabber.setImageHeight(s.heightPx());
        }
        if (s.kind() == SourceKind.V4L2) {
            grabber.setFormat("video4linux2");
            if (s.frameRate() > 0) {
                grabber.setFrameRate(s.frameRate());
            }
        }
        if (s.decoderThreads() > 0) {
            // JavaCV asks for automatic threading (frame threads: one frame of delay per extra thread)
            grabber.setVideoOption("threads", Integer.toString(s.decoderThreads()));
        }
        for (Map.Entry<String, String> option : FfmpegOptions.of(s).entrySet()) {
            grabber.setOption(option.getKey(), option.getValue());
        }
    }

    private void checkVideo() throws StreamException {
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
            throw Failures.noVideo(Failures.describeStreams(grabber.getFormatContext()));
        }
        if (settings.kind() == SourceKind.V4L2 && settings.widthPx() > 0) {
            AVCodecParameters par = grabber.getFormatContext().streams(grabber.getVideoStream()).codecpar();
            if (par.width() != settings.widthPx() || par.height() != settings.heightPx()) {
                throw new StreamException("the camera refused " + settings.widthPx() + "x" + settings.heightPx()
                        + " and delivers " + par.width() + "x" + par.height(),
                        "set widthPx/heightPx to a size it supports (v4l2-ctl --list-formats-ext -d "
                                + settings.address().ffmpeg() + ") or to 0 for its default");
            }
        }
    }

    /** "640x480 h264 15.0 fps (rtsp)" */
    String describe() {
        return grabber.getImageWidth() + "x" + grabber.getImageHeight() + " " + grabber.getVideoCodecName() + " "
                + String.format(java.util.Locale.ROOT, "%.1f", grabber.getVideoFrameRate()) + " fps ("
                + grabber.getFormat() + ")";
    }

    /**
     * The next decoded picture, converted to BGR24 in the grabber's buffer (valid until the next call),
     * or {@code null} at the end of the stream. A read timeout also ends the stream: JavaCV reports
     * FFmpeg read errors as the end.
     */
    Frame grab() throws StreamException {
        try {
            return grabber.grabImage();
        } catch (Exception e) {
            throw Failures.read(e, settings);
        }
    }

    /** Presentation time of the last picture, microseconds from the start of the stream. */
    long timestampMicros() {
        return grabber.getTimestamp();
    }

    /**
     * Copies a BGR24 picture into a new array: the one copy from native memory to the Java heap. The array
     * is new for every frame because a {@link io.linesight.api.frame.Frame}'s pixels belong to the listener
     * for good (the API has no way to hand them back), so a pool could never know when to reuse one.
     */
    static byte[] copyBgr(Frame picture) throws StreamException {
        if (picture.imageChannels != 3 || picture.imageDepth != Frame.DEPTH_UBYTE
                || !(picture.image[0] instanceof ByteBuffer buffer)) {
            throw new StreamException("FFmpeg delivered " + picture.imageChannels + " channels of depth "
                    + picture.imageDepth + ", not BGR24", "report this as a bug");
        }
        int row = picture.imageWidth * 3;
        byte[] pixels = new byte[row * picture.imageHeight];
        if (picture.imageStride == row) {
            buffer.get(0, pixels, 0, pixels.length);
        } else {
            for (int y = 0; y < picture.imageHeight; y++) {
                buffer.get(y * picture.imageStride, pixels, y * row, row);
            }
        }
        return pixels;
    }

    /** Releases the grabber, its codec contexts, frames and swscale context; harmless twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.decrementAndGet();
        try {
            grabber.releaseUnsafe();
        } catch (Exception e) {
            LOG.debug("Camera '{}': releasing the grabber failed: {}", settings.sourceId(), e.toString());
        }
    }
}
