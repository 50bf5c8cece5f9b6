#!/bin/sh
# Rebuilds one model package: models/train.sh <name> [train.py options]
# Installs the Debian Python packages the pipeline needs (only those not importable yet), then runs
# models/<name>/train.py with Debian's Python. Needs the camera simulator built (bundles/camera-sim).
set -eu

if [ $# -lt 1 ]; then
    echo "usage: models/train.sh <model-name> [train.py options]   e.g. models/train.sh defect-mobilenetv2" >&2
    exit 2
fi
name=$1
shift
models_dir=$(cd "$(dirname "$0")" && pwd)
script="$models_dir/$name/train.py"
if [ ! -f "$script" ]; then
    echo "train.sh: no training pipeline at $script" >&2
    exit 2
fi

python=/usr/bin/python3
if [ ! -x "$python" ]; then
    echo "train.sh: $python not found; install Debian's python3 (apt-get install -y python3)" >&2
    exit 2
fi

# module:package pairs; install only what is missing so a prepared machine is never touched.
missing=""
for pair in torch:python3-torch torchvision:python3-torchvision onnx:python3-onnx PIL:python3-pil cv2:python3-opencv sklearn:python3-sklearn; do
    module=${pair%%:*}
    package=${pair#*:}
    if ! "$python" -c "import $module" >/dev/null 2>&1; then
        missing="$missing $package"
    fi
done
if [ -n "$missing" ]; then
    echo "train.sh: installing$missing" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    # A fresh machine may have empty package lists: update once, then retry.
    $sudo apt-get install -y $missing || { $sudo apt-get update && $sudo apt-get install -y $missing; }
fi

exec "$python" "$script" "$@"
