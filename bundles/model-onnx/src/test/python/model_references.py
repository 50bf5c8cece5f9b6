#!/usr/bin/python3
"""End-to-end references for ModelParityTest, made by PyTorch/torchvision/OpenCV themselves.

Writes into OUT (the only argument):
  images/<name>.png|.jpg        the photos of preprocessing_references.py (42 sizes, half PNG, half JPEG)
  decoded/<stem>.rgb            PIL's convert("RGB") of each
  classifiers/<pkg>/            model.onnx (a torchvision network exported by torch.onnx), model.json (the card,
                                with the recipe the network is fed with here) and expected.json: per image the
                                probabilities PyTorch computes from the tensor torchvision's transforms make
  scenes/<name>.png             dense retail shelves (models/sku-yolov5n/shelves.py), scaled to several sizes
  scenes/<name>.rgb             the same pixels, raw RGB
  scenes/<name>.f32             YOLOv5's letterbox of the scene (cv2.resize INTER_LINEAR + 114 padding, / 255),
                                the tensor YOLOv5's detect.py feeds the network (float32 CHW little endian)
  detectors/sku-yolov5n-cv2/    models/sku-yolov5n's network with a card asking for recipe cv2 and a low
                                confidence threshold (0.05), so that dense scenes give 200+ boxes
  index.json                    what is where

The networks are torchvision's own MobileNetV2 and MobileNetV3-small with 10 classes, initialised from a fixed
seed; the last layer is scaled so the logits spread (standard deviation 4 on these images) and the probabilities
are far from uniform, as a trained model's are: a preprocessing difference then shows in them.
"""
import hashlib
import json
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import torch
import torchvision
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import preprocessing_references as pr  # noqa: E402

REPO = Path(__file__).resolve().parents[5]
sys.path.insert(0, str(REPO / "models" / "sku-yolov5n"))
import shelves  # noqa: E402

torch.set_num_threads(1)
cv2.setNumThreads(1)
CLASSES = 10
LABELS = ["class-{}".format(i) for i in range(CLASSES)]

CLASSIFIERS = [
    # (package, network, recipe as the card says it, the torchvision transform that is that recipe)
    ("mobilenetv2-pil-bilinear", "mobilenet_v2",
     {"recipe": "pil", "resize": {"mode": "shorter", "size": 256, "interpolation": "bilinear"},
      "centerCrop": {"height": 224, "width": 224}},
     lambda img: T.Compose([T.Resize(256, interpolation=T.InterpolationMode.BILINEAR), T.CenterCrop(224),
                            T.ToTensor(), T.Normalize(pr.MEAN, pr.STD)])(img)),
    ("mobilenetv3s-pil-bicubic", "mobilenet_v3_small",
     {"recipe": "pil", "resize": {"mode": "shorter", "size": 256, "interpolation": "bicubic"},
      "centerCrop": {"height": 224, "width": 224}},
     lambda img: T.Compose([T.Resize(256, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(224),
                            T.ToTensor(), T.Normalize(pr.MEAN, pr.STD)])(img)),
    ("mobilenetv3s-torch-uint8-aa", "mobilenet_v3_small",
     {"recipe": "torch-tensor", "resize": {"mode": "shorter", "size": 256, "interpolation": "bilinear",
                                           "antialias": True, "input": "uint8"},
      "centerCrop": {"height": 224, "width": 224}},
     lambda img: F.normalize(F.convert_image_dtype(F.center_crop(
         F.resize(F.pil_to_tensor(img).contiguous(), 256, antialias=True), 224), torch.float32), pr.MEAN, pr.STD)),
]

# Shelves rendered on an 880x660 canvas (products at least 24 px there, 17 px at 640x480: still within what the
# network detects), the densest of the first 60 seeds (222-247 products), then scaled to each size.
SCENE_CANVAS = (880, 660)
SCENE_SEEDS = [5000002, 5000009, 5000010, 5000012, 5000001, 5000045]
SCENE_SIZES = [(640, 480), (1280, 960), (800, 600), (1000, 750), (1280, 720), (880, 660)]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def network(name, seed):
    torch.manual_seed(seed)
    return getattr(torchvision.models, name)(num_classes=CLASSES).eval()


def sharpen(model, batch):
    """Scales the last Linear layer so the logits on these images have standard deviation 4."""
    last = [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1]
    with torch.no_grad():
        spread = float(model(batch).std())
        last.weight.mul_(4.0 / spread)
        last.bias.mul_(4.0 / spread)


def card(name, pre, onnx_path):
    preprocessing = dict(pre)
    preprocessing.update({"scale": 1 / 255, "mean": pr.MEAN, "std": pr.STD, "channelOrder": "RGB"})
    return {"name": name, "version": "1.0.0", "task": "classify", "file": "model.onnx", "sha256": sha256(onnx_path),
            "input": {"name": "input", "layout": "NCHW", "height": 224, "width": 224, "dtype": "float32"},
            "preprocessing": preprocessing, "labels": LABELS,
            "postprocessing": {"softmax": True, "topK": 3}}


def write_classifiers(out, photos, decoded):
    entries = []
    for i, (name, arch, pre, transform) in enumerate(CLASSIFIERS):
        folder = out / "classifiers" / name
        folder.mkdir(parents=True)
        tensors = torch.stack([transform(decoded[p]) for p in photos])
        model = network(arch, 7 + i)
        sharpen(model, tensors)
        with torch.no_grad():
            probabilities = torch.softmax(model(tensors), dim=1).numpy()
        torch.onnx.export(model, tensors[:1], str(folder / "model.onnx"), input_names=["input"],
                          output_names=["logits"], opset_version=13,
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        (folder / "model.json").write_text(json.dumps(card(name, pre, folder / "model.onnx"), indent=1))
        expected = [{"stem": p, "probabilities": [float(v) for v in probabilities[k]]} for k, p in enumerate(photos)]
        (folder / "expected.json").write_text(json.dumps(expected))
        entries.append(name)
    return entries


def write_scenes(out):
    folder = out / "scenes"
    folder.mkdir()
    scenes = []
    shelves.WIDTH, shelves.HEIGHT = SCENE_CANVAS
    shelves.MAX_PRODUCTS = 400
    for seed, (w, h) in zip(SCENE_SEEDS, SCENE_SIZES):
        rgb, _ = shelves.render(seed)
        if (w, h) != (rgb.shape[1], rgb.shape[0]):
            shrink = w < rgb.shape[1]
            rgb = cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)
        name = "shelf-{}-{}x{}".format(seed, w, h)
        Image.fromarray(rgb).save(folder / (name + ".png"))
        (folder / (name + ".rgb")).write_bytes(np.ascontiguousarray(rgb).tobytes())
        canvas = pr.yolov5_letterbox(rgb, (320, 320))
        tensor = np.ascontiguousarray(canvas.transpose(2, 0, 1)).astype(np.float32) / np.float32(255)
        (folder / (name + ".f32")).write_bytes(tensor.astype("<f4").tobytes())
        scenes.append({"name": name, "width": w, "height": h})
    return scenes


def write_detector(out):
    source = REPO / "models" / "sku-yolov5n"
    folder = out / "detectors" / "sku-yolov5n-cv2"
    folder.mkdir(parents=True)
    shutil.copy(source / "model.onnx", folder / "model.onnx")
    card = json.loads((source / "model.json").read_text())
    card["name"] = "sku-yolov5n-cv2"
    card["preprocessing"]["recipe"] = "cv2"
    card["postprocessing"]["confidenceThreshold"] = 0.05
    (folder / "model.json").write_text(json.dumps(card, indent=1))
    return "sku-yolov5n-cv2"


def main(out):
    out = Path(out)
    for d in ("images", "decoded"):
        (out / d).mkdir(parents=True, exist_ok=True)
    names = pr.write_images(out)
    decoded = {}
    images = []
    for name in names:
        with Image.open(out / "images" / name) as f:
            rgb = f.convert("RGB")
        stem = name
        (out / "decoded" / (stem + ".rgb")).write_bytes(np.asarray(rgb, np.uint8).tobytes())
        decoded[stem] = rgb
        images.append({"file": name, "stem": stem, "width": rgb.width, "height": rgb.height, "mode": "RGB"})
    index = {"images": images, "classifiers": write_classifiers(out, names, decoded),
             "scenes": write_scenes(out), "detectors": [write_detector(out)]}
    (out / "index.json").write_text(json.dumps(index, indent=1))
    print("model references: {} classifiers on {} images, {} scenes in {}".format(
        len(index["classifiers"]), len(images), len(index["scenes"]), out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: model_references.py OUT_DIR")
    main(sys.argv[1])
