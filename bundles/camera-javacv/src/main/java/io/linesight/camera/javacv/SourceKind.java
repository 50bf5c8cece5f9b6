package io.linesight.camera.javacv;

/** What kind of input a camera URL names; decides the FFmpeg options and what end-of-stream means. */
enum SourceKind {
    /** A video file: ends (or loops) at its end; paced to its own frame rate if asked. */
    FILE("video file", false, false),
    /** An RTSP camera or server: RTP timestamps from the camera's media clock, sampled at exposure. */
    RTSP("RTSP stream", true, true),
    /**
     * An HTTP stream, typically MJPEG from an IP camera: multipart MJPEG has no timestamps (FFmpeg numbers
     * the parts at an assumed 25 fps).
     */
    HTTP("HTTP stream", true, false),
    /** A Video4Linux2 device such as /dev/video0: the kernel stamps each buffer when it is filled. */
    V4L2("V4L2 device", true, true);

    private final String label;
    private final boolean live;
    private final boolean ptsFromCameraClock;

    SourceKind(String label, boolean live, boolean ptsFromCameraClock) {
        this.label = label;
        this.live = live;
        this.ptsFromCameraClock = ptsFromCameraClock;
    }

    /** Words for log lines and descriptions. */
    String label() {
        return label;
    }

    /** Live sources never end on purpose: an end of stream is a loss, and they can stall. */
    boolean live() {
        return live;
    }

    /** Live sources whose picture timestamps come from a clock at the camera, so they tell when a picture was taken. */
    boolean ptsFromCameraClock() {
        return ptsFromCameraClock;
    }
}
