#!/usr/bin/python3
"""A live RTSP camera on 127.0.0.1 for the camera tests: GStreamer's RTSP server (Debian package
gir1.2-gst-rtsp-server-1.0) serving a moving test pattern as H.264 or MJPEG over RTP.

usage: rtsp-server.py PORT PATH WIDTH HEIGHT FPS h264|mjpeg [FREEZE_PTS_AFTER_S]
Prints "READY rtsp://127.0.0.1:PORT/PATH" once it listens; runs until killed.
With FREEZE_PTS_AFTER_S, a camera whose clock stops: from that many seconds into the stream every picture
still goes out (the test pattern keeps moving) but with the timestamp of the first frozen one, for good
(also to clients that connect later), and "FROZEN" is printed.
"""
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, path, width, height, fps, codec = sys.argv[1:7]
freeze_after = float(sys.argv[7]) if len(sys.argv) > 7 else None
Gst.init(None)
encoders = {
    'h264': 'openh264enc complexity=low gop-size=%s ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1' % fps,
    'mjpeg': 'jpegenc quality=80 ! rtpjpegpay name=pay0 pt=26',
}
launch = ('( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=%s,height=%s,framerate=%s/1 ! %s )'
          % (width, height, fps, encoders[codec]))
server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(launch)
factory.set_shared(True)
frozen = []


def freeze_timestamps(_factory, media):
    def keep_first_frozen_pts(_pad, info):
        buffer = info.get_buffer()
        if frozen or buffer.pts != Gst.CLOCK_TIME_NONE and buffer.pts >= freeze_after * Gst.SECOND:
            if not frozen:
                frozen.append(buffer.pts)
                print('FROZEN', flush=True)
            buffer.pts = frozen[0]
        return Gst.PadProbeReturn.OK

    payloader = media.get_element().get_by_name('pay0')
    payloader.get_static_pad('sink').add_probe(Gst.PadProbeType.BUFFER, keep_first_frozen_pts)


if freeze_after is not None:
    factory.connect('media-configure', freeze_timestamps)
server.get_mount_points().add_factory(path, factory)
if server.attach(None) == 0:
    print('cannot listen on port ' + port, flush=True)
    sys.exit(1)
print('READY rtsp://127.0.0.1:%s%s' % (port, path), flush=True)
GLib.MainLoop().run()
