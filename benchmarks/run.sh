#!/bin/sh
# Runs the runner benchmark: raw ONNX Runtime vs the LineSight runner (plain and overlapped) vs DJL.
#   benchmarks/run.sh                      each preprocessing recipe on the hot path, from a 1280x720 frame:
#                                          MobileNetV2-224 (generated) with recipe pil (torchvision's Resize(256) +
#                                          CenterCrop(224) on PIL images: Pillow's antialiased bilinear) and with
#                                          torch-tensor (float32, no antialias: the recipe before pil, for comparison);
#                                          models/sku-yolov5n as shipped (torch-tensor, float letterbox) and with
#                                          recipe cv2 (YOLOv5's letterbox: cv2.resize INTER_LINEAR on uint8)
#   benchmarks/run.sh [options] PACKAGE... any model packages; options: --frames N --rounds R --threads T
# The recipe variants are card variants (card_variant.py) in target/models/, rewritten on every run; they link the
# model file (the card's sha256 is of the model file only).
# Builds what it needs (Maven profile "benchmarks": DJL and PyTorch natives, ~120 MB the first time).
# Run it on a quiet machine: every other process on the cores shows up in the figures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
mvn -B -q -Pbenchmarks -DskipTests install -pl benchmarks -am
mobilenet="$here/target/models/mobilenetv2-224"
if [ ! -f "$mobilenet/model.onnx" ]; then
    /usr/bin/python3 "$here/make_mobilenetv2_224.py" "$mobilenet"
fi
options=""
packages=""
while [ $# -gt 0 ]; do
    case "$1" in
        --frames|--rounds|--threads) options="$options $1 $2"; shift 2 ;;
        *) packages="$packages $1"; shift ;;
    esac
done
variant() { # variant SOURCE NAME PATCH: SOURCE's package with its card merged with PATCH, as target/models/NAME
    /usr/bin/python3 "$here/card_variant.py" "$1" "$here/target/models/$2" "$3"
    packages="$packages $here/target/models/$2"
}
if [ -z "$packages" ]; then
    variant "$mobilenet" mobilenetv2-224-pil \
        '{"preprocessing": {"recipe": "pil", "resize": {"interpolation": "bilinear", "antialias": null, "input": null}}}'
    variant "$mobilenet" mobilenetv2-224-torch-tensor \
        '{"preprocessing": {"recipe": "torch-tensor", "resize": {"interpolation": "bilinear", "antialias": false, "input": "float32"}}}'
    yolo="$root/models/sku-yolov5n"
    if [ -f "$yolo/model.json" ]; then
        packages="$packages $yolo"
        variant "$yolo" sku-yolov5n-cv2 '{"preprocessing": {"recipe": "cv2", "letterbox": {"interpolation": "bilinear"}}}'
    fi
fi
# A fixed heap, touched at start: the JVM otherwise grows its heap during the first minute and every first touch
# of a new heap page is a page fault inside the timed frames (expensive on a VM), which measured the detector's
# decode at 0.4-0.6 ms instead of 0.1-0.2 ms in some runs. A line running for more than a few minutes has its
# heap grown and touched; HEAP_OPTS="" measures the growing heap.
heap_opts=${HEAP_OPTS--Xms2g -Xmx2g -XX:+AlwaysPreTouch}
# Offline: DJL must use the PyTorch natives on the classpath, never download.
exec java $heap_opts ${JAVA_OPTS:-} -Dai.djl.offline=true -DPYTORCH_FLAVOR=cpu -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$here/target/classes:$here/target/lib/*" io.linesight.benchmarks.RunnerBenchmark $options $packages
