"""Writes the benchmark's MobileNetV2-224 package (torchvision mobilenet_v2, width 1.0, 1000 classes,
ImageNet's classic recipe: torchvision's Resize(256) + CenterCrop(224) on PIL images, card recipe "pil") to the
folder given as argument. benchmarks/run.sh measures it with other recipes through card variants (card_variant.py).

The weights are random (seed 0): no pretrained weights can be downloaded here, and ONNX Runtime's speed
does not depend on the weight values. Run with Debian's Python: /usr/bin/python3 make_mobilenetv2_224.py DIR
"""
import hashlib
import json
import os
import sys

try:
    import torch
    import torchvision
except ImportError as e:
    sys.exit(f"make_mobilenetv2_224: {e}; install Debian's python3-torch python3-torchvision and run /usr/bin/python3")

target = sys.argv[1] if len(sys.argv) > 1 else "target/models/mobilenetv2-224"
os.makedirs(target, exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(num_classes=1000).eval()
onnx_path = os.path.join(target, "model.onnx")
torch.onnx.export(model, torch.zeros(1, 3, 224, 224), onnx_path, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13)
digest = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
card = {
    "name": "mobilenetv2-224", "version": "0.0.0-benchmark", "task": "classify", "file": "model.onnx",
    "sha256": digest,
    "input": {"name": "input", "layout": "NCHW", "height": 224, "width": 224, "dtype": "float32"},
    "preprocessing": {
        "recipe": "pil",
        "resize": {"mode": "shorter", "size": 256, "interpolation": "bilinear"},
        "centerCrop": {"height": 224, "width": 224},
        "scale": 1 / 255, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "channelOrder": "RGB"},
    "labels": [f"class-{i}" for i in range(1000)],
    "postprocessing": {"softmax": True, "topK": 5},
    "provenance": {"data": "none: random weights (torch.manual_seed(0)), for speed measurements only"},
}
with open(os.path.join(target, "model.json"), "w") as f:
    json.dump(card, f, indent=2)
print("wrote", os.path.abspath(target))
