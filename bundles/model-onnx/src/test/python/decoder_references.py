#!/usr/bin/python3
"""Image files in the modes and JPEG variants preprocessing_references.py does not write, and what PIL decodes
them to, for ImageDecodingParityTest.

Writes into OUT (the only argument):
  images/modes/<name>.png   palette with one transparent entry and with an alpha per entry, a 4-bit palette,
                            bilevel (mode "1"), 16-bit RGB with arbitrary low bytes, 16-bit RGBA
  images/jpeg/<name>.jpg    JPEG variants: 4:4:4 and 4:2:2 subsampling, progressive, quality 50 and 100,
                            progressive grey, CMYK at quality 75
  decoded/<name>.rgb        what PIL decodes each file to after convert("RGB") (torchvision's pil_loader)
  index.json                the images (file, stem, width, height, mode) and no preprocessing cases

Nothing in this file knows how LineSight decodes anything.
"""
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image



def synthetic(width, height, seed):
    """Smooth colour gradients, hard-edged rectangles and noise: every JPEG block kind, every palette slot used."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.stack([127 + 100 * np.sin(x * rng.uniform(0.01, 0.08) + y * rng.uniform(0.01, 0.08) + c)
                    for c in range(3)], axis=2)
    for _ in range(8):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        img[y0:y0 + int(rng.integers(3, 30)), x0:x0 + int(rng.integers(3, 30))] = rng.integers(0, 256, 3)
    img += rng.normal(0, 8, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_modes(folder):
    rgb = synthetic(97, 71, 11)
    base = Image.fromarray(rgb, "RGB")
    palette = base.convert("P", palette=Image.ADAPTIVE, colors=64)
    palette.save(folder / "palette-transparency.png", transparency=3)
    palette.save(folder / "palette-alphas.png", transparency=bytes(range(0, 256, 4)))
    base.convert("P", palette=Image.ADAPTIVE, colors=16).save(folder / "palette-4bit.png", bits=4)
    base.convert("1").save(folder / "bilevel.png")
    rng = np.random.default_rng(12)
    sixteen = rgb[..., ::-1].astype(np.uint16) * 256 + rng.integers(0, 256, rgb.shape, dtype=np.uint16)
    cv2.imwrite(str(folder / "rgb16-low-bytes.png"), sixteen)
    alpha = rng.integers(0, 65536, rgb.shape[:2], dtype=np.uint16)[..., None]
    cv2.imwrite(str(folder / "rgba16.png"), np.concatenate([sixteen, alpha], axis=2))
    return ["modes/" + p.name for p in sorted(folder.iterdir())]


def write_jpegs(folder):
    base = Image.fromarray(synthetic(333, 217, 13), "RGB")
    base.save(folder / "subsampling-444.jpg", quality=90, subsampling=0)
    base.save(folder / "subsampling-422.jpg", quality=90, subsampling=1)
    base.save(folder / "progressive.jpg", quality=90, progressive=True)
    base.save(folder / "quality-50.jpg", quality=50)
    base.save(folder / "quality-100.jpg", quality=100)
    base.convert("L").save(folder / "grey-progressive.jpg", quality=90, progressive=True)
    base.convert("CMYK").save(folder / "cmyk-quality-75.jpg", quality=75)
    return ["jpeg/" + p.name for p in sorted(folder.iterdir())]


def main(out):
    out = Path(out)
    for d in ("images/modes", "images/jpeg", "decoded"):
        (out / d).mkdir(parents=True, exist_ok=True)
    names = write_modes(out / "images" / "modes") + write_jpegs(out / "images" / "jpeg")
    index = {"images": [], "cases": []}
    for name in names:
        with Image.open(out / "images" / name) as f:
            mode = f.mode
            rgb = f.convert("RGB")
        stem = name.replace("/", "_")
        (out / "decoded" / (stem + ".rgb")).write_bytes(np.asarray(rgb, np.uint8).tobytes())
        index["images"].append({"file": name, "stem": stem, "width": rgb.width, "height": rgb.height, "mode": mode})
    (out / "index.json").write_text(json.dumps(index, indent=1))
    print("decoder references: {} images in {}".format(len(names), out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: decoder_references.py OUT_DIR")
    main(sys.argv[1])
