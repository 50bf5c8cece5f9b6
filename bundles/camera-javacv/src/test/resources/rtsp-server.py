#!/usr/bin/python3
"""A live RTSP camera on 127.0.0.1 for the camera tests: GStreamer's RTSP server (Debian package
gir1.2-gst-rtsp-server-1.0) serving a moving test pattern as H.264 or MJPEG over RTP.

usage: rtsp-server.py PORT PATH WIDTH HEIGHT FPS h264|mjpeg
Prints "READY rtsp://127.0.0.1:PORT/PATH" once it listens; runs until killed.
"""
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, path, width, height, fps, codec = sys.argv[1:7]
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
server.get_mount_points().add_factory(path, factory)
if server.attach(None) == 0:
    print('cannot listen on port ' + port, flush=True)
    sys.exit(1)
print('READY rtsp://127.0.0.1:%s%s' % (port, path), flush=True)
GLib.MainLoop().run()
