#!/usr/bin/python3
"""Reference preprocessing made by the training stacks themselves, for PreprocessingParityTest.

Writes into OUT (the only argument):
  images/<name>.png|.jpg   test images of many sizes and aspect ratios (and, under modes/, PNG/JPEG files in
                           grey, palette, alpha, 16-bit and CMYK modes for the decoder check)
  decoded/<name>.rgb       what PIL decodes each file to after convert("RGB"): raw RGB bytes, row after row
  refs/<case>/<name>.u8    the 8-bit image each 8-bit recipe produces (resized and cropped, or letterboxed), HWC
  refs/<case>/<name>.f32   the model input tensor (float32 little endian, CHW): for every image of the float
                           recipes, and for the first TENSORS_PER_8BIT_CASE images of the 8-bit ones (their
                           tensor is the 8-bit image normalised; all of them would be 0.8 GB)
  index.json               the images (file, width, height) and the cases (id, the card's preprocessing,
                           the input size, whether an 8-bit image is compared)

Everything here is torchvision 0.14 transforms on PIL images and tensors, OpenCV's cv2.resize and YOLOv5's
letterbox (cv2.resize with INTER_LINEAR, then cv2.copyMakeBorder with 114, as utils/augmentations.py does).
Nothing in this file knows how LineSight computes anything.
"""
import json
import math
import sys
from pathlib import Path

import cv2
import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image

torch.set_num_threads(1)
cv2.setNumThreads(1)
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
TENSORS_PER_8BIT_CASE = 4

# (width, height): landscape, portrait, square, smaller than the model input, odd sizes, camera sizes.
SIZES = [(640, 480), (480, 640), (1280, 720), (720, 1280), (1920, 1080), (256, 256), (224, 224), (300, 300),
         (320, 240), (160, 120), (100, 80), (150, 200), (333, 517), (517, 333), (641, 479), (227, 229),
         (1000, 563), (97, 131), (455, 256), (256, 455), (800, 600), (1024, 768), (500, 375), (375, 500),
         (299, 299), (512, 384), (683, 512), (250, 250), (1280, 1024), (960, 540), (640, 360), (401, 301),
         (257, 255), (448, 448), (672, 224), (224, 672), (128, 96), (64, 64), (1600, 1200), (350, 263),
         (720, 480), (864, 486)]


def synthetic(width, height, seed):
    """A photo-like test image: smooth gradients, shapes with hard edges, fine stripes (alias-prone), noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.empty((height, width, 3), np.float32)
    for c in range(3):
        fx, fy = rng.uniform(0.002, 0.02, 2)
        img[..., c] = 127 + 90 * np.sin(x * fx + c) * np.cos(y * fy - c)
    stripes = (np.sin(x * rng.uniform(0.8, 2.5)) > 0) * rng.uniform(20, 60)
    img[: height // 3] += stripes[: height // 3, :, None]
    bgr = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(12):
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        cx, cy = int(rng.integers(0, width)), int(rng.integers(0, height))
        r = int(rng.integers(2, max(3, min(width, height) // 4)))
        if rng.random() < 0.5:
            cv2.circle(bgr, (cx, cy), r, colour, -1)
        else:
            cv2.rectangle(bgr, (cx - r, cy - r // 2), (cx + r, cy + r // 2), colour, -1)
    noise = rng.normal(0, 6, bgr.shape)
    return np.clip(bgr.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def write_images(out):
    images = []
    for i, (w, h) in enumerate(SIZES):
        rgb = synthetic(w, h, 1000 + i)
        ext = "jpg" if i % 2 else "png"
        name = "img{:02d}-{}x{}.{}".format(i, w, h, ext)
        pil = Image.fromarray(rgb, "RGB")
        if ext == "jpg":
            pil.save(out / "images" / name, quality=90)
        else:
            pil.save(out / "images" / name)
        images.append(name)
    return images


def write_mode_images(out):
    """Files in every mode a camera folder or an upload may bring, each converted by PIL's convert("RGB")."""
    rgb = synthetic(96, 72, 7)
    base = Image.fromarray(rgb, "RGB")
    folder = out / "images" / "modes"
    folder.mkdir(parents=True, exist_ok=True)
    base.convert("L").save(folder / "grey.png")
    base.convert("L").save(folder / "grey.jpg", quality=90)
    base.convert("P", palette=Image.ADAPTIVE, colors=64).save(folder / "palette.png")
    rgba = base.convert("RGBA")
    alpha = np.tile(np.linspace(0, 255, 96, dtype=np.uint8), (72, 1))
    rgba.putalpha(Image.fromarray(alpha, "L"))
    rgba.save(folder / "alpha.png")
    base.convert("LA").save(folder / "grey-alpha.png")
    base.convert("CMYK").save(folder / "cmyk.jpg", quality=90)
    sixteen = (np.asarray(base.convert("L"), np.uint16) * 257 + np.arange(96, dtype=np.uint16)).astype(np.uint16)
    cv2.imwrite(str(folder / "grey16.png"), sixteen)
    cv2.imwrite(str(folder / "rgb16.png"), (rgb[..., ::-1].astype(np.uint16) * 257))
    return ["modes/" + p.name for p in sorted(folder.iterdir())]


def pil_interpolation(name):
    return {"bilinear": T.InterpolationMode.BILINEAR, "bicubic": T.InterpolationMode.BICUBIC,
            "nearest": T.InterpolationMode.NEAREST}[name]


def resize_size(resize):
    return resize["size"] if resize["mode"] == "shorter" else [resize["height"], resize["width"]]


def crop(pre, inp):
    c = pre.get("centerCrop")
    return [c["height"], c["width"]] if c else None


def normalise(chw_float):
    return F.normalize(chw_float, MEAN, STD)


def case_pil(img, pre, inp):
    r = pre["resize"]
    out = F.resize(img, resize_size(r), interpolation=pil_interpolation(r["interpolation"]))
    if crop(pre, inp):
        out = F.center_crop(out, crop(pre, inp))
    window = np.asarray(out, np.uint8)
    return window, normalise(F.to_tensor(out))


def case_torch(img, pre, inp):
    r = pre["resize"]
    mode = pil_interpolation(r["interpolation"])
    if r["input"] == "uint8":
        # Contiguous CHW, as torchvision.io.read_image gives it. (PILToTensor alone gives a channels-last view, for
        # which torch 1.13 takes another interpolation kernel that rounds differently.)
        t = F.pil_to_tensor(img).contiguous()
        t = F.resize(t, resize_size(r), interpolation=mode, antialias=r["antialias"])
        if crop(pre, inp):
            t = F.center_crop(t, crop(pre, inp))
        window = t.permute(1, 2, 0).contiguous().numpy()
        return window, normalise(F.convert_image_dtype(t, torch.float32))
    t = F.to_tensor(img)
    t = F.resize(t, resize_size(r), interpolation=mode, antialias=r["antialias"])
    if crop(pre, inp):
        t = F.center_crop(t, crop(pre, inp))
    return None, normalise(t)


CV2_FLAGS = {"bilinear": cv2.INTER_LINEAR, "area": cv2.INTER_AREA, "nearest": cv2.INTER_NEAREST}


def case_cv2(img, pre, inp):
    r = pre["resize"]
    rgb = np.asarray(img, np.uint8)
    h, w = rgb.shape[:2]
    if r["mode"] == "fixed":
        size = (r["width"], r["height"])
    else:  # the same sizes torchvision computes for Resize(int)
        s = r["size"]
        size = (s, int(s * h / w)) if w <= h else (int(s * w / h), s)
    out = cv2.resize(rgb, size, interpolation=CV2_FLAGS[r["interpolation"]])
    if crop(pre, inp):
        ch, cw = crop(pre, inp)
        top = int(round((out.shape[0] - ch) / 2.0))
        left = int(round((out.shape[1] - cw) / 2.0))
        out = out[top:top + ch, left:left + cw]
    window = np.ascontiguousarray(out)
    return window, normalise(torch.from_numpy(window).permute(2, 0, 1).float().div(255))


def yolov5_letterbox(im, new_shape, color=(114, 114, 114)):
    """YOLOv5's letterbox (utils/augmentations.py) with auto=False, scaleFill=False, scaleup=True."""
    shape = im.shape[:2]
    r = min(new_shape[0] / shape[0], new_shape[1] / shape[1])
    new_unpad = int(round(shape[1] * r)), int(round(shape[0] * r))
    dw, dh = new_shape[1] - new_unpad[0], new_shape[0] - new_unpad[1]
    dw /= 2
    dh /= 2
    if shape[::-1] != new_unpad:
        im = cv2.resize(im, new_unpad, interpolation=cv2.INTER_LINEAR)
    top, bottom = int(round(dh - 0.1)), int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)), int(round(dw + 0.1))
    return cv2.copyMakeBorder(im, top, bottom, left, right, cv2.BORDER_CONSTANT, value=color)


def case_yolov5(img, pre, inp):
    box = pre["letterbox"]
    rgb = np.asarray(img, np.uint8)
    canvas = yolov5_letterbox(rgb, (box["height"], box["width"]), (box["padValue"],) * 3)
    # YOLOv5 detect.py: HWC to CHW, then im.float() / 255
    return canvas, torch.from_numpy(np.ascontiguousarray(canvas.transpose(2, 0, 1))).float() / 255


def imagenet(recipe, interpolation, mode="shorter", size=256, crop_size=224, **extra):
    resize = {"mode": mode, "interpolation": interpolation}
    if mode == "shorter":
        resize["size"] = size
    else:
        resize["height"], resize["width"] = size
    resize.update(extra)
    pre = {"recipe": recipe, "resize": resize,
           "centerCrop": {"height": crop_size, "width": crop_size} if crop_size else None,
           "scale": 1 / 255, "mean": MEAN, "std": STD, "channelOrder": "RGB"}
    return pre


CASES = [
    ("pil-bilinear-256-224", imagenet("pil", "bilinear"), case_pil),
    ("pil-bicubic-256-224", imagenet("pil", "bicubic"), case_pil),
    ("pil-nearest-256-224", imagenet("pil", "nearest"), case_pil),
    ("pil-bilinear-fixed-224", imagenet("pil", "bilinear", "fixed", (224, 224), None), case_pil),
    ("pil-bicubic-fixed-240x320", imagenet("pil", "bicubic", "fixed", (240, 320), None), case_pil),
    ("torch-uint8-bilinear-aa-256-224", imagenet("torch-tensor", "bilinear", input="uint8", antialias=True), case_torch),
    ("torch-uint8-bilinear-256-224", imagenet("torch-tensor", "bilinear", input="uint8", antialias=False), case_torch),
    ("torch-uint8-nearest-fixed-224", imagenet("torch-tensor", "nearest", "fixed", (224, 224), None, input="uint8",
                                               antialias=False), case_torch),
    ("torch-float-bilinear-256-224", imagenet("torch-tensor", "bilinear", input="float32", antialias=False), case_torch),
    ("torch-float-bilinear-aa-256-224", imagenet("torch-tensor", "bilinear", input="float32", antialias=True),
     case_torch),
    ("cv2-linear-fixed-224", imagenet("cv2", "bilinear", "fixed", (224, 224), None), case_cv2),
    ("cv2-area-fixed-224", imagenet("cv2", "area", "fixed", (224, 224), None), case_cv2),
    ("cv2-nearest-fixed-224", imagenet("cv2", "nearest", "fixed", (224, 224), None), case_cv2),
    ("cv2-linear-256-224", imagenet("cv2", "bilinear"), case_cv2),
    ("yolov5-letterbox-320", {"recipe": "cv2", "letterbox": {"height": 320, "width": 320, "padValue": 114},
                              "scale": 1 / 255, "channelOrder": "RGB"}, case_yolov5),
    ("yolov5-letterbox-640", {"recipe": "cv2", "letterbox": {"height": 640, "width": 640, "padValue": 114},
                              "scale": 1 / 255, "channelOrder": "RGB"}, case_yolov5),
]


def main(out):
    out = Path(out)
    for d in ("images", "decoded", "refs"):
        (out / d).mkdir(parents=True, exist_ok=True)
    images = write_images(out) + write_mode_images(out)
    index = {"images": [], "cases": []}
    decoded = {}
    for name in images:
        with Image.open(out / "images" / name) as f:
            rgb = f.convert("RGB")
        stem = name.replace("/", "_")
        (out / "decoded" / (stem + ".rgb")).write_bytes(np.asarray(rgb, np.uint8).tobytes())
        index["images"].append({"file": name, "stem": stem, "width": rgb.width, "height": rgb.height,
                                "mode": Image.open(out / "images" / name).mode})
        decoded[stem] = rgb
    photos = [e for e in index["images"] if not e["file"].startswith("modes/")]
    for case_id, pre, fn in CASES:
        folder = out / "refs" / case_id
        folder.mkdir(exist_ok=True)
        has_window = None
        for i, e in enumerate(photos):
            window, tensor = fn(decoded[e["stem"]], pre, None)
            has_window = window is not None
            if has_window:
                (folder / (e["stem"] + ".u8")).write_bytes(np.ascontiguousarray(window, np.uint8).tobytes())
            if not has_window or i < TENSORS_PER_8BIT_CASE:
                (folder / (e["stem"] + ".f32")).write_bytes(tensor.contiguous().numpy().astype("<f4").tobytes())
        shape = list(tensor.shape)
        index["cases"].append({"id": case_id, "preprocessing": pre, "tensorShape": shape, "window": has_window})
    (out / "index.json").write_text(json.dumps(index, indent=1))
    print("references: {} images ({} photos), {} cases in {}".format(len(images), len(photos), len(CASES), out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: preprocessing_references.py OUT_DIR")
    main(sys.argv[1])
