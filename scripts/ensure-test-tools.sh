#!/usr/bin/env bash
# Installs the external peers some tests talk to, if they are missing: Debian's ffmpeg (video files and
# live streams for the camera tests) and python3-pymodbus (an independent Modbus TCP server for the PLC
# interop test). Idempotent and quick when everything is present. Tests call it before they need a tool;
# run it by hand with no argument to install everything.
#
#   scripts/ensure-test-tools.sh [ffmpeg] [pymodbus]
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(ffmpeg pymodbus)

missing=()
for tool in "${want[@]}"; do
  case "$tool" in
    ffmpeg)   command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg) ;;
    pymodbus) /usr/bin/python3 -c 'import pymodbus, serial_asyncio' >/dev/null 2>&1 \
                || missing+=(python3-pymodbus python3-serial-asyncio) ;;
    *) echo "ensure-test-tools: unknown tool '$tool' (known: ffmpeg, pymodbus)" >&2; exit 2 ;;
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
