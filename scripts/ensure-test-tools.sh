#!/usr/bin/env bash
# Installs the external peers some tests talk to, if they are missing: Debian's ffmpeg (video files and
# live streams for the camera tests), GStreamer's RTSP server with its Python bindings (a real RTSP
# camera for the camera tests) and python3-pymodbus (an independent Modbus TCP server for the PLC
# interop test). Idempotent and quick when everything is present. Tests call it before they need a tool;
# run it by hand with no argument to install everything.
#
#   scripts/ensure-test-tools.sh [ffmpeg] [gst-rtsp-server] [pymodbus]
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(ffmpeg gst-rtsp-server pymodbus)

missing=()
for tool in "${want[@]}"; do
  case "$tool" in
    ffmpeg)   command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg) ;;
    gst-rtsp-server) /usr/bin/python3 -c 'import gi; gi.require_version("Gst", "1.0"); gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer; Gst.init(None)
assert all(Gst.ElementFactory.find(e) for e in ("videotestsrc", "jpegenc", "rtpjpegpay", "openh264enc", "h264parse", "rtph264pay"))' \
                >/dev/null 2>&1 \
                || missing+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad) ;;
    pymodbus) /usr/bin/python3 -c 'import pymodbus, serial_asyncio' >/dev/null 2>&1 \
                || missing+=(python3-pymodbus python3-serial-asyncio) ;;
    *) echo "ensure-test-tools: unknown tool '$tool' (known: ffmpeg, gst-rtsp-server, pymodbus)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-test-tools: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo -n"
fi
echo "ensure-test-tools: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  $sudo apt-get update -qq >/dev/null 2>&1
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
