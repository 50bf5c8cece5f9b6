#!/usr/bin/env bash
# Installs the external peers some tests talk to, if they are missing: Debian's python3-torchvision,
# python3-pil, python3-opencv and python3-scipy (the training stacks the preprocessing parity tests take their
# references from: torchvision transforms, Pillow, cv2.resize), Debian's ffmpeg (video files and
# live streams for the camera tests), GStreamer's RTSP server with its Python bindings (a real RTSP
# camera for the camera tests), python3-pymodbus (an independent Modbus TCP server for the PLC
# interop test), Debian's chromium (the browser of the web dashboard test) and playwright-core from npm
# (drives that chromium; its version is pinned by integration-tests/src/test/node/package-lock.json and
# installed there with `npm ci`; playwright-core never downloads a browser) and node-opcua from npm (an
# independent OPC UA client for the SCADA interop test; pinned by
# bundles/scada-opcua/src/test/node/package-lock.json, installed with `npm ci` into a cache folder keyed by
# that lock file, ${LINESIGHT_TOOLS_CACHE:-~/.cache/linesight}/node-opcua/<sha>, whose node_modules path
# the script prints on stdout), Debian's mosquitto (the MQTT broker of the Sparkplug tests, /usr/sbin/mosquitto)
# with openssl (the test certificates of its TLS listener) and sparkplug-host: mqtt and sparkplug-payload from npm
# (an independent Sparkplug B host application for the Sparkplug tests; pinned by
# bundles/sparkplug/src/test/node/package-lock.json, installed like node-opcua into
# ${LINESIGHT_TOOLS_CACHE:-~/.cache/linesight}/sparkplug-host/<sha>, whose node_modules path the script prints on
# stdout) and Debian's nginx (a plain static HTTP server with Range support for the fleet agent's download tests,
# /usr/sbin/nginx; the tests run it with their own configuration, never the system service). Idempotent and quick
# when everything is present. Tests call it before they need a tool; run it by hand with no argument to
# install everything.
#
#   scripts/ensure-test-tools.sh [torchvision] [scipy] [ffmpeg] [gst-rtsp-server] [pymodbus] [chromium] [playwright] [node-opcua] [mosquitto] [sparkplug-host] [nginx]
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(torchvision ffmpeg gst-rtsp-server pymodbus chromium playwright node-opcua mosquitto sparkplug-host nginx)
node_dir="$(cd "$(dirname "$0")/.." && pwd)/integration-tests/src/test/node"
npm_needed=false
node_opcua_needed=false
sparkplug_host_needed=false

missing=()
for tool in "${want[@]}"; do
  case "$tool" in
    torchvision) /usr/bin/python3 -c 'import torchvision, PIL, cv2, scipy' >/dev/null 2>&1 \
                || missing+=(python3-torchvision python3-pil python3-opencv python3-scipy) ;;
    scipy)    /usr/bin/python3 -c 'import scipy, numpy' >/dev/null 2>&1 || missing+=(python3-scipy python3-numpy) ;;
    ffmpeg)   command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg) ;;
    gst-rtsp-server) /usr/bin/python3 -c 'import gi; gi.require_version("Gst", "1.0"); gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer; Gst.init(None)
assert all(Gst.ElementFactory.find(e) for e in ("videotestsrc", "jpegenc", "rtpjpegpay", "openh264enc", "h264parse", "rtph264pay"))' \
                >/dev/null 2>&1 \
                || missing+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad) ;;
    pymodbus) /usr/bin/python3 -c 'import pymodbus, serial_asyncio' >/dev/null 2>&1 \
                || missing+=(python3-pymodbus python3-serial-asyncio) ;;
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    playwright) if [ ! -f "$node_dir/node_modules/playwright-core/package.json" ]; then
                  npm_needed=true
                  command -v npm >/dev/null 2>&1 || missing+=(npm)
                fi ;;
    node-opcua) node_opcua_needed=true
                command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
    mosquitto) [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
               command -v openssl >/dev/null 2>&1 || missing+=(openssl) ;;
    sparkplug-host) sparkplug_host_needed=true
                    command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
    nginx) [ -x /usr/sbin/nginx ] || missing+=(nginx) ;;
    *) echo "ensure-test-tools: unknown tool '$tool' (known: torchvision, scipy, ffmpeg, gst-rtsp-server, pymodbus, chromium, playwright, node-opcua, mosquitto, sparkplug-host, nginx)" >&2; exit 2 ;;
  esac
done

if [ ${#missing[@]} -gt 0 ]; then
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
fi

if [ "$npm_needed" = true ]; then
  # npm ci installs exactly the locked versions (package-lock.json) and nothing else.
  echo "ensure-test-tools: installing playwright-core with npm ci in $node_dir" >&2
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# Installs the locked npm packages of <repo>/<source folder> into a cache folder per lock file (the source tree stays
# clean, a changed lock gets a fresh install) and prints the node_modules path. --ignore-scripts: no package code
# runs at install time; none of these packages needs a build step.
npm_ci_cached() {
  local name="$1" src
  src="$(cd "$(dirname "$0")/.." && pwd)/$2"
  local dir="${LINESIGHT_TOOLS_CACHE:-$HOME/.cache/linesight}/$name/$(sha256sum "$src/package-lock.json" | cut -c1-16)"
  if [ ! -f "$dir/.installed" ]; then
    echo "ensure-test-tools: installing $name with npm ci in $dir" >&2
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    cp "$src/package.json" "$src/package-lock.json" "$dir.tmp/"
    (cd "$dir.tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    touch "$dir.tmp/.installed"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir/node_modules"
}

if [ "$node_opcua_needed" = true ]; then
  npm_ci_cached node-opcua bundles/scada-opcua/src/test/node
fi

if [ "$sparkplug_host_needed" = true ]; then
  # mqtt and sparkplug-payload
  npm_ci_cached sparkplug-host bundles/sparkplug/src/test/node
fi
