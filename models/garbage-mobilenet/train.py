#!/usr/bin/python3
"""Builds the garbage-mobilenet model package: a six-class waste sorter distilled from a ResNet50.

Steps (one entry point, run through the wrapper `models/train.sh garbage-mobilenet`):

  generate   synthetic TrashNet-like photos (garbage_data.py), disjoint seeds per split
  teacher    torchvision ResNet50, from scratch
  plain      torchvision MobileNetV2 (width 0.5), from scratch, hard labels only
  distilled  the same MobileNetV2, same init and batch order, trained with Hinton knowledge
             distillation from the teacher (soft targets at temperature T plus the hard-label loss)
  export     all three to ONNX (opset 13), checked with onnx.checker and against eager PyTorch
             through ONNX Runtime (models/tools/ort); only the distilled student ships
  golden     golden/<image>.png + golden/expected.json, probabilities from the exported ONNX in ONNX
             Runtime on inputs preprocessed exactly as the card says
  eval       eval/<class>/*.png (ImageFolder layout, from the test split) + eval/report.txt, the
             scikit-learn classification report and confusion matrix of the shipped ONNX model
  gate       refuse to write the package below the card's golden gate (nothing touched then)
  card       model.json; the measured figures go to <data-dir>/garbage-mobilenet/results.json

Trained weights are kept under <data-dir>/garbage-mobilenet/ (never in git) with a JSON stamp of
their settings and reused when the stamp matches, so a second run only re-exports and re-measures
(`--retrain` trains again). `--smoke` runs everything with tiny settings into a scratch folder.
"""

import argparse
import collections
import hashlib
import importlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# On 2 cores shared with other jobs, OpenMP threads that spin while waiting burn the little CPU time a
# nice-19 job gets; passive waiting leaves it to the work. Must be set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
ORT_TOOL = REPO_DIR / "models" / "tools" / "ort"
sys.path.insert(0, str(PACKAGE_DIR))

NAME = "garbage-mobilenet"
VERSION = "0.2.0"

# Preprocessing, torchvision's classic recipe: Resize(RESIZE_SHORTER) (shorter side; the longer one
# truncated as torchvision does: 192x144 -> 114x86, not 114.67) + CenterCrop(80) (offsets 3 and 17:
# no .5 ties, so Python's round-half-even and Java's Math.round agree), ToTensor, Normalize(ImageNet).
# 80x80 instead of 224x224 is what lets the ResNet50 teacher train at all within the time budget on 2
# cores shared with other builds (an eighth of the pixels; ResNet50 costs about 0.15-0.2 core-seconds per
# training image at 96x96 under that load); the object fills most of the crop, and highlights, ribs and
# text lines stay visible, though the finest corrugation (2.6 px period) is aliased at this scale.
RESIZE_SHORTER = 86
CROP_HEIGHT, CROP_WIDTH = 80, 80
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]

# Splits: each a seed of garbage_data.render; labels cycle, so every split is balanced.
FULL = {
    "train": {"seed": 101, "count": 1200},
    "val": {"seed": 102, "count": 360},
    "test": {"seed": 103, "count": 600},    # held out: reported only, never for training or choosing
    "golden": {"seed": 104, "count": 60},
    "evalPerClass": 15,                     # eval/ = the first 15 test images of each class
    "teacherEpochs": 15, "studentEpochs": 15, "latencyRuns": 200,
}
SMOKE = {
    "train": {"seed": 101, "count": 48},
    "val": {"seed": 102, "count": 24},
    "test": {"seed": 103, "count": 24},
    "golden": {"seed": 104, "count": 12},
    "evalPerClass": 2,
    "teacherEpochs": 1, "studentEpochs": 1, "latencyRuns": 10,
}

STUDENT_WIDTH = 0.5
BATCH_SIZE = 32
TEACHER_MAX_LR = 2e-3
STUDENT_MAX_LR = 3e-3
WEIGHT_DECAY = 1e-4
PCT_START = 0.25
KD_TEMPERATURE = 4.0
KD_ALPHA = 0.7            # weight of the soft (teacher) term; 1 - alpha on the hard-label cross entropy
TORCH_SEED = 20241122
THREADS = 2
OPSET = 13

# card gate.minAccuracy on golden/: six balanced classes (chance 1/6); the gate catches a broken package
# (wrong preprocessing or weights fall towards chance), it is not a quality target.
GATE_MIN_ACCURACY = 0.50
LATENCY_BUDGET_MS = 50


def fail(message):
    print("train.py: " + message, file=sys.stderr)
    sys.exit(2)


def import_dependencies():
    missing, modules = [], {}
    for name, package in [("numpy", "python3-numpy"), ("torch", "python3-torch"),
                          ("torchvision", "python3-torchvision"), ("onnx", "python3-onnx"),
                          ("cv2", "python3-opencv"), ("sklearn", "python3-sklearn")]:
        try:
            modules[name] = importlib.import_module(name)
        except ImportError:
            missing.append(package)
    if missing:
        fail("missing Python modules; install them with: apt-get install -y " + " ".join(missing)
             + " (models/train.sh does this for you)")
    importlib.import_module("sklearn.metrics")
    importlib.import_module("onnx.numpy_helper")
    if not ORT_TOOL.is_file():
        fail("ONNX Runtime tool not found at " + str(ORT_TOOL))
    if shutil.which("java") is None:
        fail("java not found on PATH; models/tools/ort runs ONNX Runtime in Java")
    return modules


def git_head():
    try:
        out = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"], check=True,
                             capture_output=True, text=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        fail("cannot read the pipeline commit (git rev-parse HEAD): " + str(e))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def seed_everything(torch, np):
    random.seed(TORCH_SEED)
    np.random.seed(TORCH_SEED % (2 ** 32))
    torch.manual_seed(TORCH_SEED)


# ---------------------------------------------------------------------------------------------- data

def generate(m, work, name, spec):
    """Renders (or reuses) one split as uint8 [N,H,W,3] RGB + labels, cached as .npz with a stamp."""
    import garbage_data
    np = m["numpy"]
    path = work / "data-{}-seed{}-n{}.npz".format(name, spec["seed"], spec["count"])
    stamp = {"seed": spec["seed"], "count": spec["count"],
             "generator": sha256(PACKAGE_DIR / "garbage_data.py")}
    stamp_path = path.with_suffix(".json")
    if path.is_file() and stamp_path.is_file() and json.loads(stamp_path.read_text()) == stamp:
        data = np.load(path)
        print("reusing {} ({} images)".format(path, spec["count"]), flush=True)
        return data["images"], data["labels"]
    # Image i depends only on (seed, i): a longer cached render of the same seed holds this split as its prefix.
    for longer in sorted(work.glob("data-{}-seed{}-n*.json".format(name, spec["seed"]))):
        other = json.loads(longer.read_text())
        if other["generator"] == stamp["generator"] and other["count"] > spec["count"] \
                and longer.with_suffix(".npz").is_file():
            data = np.load(longer.with_suffix(".npz"))
            print("using the first {} images of {}".format(spec["count"], longer.with_suffix(".npz")), flush=True)
            return data["images"][:spec["count"]], data["labels"][:spec["count"]]
    started = time.monotonic()
    images, labels = garbage_data.render_split(spec["seed"], spec["count"])
    np.savez(path, images=images, labels=labels)
    stamp_path.write_text(json.dumps(stamp))
    print("generated {} images of split {} (seed {}) in {:.0f} s".format(
        spec["count"], name, spec["seed"], time.monotonic() - started), flush=True)
    if len(images) == 0:
        fail("split {} is empty".format(name))
    return images, labels


def resized_size(height, width):
    """torchvision Resize(int): the shorter side becomes RESIZE_SHORTER, the longer one int(size*long/short)."""
    if width <= height:
        return int(RESIZE_SHORTER * height / width), RESIZE_SHORTER
    return RESIZE_SHORTER, int(RESIZE_SHORTER * width / height)


def preprocess(m, images):
    """The card's recipe on RGB uint8 [N,H,W,3]: ToTensor (x/255) -> bilinear resize of the shorter side
    (half-pixel centres, align_corners=False, no antialias) -> centre crop -> Normalize. Float32 NCHW."""
    torch = m["torch"]
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    out = []
    for start in range(0, len(images), 256):
        x = torch.from_numpy(images[start:start + 256]).permute(0, 3, 1, 2).to(torch.float32) * (1.0 / 255.0)
        rh, rw = resized_size(x.shape[2], x.shape[3])
        x = torch.nn.functional.interpolate(x, size=(rh, rw), mode="bilinear", align_corners=False,
                                            antialias=False)
        top, left = int(round((rh - CROP_HEIGHT) / 2.0)), int(round((rw - CROP_WIDTH) / 2.0))
        x = x[:, :, top:top + CROP_HEIGHT, left:left + CROP_WIDTH]
        out.append(((x - mean) / std).contiguous())
    return torch.cat(out)


def check_preprocess_matches_torchvision(m, images):
    """Our preprocessing must equal torchvision's own Resize + CenterCrop + Normalize (antialias=False)."""
    torch, T = m["torch"], m["torchvision"].transforms
    recipe = T.Compose([T.Resize(RESIZE_SHORTER, interpolation=T.InterpolationMode.BILINEAR, antialias=False),
                        T.CenterCrop((CROP_HEIGHT, CROP_WIDTH)), T.Normalize(MEAN, STD)])
    ours = preprocess(m, images[:4])
    theirs = torch.stack([recipe(torch.from_numpy(i).permute(2, 0, 1).to(torch.float32) / 255.0)
                          for i in images[:4]])
    difference = float((ours - theirs).abs().max())
    if difference > 1e-6:
        fail("preprocessing differs from torchvision's Resize/CenterCrop/Normalize by {:.2e}".format(difference))
    return difference


# ------------------------------------------------------------------------------------------ training

Data = collections.namedtuple("Data", "x_train y_train x_val y_val")
Evaluation = collections.namedtuple("Evaluation", "accuracy loss logits predictions")


def evaluate(torch, model, x, y):
    model.eval()
    logits = []
    with torch.no_grad():
        for start in range(0, len(x), 100):
            logits.append(model(x[start:start + 100].contiguous(memory_format=torch.channels_last)))
    logits = torch.cat(logits)
    loss = float(torch.nn.functional.cross_entropy(logits, y))
    predictions = logits.argmax(dim=1)
    return Evaluation(float((predictions == y).float().mean()), loss, logits, predictions)


def new_teacher(m):
    # zero_init_residual: each residual block starts as the identity, which helps a short from-scratch run.
    return m["torchvision"].models.resnet50(num_classes=6, zero_init_residual=True)


def new_student(m):
    return m["torchvision"].models.mobilenet_v2(num_classes=6, width_mult=STUDENT_WIDTH)


def fit(m, model, data, epochs, max_lr, label, teacher_logits=None):
    """AdamW + one-cycle; random horizontal flips (the scenes are mirror-symmetric and flips commute with the
    symmetric resize + centre crop). With teacher_logits (for the images and their mirrors), the loss is
    Hinton's: alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * CE(student, label)."""
    torch = m["torch"]
    F = torch.nn.functional
    model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=max_lr, weight_decay=WEIGHT_DECAY)
    steps = (len(data.x_train) + BATCH_SIZE - 1) // BATCH_SIZE
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, epochs=epochs,
                                                   steps_per_epoch=steps, pct_start=PCT_START)
    generator = torch.Generator().manual_seed(TORCH_SEED)
    history = []
    started, cpu_started = time.monotonic(), time.process_time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(data.x_train), generator=generator)
        loss_sum, seen = 0.0, 0
        for start in range(0, len(order), BATCH_SIZE):
            index = order[start:start + BATCH_SIZE]
            flip = torch.rand(len(index), generator=generator) < 0.5
            xb = data.x_train[index].clone()
            xb[flip] = xb[flip].flip(3)
            xb = xb.contiguous(memory_format=torch.channels_last)
            yb = data.y_train[index]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            if teacher_logits is not None:
                t = torch.where(flip[:, None], teacher_logits[1][index], teacher_logits[0][index])
                soft = F.kl_div(F.log_softmax(logits / KD_TEMPERATURE, dim=1),
                                F.log_softmax(t / KD_TEMPERATURE, dim=1), reduction="batchmean", log_target=True)
                loss = KD_ALPHA * KD_TEMPERATURE ** 2 * soft + (1 - KD_ALPHA) * loss
            loss.backward()
            optimizer.step()
            schedule.step()
            loss_sum += float(loss) * len(index)
            seen += len(index)
        val = evaluate(torch, model, data.x_val, data.y_val)
        elapsed = time.monotonic() - started
        history.append({"epoch": epoch, "loss": round(loss_sum / seen, 5), "valAccuracy": round(val.accuracy, 4),
                        "valLoss": round(val.loss, 5), "seconds": round(elapsed, 1)})
        print("{} epoch {}/{}: train loss {:.4f}, val accuracy {:.4f}, {:.0f} s".format(
            label, epoch, epochs, loss_sum / seen, val.accuracy, elapsed), flush=True)
    model.to(memory_format=torch.contiguous_format).eval()
    return history, time.monotonic() - started, time.process_time() - cpu_started


def teacher_outputs(m, teacher, x):
    """Teacher logits on the training images and on their mirrors (the only augmentation), in eval mode."""
    torch = m["torch"]
    started = time.monotonic()
    plain = evaluate(torch, teacher, x, torch.zeros(len(x), dtype=torch.long)).logits
    mirrored = evaluate(torch, teacher, x.flip(3), torch.zeros(len(x), dtype=torch.long)).logits
    print("teacher logits for {} training images (and mirrors) in {:.0f} s".format(
        len(x), time.monotonic() - started), flush=True)
    return plain, mirrored


class Checkpoints:
    """state_dicts under <data-dir>/garbage-mobilenet/ with a JSON stamp; reused only when the stamp matches."""

    def __init__(self, m, directory, retrain):
        self.m, self.directory, self.retrain = m, directory, retrain

    def load(self, name, stamp, build):
        weights, info_path = self.directory / (name + ".pt"), self.directory / (name + ".json")
        if self.retrain or not weights.is_file() or not info_path.is_file():
            return None
        info = json.loads(info_path.read_text())
        if info.get("stamp") != stamp:
            return None
        model = build(self.m)
        model.load_state_dict(self.m["torch"].load(str(weights)))
        print("reusing trained weights {}".format(weights), flush=True)
        return model.eval(), info

    def save(self, name, model, info, build):
        path = self.directory / (name + ".pt")
        self.m["torch"].save(model.state_dict(), str(path))
        info = dict(info, stateDictSha256=sha256(path))
        (self.directory / (name + ".json")).write_text(json.dumps(info, indent=1) + "\n")
        fresh = build(self.m)  # continue exactly as a later run that reuses the checkpoint would
        fresh.load_state_dict(self.m["torch"].load(str(path)))
        return fresh.eval(), info


def train_model(m, checkpoints, data, name, build, epochs, max_lr, splits, teacher=None):
    stamp = {"name": name, "epochs": epochs, "maxLr": max_lr, "batch": BATCH_SIZE, "weightDecay": WEIGHT_DECAY,
             "pctStart": PCT_START, "seed": TORCH_SEED, "train": splits["train"], "val": splits["val"],
             "generator": sha256(PACKAGE_DIR / "garbage_data.py"),
             "preprocessing": [RESIZE_SHORTER, CROP_HEIGHT, CROP_WIDTH]}
    if name == "student-plain" or name == "student-distilled":
        stamp["width"] = STUDENT_WIDTH
    teacher_logits = None
    if teacher is not None:
        stamp.update(teacher=teacher[1]["stateDictSha256"], temperature=KD_TEMPERATURE, alpha=KD_ALPHA)
    cached = checkpoints.load(name, stamp, build)
    if cached:
        return cached
    if teacher is not None:
        teacher_logits = teacher_outputs(m, teacher[0], data.x_train)
    seed_everything(m["torch"], m["numpy"])
    model = build(m)
    history, seconds, cpu = fit(m, model, data, epochs, max_lr, name, teacher_logits)
    return checkpoints.save(name, model, {"stamp": stamp, "history": history, "seconds": round(seconds, 1),
                                          "cpuSeconds": round(cpu, 1)}, build)


# ---------------------------------------------------------------------------------------- ONNX + ORT

def export_onnx(m, model, path):
    torch, onnx = m["torch"], m["onnx"]
    dummy = torch.zeros(1, 3, CROP_HEIGHT, CROP_WIDTH)
    torch.onnx.export(model, dummy, str(path), opset_version=OPSET, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=True)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto)

    def dims(value):
        return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
    inputs = [i for i in proto.graph.input if i.name not in {t.name for t in proto.graph.initializer}]
    if len(inputs) != 1 or inputs[0].name != "input" or dims(inputs[0]) != ["N", 3, CROP_HEIGHT, CROP_WIDTH]:
        fail("unexpected ONNX input in {}: {}".format(path, inputs))
    outputs = list(proto.graph.output)
    if len(outputs) != 1 or outputs[0].name != "logits" or dims(outputs[0]) != ["N", 6]:
        fail("unexpected ONNX output in {}: {}".format(path, outputs))
    arrays = [onnx.numpy_helper.to_array(t) for t in proto.graph.initializer]
    return sum(a.size for a in arrays)


def ort_run(m, onnx_path, x):
    """Logits of the ONNX file in ONNX Runtime (Java, models/tools/ort), one item at a time."""
    np = m["numpy"]
    with tempfile.TemporaryDirectory(prefix="garbage-ort-") as tmp:
        np.save(Path(tmp) / "input.npy", x.numpy().astype(np.float32))
        result = subprocess.run([str(ORT_TOOL), "run", str(onnx_path), str(Path(tmp) / "input.npy"),
                                 str(Path(tmp) / "out"), "--threads", str(THREADS)], capture_output=True, text=True)
        if result.returncode != 0:
            fail("models/tools/ort run failed on {}: {}".format(onnx_path, result.stderr[-2000:]))
        return np.load(Path(tmp) / "out" / "logits.npy")


# The JVM's own heap growth would blur the resident-memory figure: a fixed, small heap and the serial
# collector keep the Java side the same for every model, so the difference to a trivial model is ONNX Runtime's.
ORT_JAVA_OPTIONS = "-Xms64m -Xmx64m -XX:+UseSerialGC"
RSS_REPEATS = 3


def ort_latency(onnx_path, runs):
    """ONNX Runtime latency (2 threads, batch 1; the first of RSS_REPEATS runs) and the peak RSS of the whole
    tool process (GNU time -v; median of RSS_REPEATS runs)."""
    command = ["/usr/bin/time", "-v", str(ORT_TOOL), "latency", str(onnx_path), "--threads", str(THREADS),
               "--runs", str(runs)]
    env = dict(os.environ, JAVA_TOOL_OPTIONS=ORT_JAVA_OPTIONS)
    figures, rss_values = None, []
    for repeat in range(RSS_REPEATS):
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            fail("models/tools/ort latency failed on {}: {}".format(onnx_path, result.stderr[-2000:]))
        if figures is None:
            figures = json.loads([l for l in result.stdout.splitlines() if l.startswith("{")][-1])
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
        if rss:
            rss_values.append(int(rss.group(1)))
    rss_values.sort()
    figures["maxRssKbRuns"] = rss_values
    figures["maxRssKb"] = rss_values[len(rss_values) // 2] if rss_values else None
    return figures


def trivial_onnx(m, path):
    """A near-empty model with the same input (1x1 conv to 6 channels + global average pool): the baseline
    resident memory of the ONNX Runtime tool itself, subtracted from each model's figure."""
    torch = m["torch"]

    class Trivial(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 6, 1)

        def forward(self, x):
            return self.conv(x).mean(dim=(2, 3))
    export_onnx(m, Trivial().eval(), path)


def eager_latency(m, model, runs):
    torch = m["torch"]
    x = torch.rand(1, 3, CROP_HEIGHT, CROP_WIDTH, generator=torch.Generator().manual_seed(1))
    model.eval()
    times = []
    with torch.no_grad():
        for i in range(runs + 10):
            start = time.perf_counter()
            model(x)
            if i >= 10:
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": times[len(times) // 2], "p95_ms": times[int(len(times) * 0.95 + 0.999) - 1]}


def softmax(np, logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# ------------------------------------------------------------------------------------------ package

def write_png(m, path, rgb):
    cv2 = m["cv2"]
    if not cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        fail("could not write " + str(path))


def read_png(m, path):
    cv2 = m["cv2"]
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        fail("could not read " + str(path))
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def stage_images(m, directory, names, images, layout_flat=True):
    """Writes PNGs and reads them back: the reference is computed from the decoded files, as the runner sees them."""
    np = m["numpy"]
    decoded = []
    for name, image in zip(names, images):
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_png(m, path, image)
        back = read_png(m, path)
        if not np.array_equal(back, image):
            fail("PNG round trip changed " + str(path))
        decoded.append(back)
    return np.stack(decoded)


def report_text(m, y_true, y_pred, labels):
    metrics, np = m["sklearn"].metrics, m["numpy"]
    report = metrics.classification_report(y_true, y_pred, labels=list(range(len(labels))), target_names=labels,
                                           zero_division=0)
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=list(range(len(labels))))
    return report, matrix


def markdown_matrix(matrix, labels):
    lines = ["| true \\ predicted | " + " | ".join(labels) + " |", "| --- |" + " ---: |" * len(labels)]
    for label, row in zip(labels, matrix):
        lines.append("| {} | {} |".format(label, " | ".join(str(int(v)) for v in row)))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="Train, distil and package " + NAME)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("LINESIGHT_DATA_DIR", "/tmp/linesight-data")),
                        help="generated data and trained weights go to <data-dir>/garbage-mobilenet "
                             "(default /tmp/linesight-data or $LINESIGHT_DATA_DIR)")
    parser.add_argument("--retrain", action="store_true", help="train all three networks again")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny data, 1 epoch each, package written to <data-dir>/garbage-mobilenet-smoke/package "
                             "(the golden gate is reported, not enforced); checks the whole pipeline in minutes")
    args = parser.parse_args()
    m = import_dependencies()
    torch, np = m["torch"], m["numpy"]
    torch.set_num_threads(THREADS)
    from garbage_data import LABELS, IMAGE_WIDTH, IMAGE_HEIGHT
    commit = git_head()
    settings = SMOKE if args.smoke else FULL
    work = args.data_dir / (NAME + ("-smoke" if args.smoke else ""))
    package_dir = work / "package" if args.smoke else PACKAGE_DIR
    work.mkdir(parents=True, exist_ok=True)
    started, cpu_started = time.monotonic(), time.process_time()

    # ---- data
    split_specs = {k: settings[k] for k in ("train", "val", "test", "golden")}
    raw = {k: generate(m, work, k, spec) for k, spec in split_specs.items()}
    tv_difference = check_preprocess_matches_torchvision(m, raw["val"][0])
    x = {k: preprocess(m, images) for k, (images, _) in raw.items()}
    y = {k: torch.from_numpy(labels) for k, (_, labels) in raw.items()}
    data = Data(x["train"], y["train"], x["val"], y["val"])
    print("preprocessed: {}x{} -> resize shorter {} -> crop {}x{} (matches torchvision within {:.1e})".format(
        IMAGE_WIDTH, IMAGE_HEIGHT, RESIZE_SHORTER, CROP_WIDTH, CROP_HEIGHT, tv_difference), flush=True)

    # ---- training
    checkpoints = Checkpoints(m, work, args.retrain)
    teacher = train_model(m, checkpoints, data, "teacher", new_teacher, settings["teacherEpochs"], TEACHER_MAX_LR,
                          split_specs)
    plain = train_model(m, checkpoints, data, "student-plain", new_student, settings["studentEpochs"],
                        STUDENT_MAX_LR, split_specs)
    distilled = train_model(m, checkpoints, data, "student-distilled", new_student, settings["studentEpochs"],
                            STUDENT_MAX_LR, split_specs, teacher=teacher)
    models = {"teacher": teacher, "student-plain": plain, "student-distilled": distilled}

    # ---- evaluation (eager) and export
    results = {"models": {}}
    labels_range = list(range(len(LABELS)))
    onnx_paths = {}
    for name, (model, info) in models.items():
        val = evaluate(torch, model, x["val"], y["val"])
        test = evaluate(torch, model, x["test"], y["test"])
        report, matrix = report_text(m, y["test"].numpy(), test.predictions.numpy(), LABELS)
        onnx_path = work / (name + ".onnx")
        parameters = export_onnx(m, model, onnx_path)
        onnx_paths[name] = onnx_path
        ort_logits = ort_run(m, onnx_path, x["test"])
        ort_predictions = ort_logits.argmax(axis=1)
        max_logit_difference = float(np.abs(ort_logits - test.logits.numpy()).max())
        results["models"][name] = {
            "architecture": "torchvision resnet50" if name == "teacher" else
            "torchvision mobilenet_v2 width_mult {}".format(STUDENT_WIDTH),
            "parameters": sum(p.numel() for p in model.parameters()),
            "onnxParameters": int(parameters),
            "onnxBytes": onnx_path.stat().st_size,
            "epochs": len(info["history"]),
            "trainingSeconds": info["seconds"], "trainingCpuSeconds": info["cpuSeconds"],
            "valAccuracy": val.accuracy, "testAccuracy": test.accuracy,
            "testAccuracyOnnx": float((ort_predictions == y["test"].numpy()).mean()),
            "testMaxLogitDifferenceOnnxVsEager": max_logit_difference,
            "testPredictionsDifferOnnxVsEager": int((ort_predictions != test.predictions.numpy()).sum()),
            "report": report, "confusion": matrix.tolist(), "history": info["history"],
        }
        print("{}: val {:.4f} test {:.4f} (ONNX {:.4f}, max |logit diff| {:.2e}), {} parameters, {} bytes".format(
            name, val.accuracy, test.accuracy, results["models"][name]["testAccuracyOnnx"], max_logit_difference,
            parameters, onnx_path.stat().st_size), flush=True)
        print(report, flush=True)

    # ---- latency and memory, all in one run
    trivial = work / "trivial.onnx"
    trivial_onnx(m, trivial)
    runs = settings["latencyRuns"]
    baseline = ort_latency(trivial, runs)
    results["ortBaseline"] = baseline
    for name, (model, _) in models.items():
        ort = ort_latency(onnx_paths[name], runs)
        eager = eager_latency(m, model, max(10, runs // 2))
        results["models"][name]["ortLatency"] = ort
        results["models"][name]["ortRssOverTrivialKb"] = (ort["maxRssKb"] - baseline["maxRssKb"]) \
            if ort["maxRssKb"] and baseline["maxRssKb"] else None
        results["models"][name]["eagerLatency"] = eager
        print("{}: ORT median {:.2f} ms p95 {:.2f} ms, max RSS {} kB ({} kB over trivial); eager median {:.2f} ms".format(
            name, ort["median_ms"], ort["p95_ms"], ort["maxRssKb"], results["models"][name]["ortRssOverTrivialKb"],
            eager["median_ms"]), flush=True)

    # ---- golden and eval sets: reference outputs from the exported ONNX in ONNX Runtime
    shipped_model, shipped_info = distilled
    staging = Path(tempfile.mkdtemp(prefix="garbage-package-", dir=str(work)))
    golden_images, golden_labels = raw["golden"]
    golden_names = ["golden-{:03d}-{}.png".format(i, LABELS[l]) for i, l in enumerate(golden_labels)]
    (staging / "golden").mkdir()
    golden_decoded = stage_images(m, staging / "golden", golden_names, golden_images)
    x_golden = preprocess(m, golden_decoded)
    golden_logits = ort_run(m, onnx_paths["student-distilled"], x_golden)
    golden_probabilities = softmax(np, golden_logits.astype(np.float64)).astype(np.float32)
    with torch.no_grad():
        eager_probabilities = torch.softmax(shipped_model(x_golden), dim=1).numpy()
    golden_difference = float(np.abs(golden_probabilities - eager_probabilities).max())
    golden_accuracy = float((golden_probabilities.argmax(axis=1) == golden_labels).mean())
    expected = [{"file": n, "label": LABELS[int(l)], "probabilities": [float(v) for v in p]}
                for n, l, p in zip(golden_names, golden_labels, golden_probabilities)]
    (staging / "golden" / "expected.json").write_text(
        "[\n" + ",\n".join(" " + json.dumps(e) for e in expected) + "\n]\n")

    test_images, test_labels = raw["test"]
    per_class = settings["evalPerClass"]
    chosen = [i for c in labels_range for i in [j for j in range(len(test_labels)) if test_labels[j] == c][:per_class]]
    eval_names = ["{}/test-{:04d}.png".format(LABELS[int(test_labels[i])], i) for i in chosen]
    eval_decoded = stage_images(m, staging / "eval", eval_names, test_images[chosen])
    eval_logits = ort_run(m, onnx_paths["student-distilled"], preprocess(m, eval_decoded))
    eval_report, eval_matrix = report_text(m, test_labels[chosen], eval_logits.argmax(axis=1), LABELS)
    (staging / "eval" / "report.txt").write_text(
        eval_report + "\nconfusion matrix (rows: true label, columns: predicted label, in label order)\n"
        + str(eval_matrix) + "\n")

    # ---- gate: nothing in the package folder is touched below it
    print("golden accuracy {:.4f} (gate {}), ONNX vs eager max |p diff| {:.2e}".format(
        golden_accuracy, GATE_MIN_ACCURACY, golden_difference), flush=True)
    if golden_accuracy < GATE_MIN_ACCURACY:
        if not args.smoke:
            shutil.rmtree(staging)
            fail("golden accuracy {:.4f} is below the card's gate {}; refusing to write the package".format(
                golden_accuracy, GATE_MIN_ACCURACY))
        print("smoke: golden gate not met, writing the smoke package anyway", flush=True)

    shutil.copyfile(onnx_paths["student-distilled"], staging / "model.onnx")
    r = results["models"]
    teacher_info, plain_info = teacher[1], plain[1]
    provenance = {
        "data": "synthetic TrashNet-like photos (models/garbage-mobilenet/garbage_data.py), {}x{} RGB, balanced "
                "classes; seeds train={} ({} images), val={} ({}), golden={} ({})".format(
                    IMAGE_WIDTH, IMAGE_HEIGHT, split_specs["train"]["seed"], split_specs["train"]["count"],
                    split_specs["val"]["seed"], split_specs["val"]["count"], split_specs["golden"]["seed"],
                    split_specs["golden"]["count"]),
        "images": split_specs["train"]["count"],
        "epochs": settings["studentEpochs"],
        "sparsity": 0.0,
        "precision": "fp32",
        "trainingSeconds": round(teacher_info["seconds"] + shipped_info["seconds"], 1),
        "validationAccuracy": round(r["student-distilled"]["valAccuracy"], 4),
        "goldenAccuracy": round(golden_accuracy, 4),
        "testAccuracy": round(r["student-distilled"]["testAccuracy"], 4),
        "testData": "seed {}, {} images (balanced); never used for training or selection; eval/ holds the first {} "
                    "of each class".format(split_specs["test"]["seed"], split_specs["test"]["count"], per_class),
        "distillation": {
            "method": "Hinton knowledge distillation: loss = alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T))"
                      " + (1 - alpha) * cross_entropy(student, label)",
            "temperature": KD_TEMPERATURE,
            "alpha": KD_ALPHA,
            "teacher": {"architecture": "torchvision resnet50 (zero_init_residual), from scratch",
                        "parameters": r["teacher"]["parameters"], "epochs": settings["teacherEpochs"],
                        "maxLr": TEACHER_MAX_LR, "trainingSeconds": teacher_info["seconds"],
                        "testAccuracy": round(r["teacher"]["testAccuracy"], 4)},
            "student": {"architecture": "torchvision mobilenet_v2 width_mult {}, from scratch".format(STUDENT_WIDTH),
                        "parameters": r["student-distilled"]["parameters"], "epochs": settings["studentEpochs"],
                        "maxLr": STUDENT_MAX_LR, "trainingSeconds": shipped_info["seconds"]},
            "plainStudent": {"epochs": settings["studentEpochs"], "trainingSeconds": plain_info["seconds"],
                             "testAccuracy": round(r["student-plain"]["testAccuracy"], 4),
                             "note": "same architecture, initialisation and batch order, hard labels only"},
        },
        "pipelineCommit": commit,
    }
    card = {
        "name": NAME, "version": VERSION, "task": "classify", "file": "model.onnx",
        "sha256": sha256(staging / "model.onnx"),
        "input": {"name": "input", "layout": "NCHW", "height": CROP_HEIGHT, "width": CROP_WIDTH, "dtype": "float32"},
        "preprocessing": {
            "recipe": "torch-tensor",
            "resize": {"mode": "shorter", "size": RESIZE_SHORTER, "interpolation": "bilinear", "antialias": False,
                       "input": "float32"},
            "centerCrop": {"height": CROP_HEIGHT, "width": CROP_WIDTH},
            "scale": 1.0 / 255.0, "mean": MEAN, "std": STD, "channelOrder": "RGB",
        },
        "labels": LABELS,
        "postprocessing": {"softmax": True, "topK": 5},
        "gate": {"minAccuracy": GATE_MIN_ACCURACY, "latencyBudgetMs": LATENCY_BUDGET_MS},
        "provenance": provenance,
    }
    (staging / "model.json").write_text(json.dumps(card, indent=2) + "\n")

    # ---- install into the package folder (only the generated parts)
    package_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("golden", "eval"):
        if (package_dir / sub).exists():
            shutil.rmtree(package_dir / sub)
        shutil.move(str(staging / sub), str(package_dir / sub))
    for f in ("model.onnx", "model.json"):
        shutil.move(str(staging / f), str(package_dir / f))
    shutil.rmtree(staging)

    results.update({
        "goldenAccuracy": golden_accuracy, "goldenMaxProbabilityDifferenceOnnxVsEager": golden_difference,
        "evalReport": (package_dir / "eval" / "report.txt").read_text(),
        "preprocessMatchesTorchvision": tv_difference,
        "pipelineSeconds": round(time.monotonic() - started, 1),
        "pipelineCpuSeconds": round(time.process_time() - cpu_started, 1),
        "card": card,
    })
    (work / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    tables = ["| model | val acc. | test acc. (eager / ONNX) | parameters | ONNX bytes | ORT ms median / p95 "
              "| eager ms median / p95 | ORT RSS over trivial | training s (CPU s) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, v in r.items():
        tables.append("| {} | {:.2%} | {:.2%} / {:.2%} | {:,} | {:,} | {:.2f} / {:.2f} | {:.1f} / {:.1f} | {} kB | {} ({}) |".format(
            name, v["valAccuracy"], v["testAccuracy"], v["testAccuracyOnnx"], v["onnxParameters"], v["onnxBytes"],
            v["ortLatency"]["median_ms"], v["ortLatency"]["p95_ms"], v["eagerLatency"]["median_ms"],
            v["eagerLatency"]["p95_ms"], v["ortRssOverTrivialKb"], v["trainingSeconds"], v["trainingCpuSeconds"]))
    for name, v in r.items():
        tables += ["", "### " + name, "", "```", v["report"].rstrip(), "```", "", markdown_matrix(v["confusion"], LABELS)]
    (work / "report-tables.md").write_text("\n".join(tables) + "\n")
    print("\n".join(tables), flush=True)
    print(json.dumps({"package": str(package_dir), "sha256": card["sha256"], "goldenAccuracy": golden_accuracy,
                      "goldenMaxProbabilityDifferenceOnnxVsEager": golden_difference,
                      "pipelineSeconds": results["pipelineSeconds"],
                      "pipelineCpuSeconds": results["pipelineCpuSeconds"]}, indent=1), flush=True)


if __name__ == "__main__":
    main()
