#!/usr/bin/python3
"""Builds the sku-yolov5n model packages: dense retail-shelf detection in the style of SKU110K.

Steps: render the synthetic shelf datasets (shelves.py, fixed seeds), train our YOLOv5n (yolo.py)
from scratch, export it like YOLOv5's ONNX export (onnxtools.py) in three variants, each a
self-contained package folder:

    models/sku-yolov5n        FP32, the main package
    models/sku-yolov5n-fp16   float16 end to end (input and output too, like YOLOv5 --half)
    models/sku-yolov5n-int8   static INT8 in QDQ form, calibrated on 100 training images

then, per variant, the golden set with reference detections computed by ONNX Runtime
(models/tools/ort) on the card's preprocessing (detection.py), the golden metrics (metrics.py, as
YOLOv5's val.py), the gate, and the model card. Run it through the wrapper:

    models/train.sh sku-yolov5n               full build (data, training, packages)
    models/train.sh sku-yolov5n --package-only  rebuild the packages from the saved weights
    models/train.sh sku-yolov5n --smoke       tiny end-to-end run into <data-dir>/sku-yolov5n/smoke/

Rendered data and trained weights go to <data-dir>/sku-yolov5n/ (default /tmp/linesight-data, or
$LINESIGHT_DATA_DIR), never into git; both are reused when their settings match.
"""

import argparse
import hashlib
import importlib
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
MODELS_DIR = PACKAGE_DIR.parent
REPO_DIR = MODELS_DIR.parent

NAME = "sku-yolov5n"
VERSION = "0.2.0"
LABELS = ["product"]
SIZE = 320
VARIANTS = ("fp32", "fp16", "int8")
PACKAGE_NAMES = {"fp32": NAME, "fp16": NAME + "-fp16", "int8": NAME + "-int8"}

# Splits: disjoint seed ranges (image i of a split is rendered with seed first + i).
SPLITS = {
    "train": {"first": 1_000_000, "count": 2000},
    "val": {"first": 2_000_000, "count": 100},
    "golden": {"first": 3_000_000, "count": 50},
    "test": {"first": 4_000_000, "count": 200},
}
CALIBRATION_IMAGES = 100  # the first training images
SMOKE_SPLITS = {"train": 16, "val": 6, "golden": 4, "test": 6}

# Training
EPOCHS = 20
BATCH = 8
LR = 2e-3
WEIGHT_DECAY = 5e-4
WARMUP_STEPS = 40
EMA_DECAY, EMA_TAU = 0.99, 30
HEIGHTS = (256, 288, 320)  # training canvas heights (width 320); the 320x240 image at a random row offset
SEED = 20240611
THREADS = 2

# Deployment settings on the card (YOLOv5 detect.py defaults, max 300 boxes for dense shelves).
CONF_THRESHOLD = 0.25
IOU_THRESHOLD = 0.45
MAX_DETECTIONS = 300
INT8_MODE = "full"  # onnxtools.calibration_tensors(); "conv" is built and measured for the report only
GATE_MIN_MAP50 = 0.80  # on golden/, with val settings (conf 0.001, IoU 0.6); the 0.1.0 build reached 0.843-0.846
LATENCY_BUDGET_MS = 100
MAX_ORT_EAGER_DIFF = 0.05  # |ONNX Runtime fp32 - eager PyTorch| on the output, input pixels / scores


def fail(message):
    print("train.py: " + message, file=sys.stderr)
    sys.exit(2)


def import_dependencies():
    missing = []
    for module, package in [("numpy", "python3-numpy"), ("torch", "python3-torch"), ("onnx", "python3-onnx"),
                            ("cv2", "python3-opencv")]:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing:
        fail("missing Python modules; install them with: apt-get install -y " + " ".join(missing)
             + " (models/train.sh does this for you)")
    if shutil.which("java") is None:
        fail("java not found on PATH; models/tools/ort (ONNX Runtime) needs it")


import_dependencies()

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(PACKAGE_DIR))
import detection  # noqa: E402
import metrics  # noqa: E402
import onnxtools  # noqa: E402
import shelves  # noqa: E402
from yolo import YoloLoss, YoloV5n  # noqa: E402


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_head():
    try:
        return subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        fail("cannot read the pipeline commit (git rev-parse HEAD): " + str(e))


# --------------------------------------------------------------------------------------------- data

def generator_version():
    return sha256(PACKAGE_DIR / "shelves.py")[:16]


def _render(seed):
    cv2.setNumThreads(1)
    return shelves.render(seed)


def rendered(seeds):
    """(seed, rgb, boxes) for each seed, rendered by two worker processes (the machine has 2 cores)."""
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for seed, (rgb, boxes) in zip(seeds, pool.imap(_render, seeds, chunksize=8)):
            yield seed, rgb, boxes


def render_split(name, spec, data_dir):
    """Writes a YOLO dataset (images/*.png, labels/*.txt) unless a complete one with the same stamp exists.
    Golden images (committed) get the strongest PNG compression, the others a fast one."""
    directory = data_dir / "{}-{}-n{}".format(name, spec["first"], spec["count"])
    stamp = {"first": spec["first"], "count": spec["count"], "generator": generator_version()}
    stamp_file = directory / "dataset.json"
    if stamp_file.is_file() and json.loads(stamp_file.read_text()) == stamp:
        log("reusing", directory)
        return directory
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "images").mkdir(parents=True)
    (directory / "labels").mkdir()
    log("rendering {} {} images (seeds {}..{}) into {}".format(spec["count"], name, spec["first"],
                                                              spec["first"] + spec["count"] - 1, directory))
    level = 9 if name == "golden" else 3
    for seed, rgb, boxes in rendered(range(spec["first"], spec["first"] + spec["count"])):
        stem = "shelf-{}".format(seed)
        cv2.imwrite(str(directory / "images" / (stem + ".png")), rgb[..., ::-1], [cv2.IMWRITE_PNG_COMPRESSION, level])
        (directory / "labels" / (stem + ".txt")).write_text(shelves.yolo_labels(boxes))
    stamp_file.write_text(json.dumps(stamp))
    return directory


def list_dataset(directory):
    images = sorted((directory / "images").glob("*.png"))
    if not images:
        fail("no images in " + str(directory / "images"))
    return images


def read_rgb(path):
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        fail("cannot read image " + str(path))
    return np.ascontiguousarray(bgr[..., ::-1])


def read_labels(image_path, width, height):
    """YOLO txt next to the image (../labels/<stem>.txt) -> classes [n], boxes [n, 4] x1y1x2y2 pixels."""
    txt = image_path.parent.parent / "labels" / (image_path.stem + ".txt")
    rows = np.loadtxt(str(txt), ndmin=2) if txt.stat().st_size else np.zeros((0, 5))
    cls = rows[:, 0].astype(np.int64)
    cx, cy, w, h = rows[:, 1] * width, rows[:, 2] * height, rows[:, 3] * width, rows[:, 4] * height
    return cls, np.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), 1)


def load_inputs(images):
    """Card preprocessing of every image: float32 [n, 3, S, S], geometries, sizes."""
    xs, geometries = [], []
    for path in images:
        x, g = detection.letterbox(read_rgb(path), SIZE)
        xs.append(x)
        geometries.append(g)
    return torch.stack(xs), geometries


def training_set(spec, data_dir):
    """The training images exactly as the letterbox produces them from the rendered 640x480 frames (kept as
    float16 [n, 3, 240, 320]: the scaled image without its padding) and their boxes in input pixels.
    Rendered straight into memory (no PNG round trip: lossless, so identical) and cached as one .npz."""
    cache = data_dir / "train-{}-n{}.npz".format(spec["first"], spec["count"])
    stamp = json.dumps({"first": spec["first"], "count": spec["count"], "generator": generator_version(),
                        "size": SIZE})
    # A cache of the same generator with at least as many images starting at the same seed serves too.
    for candidate in sorted(data_dir.glob("train-{}-n*.npz".format(spec["first"]))):
        with np.load(str(candidate), allow_pickle=False) as z:
            have = json.loads(str(z["stamp"]))
            want = json.loads(stamp)
            if {k: v for k, v in have.items() if k != "count"} == {k: v for k, v in want.items() if k != "count"} \
                    and have["count"] >= spec["count"]:
                log("reusing", candidate, "(first {} images)".format(spec["count"]))
                counts = z["counts"][:spec["count"]]
                boxes = np.split(z["boxes"][:int(counts.sum())], np.cumsum(counts)[:-1])
                return torch.from_numpy(z["images"][:spec["count"]]), boxes
    log("rendering {} training images (seeds {}..{}) into {}".format(spec["count"], spec["first"],
                                                                    spec["first"] + spec["count"] - 1, cache))
    xs, all_boxes = None, []
    for k, (seed, rgb, boxes) in enumerate(rendered(range(spec["first"], spec["first"] + spec["count"]))):
        x, g = detection.letterbox(rgb, SIZE)
        region = x[:, g.top:g.top + g.resized_h, g.left:g.left + g.resized_w].to(torch.float16)
        if xs is None:
            xs = torch.empty((spec["count"],) + tuple(region.shape), dtype=torch.float16)
        xs[k] = region
        all_boxes.append((boxes * g.r).astype(np.float32))
        if (k + 1) % 500 == 0:
            log("  {} rendered".format(k + 1))
    counts = np.array([len(b) for b in all_boxes])
    cache.parent.mkdir(parents=True, exist_ok=True)  # a fresh machine has no data folder yet
    np.savez(str(cache), images=xs.numpy(), boxes=np.concatenate(all_boxes), counts=counts, stamp=stamp)
    return xs, all_boxes


def calibration_inputs(images, count):
    """The first training images on the full letterboxed canvas (pad 114, image centred as the card does)."""
    _, _, h, w = images.shape
    g = detection.Geometry(shelves.WIDTH, shelves.HEIGHT, SIZE, SIZE)
    x = torch.full((count, 3, SIZE, SIZE), np.float32(detection.PAD_VALUE) / np.float32(255.0))
    x[:, :, g.top:g.top + h, g.left:g.left + w] = images[:count].to(torch.float32)
    return x


# ----------------------------------------------------------------------------------------- training

def seed_everything(seed):
    import random
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    torch.manual_seed(seed)


def make_batch(images, boxes, index, gen):
    """Augmented batch: a random canvas height from HEIGHTS with the 320x240 image at a random row offset
    (grey 114 around it), horizontal flips, brightness gain and, on some images, sensor noise."""
    height = HEIGHTS[int(torch.randint(len(HEIGHTS), (1,), generator=gen))]
    n = len(index)
    _, _, h, w = images.shape
    canvas = torch.full((n, 3, height, w), 114.0 / 255.0)
    targets = []
    for k, i in enumerate(index.tolist()):
        img = images[i].to(torch.float32)
        b = boxes[i].copy()
        if float(torch.rand(1, generator=gen)) < 0.5:
            img = img.flip(2)
            b[:, [0, 2]] = w - b[:, [2, 0]]
        gain = 0.75 + 0.5 * float(torch.rand(1, generator=gen))
        img = img * gain
        if float(torch.rand(1, generator=gen)) < 0.3:
            sigma = (1 + 4 * float(torch.rand(1, generator=gen))) / 255.0
            img = img + torch.randn(img.shape, generator=gen) * sigma
        oy = int(torch.randint(height - h + 1, (1,), generator=gen))
        canvas[k, :, oy:oy + h] = img.clamp(0, 1)
        if len(b):
            cx = (b[:, 0] + b[:, 2]) / 2 / w
            cy = ((b[:, 1] + b[:, 3]) / 2 + oy) / height
            bw = (b[:, 2] - b[:, 0]) / w
            bh = (b[:, 3] - b[:, 1]) / height
            t = np.stack((np.full(len(b), k), np.zeros(len(b)), cx, cy, bw, bh), 1)
            targets.append(torch.from_numpy(t.astype(np.float32)))
    targets = torch.cat(targets) if targets else torch.zeros(0, 6)
    return canvas.contiguous(memory_format=torch.channels_last), targets


class Ema:
    """Exponential moving average of the weights (YOLOv5's ModelEMA, with a ramp for short runs)."""

    def __init__(self, model):
        self.model = YoloV5n(len(LABELS))
        self.model.load_state_dict(model.state_dict())
        self.model.eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.updates = 0

    def update(self, model):
        self.updates += 1
        d = EMA_DECAY * (1 - math.exp(-self.updates / EMA_TAU))
        with torch.no_grad():
            msd = model.state_dict()
            for k, v in self.model.state_dict().items():
                if v.dtype.is_floating_point:
                    v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
                else:
                    v.copy_(msd[k])


def parameter_groups(model):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.ndim == 4 else no_decay).append(p)  # conv weights decay; BN and biases do not
    return [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}]


def predict_eager(model, x, batch=10):
    outs = []
    with torch.no_grad():
        for s in range(0, len(x), batch):
            outs.append(model(x[s:s + batch].contiguous(memory_format=torch.channels_last)))
    return torch.cat(outs).numpy()


def evaluate_outputs(outputs, geometries, labels):
    """metrics.py on raw outputs [n, rows, 6] with val settings; boxes compared in original pixels."""
    ev = metrics.Evaluator()
    for out, g, (lcls, lboxes) in zip(outputs, geometries, labels):
        boxes, conf, cls = detection.decode(out, metrics.VAL_CONF, metrics.VAL_IOU, metrics.VAL_MAX_DET)
        ev.add(g.to_frame(boxes), conf, cls, lboxes, lcls)
    return ev.result()


class Split:
    """An evaluation split loaded with the card's preprocessing."""

    def __init__(self, directory):
        self.directory = directory
        self.images = list_dataset(directory)
        self.x, self.geometries = load_inputs(self.images)
        self.labels = [read_labels(p, g.frame_w, g.frame_h) for p, g in zip(self.images, self.geometries)]


def train(images, boxes, val, epochs, out_dir):
    seed_everything(SEED)
    model = YoloV5n(len(LABELS)).to(memory_format=torch.channels_last)
    ema = Ema(model)
    loss_fn = YoloLoss(model, image_size=SIZE)
    optimizer = torch.optim.AdamW(parameter_groups(model), lr=LR, betas=(0.937, 0.999))
    steps_per_epoch = math.ceil(len(images) / BATCH)
    total = steps_per_epoch * epochs

    def lr_at(step):
        if step < WARMUP_STEPS:
            return LR * (step + 1) / WARMUP_STEPS
        progress = (step - WARMUP_STEPS) / max(1, total - WARMUP_STEPS)
        return LR * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))

    gen = torch.Generator().manual_seed(SEED)
    history = []
    wall0, cpu0 = time.monotonic(), time.process_time()
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(images), generator=gen)
        sums = torch.zeros(3)
        for s in range(0, len(order), BATCH):
            xb, tb = make_batch(images, boxes, order[s:s + BATCH], gen)
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step)
            loss, parts = loss_fn(model(xb), tb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            optimizer.step()
            ema.update(model)
            sums += parts
            step += 1
            if step % 25 == 0:
                log("epoch {} step {}/{}: box {:.4f} obj {:.4f} ({:.0f} s)".format(
                    epoch, step, total, float(parts[0]), float(parts[1]), time.monotonic() - wall0))
        result = evaluate_outputs(predict_eager(ema.model, val.x), val.geometries, val.labels)
        n = math.ceil(len(images) / BATCH)
        entry = {"epoch": epoch, "box": round(float(sums[0]) / n, 5), "obj": round(float(sums[1]) / n, 5),
                 "valMap50": round(result["mAP50"], 4), "valMap50_95": round(result["mAP50-95"], 4),
                 "seconds": round(time.monotonic() - wall0, 1), "cpuSeconds": round(time.process_time() - cpu0, 1)}
        history.append(entry)
        log("epoch {}/{} done: {}".format(epoch, epochs, json.dumps(entry)))
        # Saved after every epoch, so a run cut short can still be packaged (--package-only) and says so.
        info = {"epochs": epoch, "plannedEpochs": epochs, "images": len(images), "batch": BATCH, "lr": LR,
                "seed": SEED, "history": history, "trainingSeconds": round(time.monotonic() - wall0, 1),
                "trainingCpuSeconds": round(time.process_time() - cpu0, 1)}
        out_dir.mkdir(parents=True, exist_ok=True)
        torch.save(ema.model.state_dict(), str(out_dir / "weights.pt"))
        (out_dir / "weights.json").write_text(json.dumps(info, indent=1) + "\n")
    return info


# ------------------------------------------------------------------------------------------ package

def ort_outputs(onnx_path, x, workdir, chunk=50):
    outs = []
    for s in range(0, len(x), chunk):
        outs.append(onnxtools.ort_run(onnx_path, x[s:s + chunk].numpy(), workdir)["output0"])
    return np.concatenate(outs)


def expected_entries(outputs, split):
    entries = []
    for out, g, path in zip(outputs, split.geometries, split.images):
        boxes, conf, cls = detection.decode(out, CONF_THRESHOLD, IOU_THRESHOLD, MAX_DETECTIONS)
        frame = g.to_frame(boxes)
        dets = [{"classIndex": int(c), "label": LABELS[int(c)], "confidence": round(float(p), 6),
                 "x1": round(float(b[0]), 4), "y1": round(float(b[1]), 4),
                 "x2": round(float(b[2]), 4), "y2": round(float(b[3]), 4)} for b, p, c in zip(frame, conf, cls)]
        entries.append({"file": "images/" + path.name, "width": g.frame_w, "height": g.frame_h, "detections": dets})
    return entries


def eager_latency(model, runs=50):
    x = torch.rand(1, 3, SIZE, SIZE)
    times = []
    with torch.no_grad():
        for i in range(runs + 10):
            t = time.perf_counter()
            model(x)
            if i >= 10:
                times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times))


def bench(weights_dir, out_root, rounds=5, runs=200):
    """Latency of the three packaged files (ONNX Runtime, 2 threads) and of the eager FP32 model, in one run:
    `rounds` interleaved rounds (fp32, fp16, int8, int8-conv, eager), the median of each round's median is
    reported, which damps the load other jobs put on the shared machine."""
    model = YoloV5n(len(LABELS))
    model.load_state_dict(torch.load(str(weights_dir / "weights.pt")))
    model.eval().fuse()
    files = {v: out_root / PACKAGE_NAMES[v] / "model.onnx" for v in VARIANTS}
    conv_only = weights_dir / "stage" / "int8-conv" / "model.onnx"
    if conv_only.is_file():
        files["int8-conv"] = conv_only
    per_round = {k: [] for k in list(files) + ["eager-fp32"]}
    for r in range(rounds):
        for v, f in files.items():
            per_round[v].append(onnxtools.ort_latency(f, runs=runs)["median_ms"])
        per_round["eager-fp32"].append(eager_latency(model, runs=max(20, runs // 4)))
        log("latency round {}: {}".format(r + 1, {k: round(v[-1], 2) for k, v in per_round.items()}))
    result = {"rounds": per_round, "medianMs": {k: float(np.median(v)) for k, v in per_round.items()},
              "runsPerRound": runs, "threads": THREADS, "loadavg": os.getloadavg()}
    (weights_dir / "bench.json").write_text(json.dumps(result, indent=1) + "\n")
    log("latency medians (ms):", json.dumps(result["medianMs"]))
    return result


def card(variant, onnx_path, provenance, dtype):
    return {
        "name": PACKAGE_NAMES[variant],
        "version": VERSION,
        "task": "detect",
        "file": onnx_path.name,
        "sha256": sha256(onnx_path),
        "input": {"name": "images", "layout": "NCHW", "height": SIZE, "width": SIZE, "dtype": dtype},
        "preprocessing": {"recipe": "torch-tensor",
                          "letterbox": {"height": SIZE, "width": SIZE, "padValue": detection.PAD_VALUE},
                          "scale": 1.0 / 255.0, "channelOrder": "RGB"},
        "labels": LABELS,
        "postprocessing": {"confidenceThreshold": CONF_THRESHOLD, "iouThreshold": IOU_THRESHOLD,
                           "maxDetections": MAX_DETECTIONS},
        "gate": {"minMap50": GATE_MIN_MAP50, "latencyBudgetMs": LATENCY_BUDGET_MS},
        "provenance": provenance,
    }


def dataset_description(splits_spec):
    parts = ", ".join("{} seeds {}-{}".format(k, v["first"], v["first"] + v["count"] - 1)
                      for k, v in splits_spec.items())
    return ("synthetic SKU110K-like retail shelves (models/sku-yolov5n/shelves.py, generator {}), 640x480, "
            "one class; {}").format(generator_version(), parts)


def package(args, splits, train_images, weights_dir, out_root, gate, commit):
    info = json.loads((weights_dir / "weights.json").read_text())
    model = YoloV5n(len(LABELS))
    model.load_state_dict(torch.load(str(weights_dir / "weights.pt")))
    model.eval().fuse()
    stage = weights_dir / "stage"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    work = weights_dir / "work"
    work.mkdir(exist_ok=True)

    golden = Split(splits["golden"])
    test = Split(splits["test"])
    calib_x = calibration_inputs(train_images, min(CALIBRATION_IMAGES, len(train_images)))

    paths = {v: stage / v / "model.onnx" for v in VARIANTS}
    for p in paths.values():
        p.parent.mkdir(parents=True)
    log("exporting FP32")
    proto = onnxtools.export_fp32(model, SIZE, paths["fp32"], LABELS)
    ops = sorted({n.op_type for n in proto.graph.node})
    log("ops:", ops)
    log("converting to FP16")
    onnxtools.to_fp16(paths["fp32"], paths["fp16"])
    log("calibrating INT8 on {} training images".format(len(calib_x)))
    ranges = onnxtools.calibrate(paths["fp32"], calib_x.numpy(), work, mode=INT8_MODE)
    onnxtools.quantize_qdq(paths["fp32"], ranges, paths["int8"])
    # The lighter QDQ placement (Conv inputs/outputs only), measured for the report, not packaged.
    conv_only = stage / "int8-conv" / "model.onnx"
    conv_only.parent.mkdir()
    names = set(onnxtools.calibration_tensors(proto.graph, "conv"))
    onnxtools.quantize_qdq(paths["fp32"], {k: v for k, v in ranges.items() if k in names}, conv_only)

    eager_golden = predict_eager(model, golden.x)
    eager_test = predict_eager(model, test.x)
    results = {"variants": {}, "eagerTest": evaluate_outputs(eager_test, test.geometries, test.labels),
               "eagerGolden": evaluate_outputs(eager_golden, golden.geometries, golden.labels)}
    per_variant = {}
    paths["int8-conv"] = conv_only
    for v in VARIANTS + ("int8-conv",):
        log("running", v, "in ONNX Runtime on golden and test")
        out_golden = ort_outputs(paths[v], golden.x, work)
        out_test = ort_outputs(paths[v], test.x, work)
        diff = np.abs(out_golden - eager_golden)
        r = {"bytes": paths[v].stat().st_size,
             "golden": evaluate_outputs(out_golden, golden.geometries, golden.labels),
             "test": evaluate_outputs(out_test, test.geometries, test.labels),
             "maxDiffVsEager": {"xywh": float(diff[..., :4].max()), "scores": float(diff[..., 4:].max())}}
        if v == "fp32" and max(r["maxDiffVsEager"].values()) > MAX_ORT_EAGER_DIFF:
            fail("ONNX Runtime FP32 output and eager PyTorch disagree: {}".format(r["maxDiffVsEager"]))
        per_variant[v] = out_golden
        results["variants"][v] = r
        log(v, json.dumps({k: r[k] for k in ("bytes", "maxDiffVsEager")}), "golden mAP50 {:.4f} test mAP50 {:.4f}"
            .format(r["golden"]["mAP50"], r["test"]["mAP50"]))
    log("latency (ONNX Runtime, 2 threads, same run)")
    for v in VARIANTS + ("int8-conv",):
        results["variants"][v]["ortLatency"] = onnxtools.ort_latency(paths[v], runs=args.latency_runs)
        log(v, results["variants"][v]["ortLatency"])
    results["eagerLatencyMs"] = eager_latency(model, runs=max(10, args.latency_runs // 4))
    log("eager PyTorch FP32 median ms", results["eagerLatencyMs"])

    for v in VARIANTS:
        m50 = results["variants"][v]["golden"]["mAP50"]
        if m50 < gate:
            fail("{}: golden mAP50 {:.4f} is below the card's gate {}; no package written".format(v, m50, gate))

    precision = {"fp32": "fp32", "fp16": "fp16", "int8": "int8"}
    for v in VARIANTS:
        r = results["variants"][v]
        target = out_root / PACKAGE_NAMES[v]
        target.mkdir(parents=True, exist_ok=True)
        for old in ("model.onnx", "model.json", "golden"):
            p = target / old
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        shutil.copyfile(paths[v], target / "model.onnx")
        gdir = target / "golden"
        (gdir / "images").mkdir(parents=True)
        (gdir / "labels").mkdir()
        for img in golden.images:
            shutil.copyfile(img, gdir / "images" / img.name)
            shutil.copyfile(img.parent.parent / "labels" / (img.stem + ".txt"), gdir / "labels" / (img.stem + ".txt"))
        entries = expected_entries(per_variant[v], golden)
        (gdir / "expected.json").write_text("[\n" + ",\n".join(" " + json.dumps(e) for e in entries) + "\n]\n")
        g = r["golden"]
        (gdir / "metrics.json").write_text(json.dumps({
            "settings": {"confidenceThreshold": metrics.VAL_CONF, "iouThreshold": metrics.VAL_IOU,
                         "maxDetections": metrics.VAL_MAX_DET, "iouThresholds": "0.50:0.05:0.95"},
            "images": g["images"], "labels": g["labels"], "predictions": g["predictions"],
            "precision": round(g["precision"], 6), "recall": round(g["recall"], 6), "mAP50": round(g["mAP50"], 6),
            "mAP50-95": round(g["mAP50-95"], 6), "f1": round(g["f1"], 6),
            "f1Confidence": round(g["f1Confidence"], 6)}, indent=1) + "\n")
        provenance = {
            "data": dataset_description(args.splits_spec),
            "images": info["images"],
            "epochs": info["epochs"],
            "precision": precision[v],
            "trainingSeconds": info["trainingSeconds"],
            "trainingCpuSeconds": info["trainingCpuSeconds"],
            "validationMap50": info["history"][-1]["valMap50"],
            "goldenMap50": round(g["mAP50"], 4),
            "goldenMap50_95": round(g["mAP50-95"], 4),
            "testMap50": round(r["test"]["mAP50"], 4),
            "testMap50_95": round(r["test"]["mAP50-95"], 4),
            "testData": "seeds {}-{} ({} images), never used for training or selection; mAP as YOLOv5 val.py "
                        "(conf 0.001, NMS IoU 0.6)".format(SPLITS["test"]["first"],
                                                          SPLITS["test"]["first"] + len(test.images) - 1,
                                                          len(test.images)),
            "architecture": "YOLOv5n (depth 0.33, width 0.25), own PyTorch implementation, trained from scratch",
            "pipelineCommit": commit,
        }
        if v == "fp16":
            provenance["conversion"] = "FP32 graph converted to float16 end to end (input and output float16)"
        if v == "int8":
            provenance["quantization"] = {
                "format": "QDQ", "activations": "uint8 asymmetric, per tensor, min/max calibration",
                "weights": "int8 symmetric, per output channel", "bias": "int32 (input scale x weight scale)",
                "scope": "all activations of the backbone and neck (inputs and outputs of Conv, Sigmoid, Mul, Add, "
                         "Concat, MaxPool, Resize; MaxPool/Resize outputs share their input's scale); the Detect "
                         "head's conv outputs and the box decoding stay float",
                "calibrationImages": len(calib_x),
                "calibrationData": "the first {} training images".format(len(calib_x))}
        dtype = "float16" if v == "fp16" else "float32"
        (target / "model.json").write_text(json.dumps(card(v, target / "model.onnx", provenance, dtype), indent=2)
                                           + "\n")
        log("wrote", target)
    results["training"] = info
    results["ops"] = ops
    (weights_dir / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    log("results in", weights_dir / "results.json")
    return results


def main():
    parser = argparse.ArgumentParser(description="Train and package " + NAME)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("LINESIGHT_DATA_DIR", "/tmp/linesight-data")))
    parser.add_argument("--smoke", action="store_true",
                        help="tiny end-to-end run (a few images, 1 epoch) into <data-dir>/sku-yolov5n/smoke/")
    parser.add_argument("--package-only", action="store_true", help="rebuild the packages from the saved weights")
    parser.add_argument("--retrain", action="store_true", help="train again even if saved weights match")
    parser.add_argument("--latency-runs", type=int, default=200)
    parser.add_argument("--bench-only", action="store_true",
                        help="only measure the latency of the written packages (run it on a quiet machine)")
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    commit = git_head()
    started = time.monotonic()
    base = args.data_dir / NAME
    splits_spec = dict(SPLITS)
    epochs, gate, out_root, weights_dir = EPOCHS, GATE_MIN_MAP50, MODELS_DIR, base / "weights"
    if args.smoke:
        splits_spec = {k: {"first": v["first"], "count": SMOKE_SPLITS[k]} for k, v in SPLITS.items()}
        epochs, gate, out_root, weights_dir = 1, 0.0, base / "smoke" / "packages", base / "smoke" / "weights"
        args.latency_runs = 20
    args.splits_spec = splits_spec
    if args.bench_only:
        bench(weights_dir, out_root, runs=args.latency_runs)
        return
    train_images, train_boxes = training_set(splits_spec["train"], base)
    splits = {k: render_split(k, v, base) for k, v in splits_spec.items() if k != "train"}
    stamp = {"splits": splits_spec, "generator": generator_version(), "epochs": epochs, "batch": BATCH, "lr": LR,
             "seed": SEED, "model": sha256(PACKAGE_DIR / "yolo.py")[:16]}
    stamp_file = weights_dir / "stamp.json"
    have = (weights_dir / "weights.pt").is_file() and stamp_file.is_file()
    if args.package_only:
        if not (weights_dir / "weights.pt").is_file():
            fail("--package-only: no saved weights in " + str(weights_dir))
    elif args.retrain or not have or json.loads(stamp_file.read_text()) != stamp:
        if stamp_file.exists():
            stamp_file.unlink()
        val = Split(splits["val"])
        info = train(train_images, train_boxes, val, epochs, weights_dir)
        stamp_file.write_text(json.dumps(stamp))
        log("training: {} s wall, {} s CPU".format(info["trainingSeconds"], info["trainingCpuSeconds"]))
    else:
        log("reusing trained weights in", weights_dir)
    package(args, splits, train_images, weights_dir, out_root, gate, commit)
    log("pipeline {:.0f} s".format(time.monotonic() - started))


if __name__ == "__main__":
    main()
