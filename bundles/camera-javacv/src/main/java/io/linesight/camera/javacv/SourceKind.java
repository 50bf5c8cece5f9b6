package io.linesight.camera.javacv;

/** What kind of input a camera URL names; decides the FFmpeg options and what end-of-stream means. */
enum SourceKind {
    /** A video file: ends (or loops) at its end; paced to its own frame rate if asked. */
    FILE("video file", false),
    /** An RTSP camera or server. */
    RTSP("RTSP stream", true),
    /** An HTTP stream, typically MJPEG from an IP camera. */
    HTTP("HTTP stream", true),
    /** A Video4Linux2 device such as /dev/video0. */
    V4L2("V4L2 device", true);

    private final String label;
    private final boolean live;

    SourceKind(String label, boolean live) {
        this.label = label;
        this.live = live;
    }

    /** Words for log lines and descriptions. */
    String label() {
        return label;
    }

    /** Live sources never end on purpose: an end of stream is a loss, and they can stall. */
    boolean live() {
        return live;
    }
}
