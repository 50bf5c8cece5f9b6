#!/usr/bin/python3
"""Builds the defect-mobilenetv2 model package from the simulated conveyor camera.

Steps: export labelled images with the camera simulator (bundles/camera-sim), train a dense MobileNetV2
classifier from scratch, prune half of its Conv2d and Linear weights (global unstructured magnitude
pruning, one-shot + fine-tune and iterative; the variant with the better validation accuracy ships),
check the gates, export it to ONNX, check the ONNX file, write the golden set with reference
probabilities and the model card (model.json). Run it through the wrapper:

    models/train.sh defect-mobilenetv2

Trained weights are kept under the data folder (<data-dir>/defect-mobilenetv2/, never in git) and
reused when their settings match, so a rebuild after prune.py (the pruning study behind REPORT.md)
only exports. --retrain trains everything again.

Every random choice is seeded, so a rebuild gives the same data and a model of the same quality
(the exact weights may still differ slightly: multi-threaded float sums on CPU are not bit-stable).
"""

import argparse
import collections
import csv
import hashlib
import importlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pruning

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
CAMERA_SIM_CLASSES = REPO_DIR / "bundles" / "camera-sim" / "target" / "classes"
EXPORT_MAIN = "io.linesight.camera.sim.DatasetExport"

NAME = "defect-mobilenetv2"
VERSION = "0.2.0"
LABELS = ["ok", "defect"]

# Input size: half the camera frame (320x240). Bilinear without antialiasing at exactly 1/2 with
# half-pixel centres samples at 2x+0.5, i.e. averages each 2x2 block: no pixel is skipped, so a 2 px
# scratch or a 9 px hole survives the resize, and a Java runner reproduces it exactly.
HEIGHT, WIDTH = 120, 160
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]

# Datasets: disjoint seeds. The runtime's simulated camera uses seed 42; never train on it.
TRAIN = {"split": "train", "seed": 1, "count": 4000}
VAL = {"split": "val", "seed": 2, "count": 600}
GOLDEN = {"split": "golden", "seed": 3, "count": 100}
# Held-out test split: only for the figures in REPORT.md and the card, never for training or selection.
TEST = {"split": "test", "seed": 4, "count": 1000, "firstPart": 5001}
FIRST_PART = 1
DEFECT_RATE = 0.5

# Training: sized to finish in well under 20 minutes on 2 busy CPU cores (see models/README.md).
WIDTH_MULT = 0.5
EPOCHS = 8
BATCH_SIZE = 32
MAX_LR = 3e-3
WEIGHT_DECAY = 1e-4
TORCH_SEED = 20240601
THREADS = 2

OPSET = 13
MIN_VAL_ACCURACY = 0.97
GATE_MIN_ACCURACY = 0.95  # the card's gate.minAccuracy on golden/
SHIP_SPARSITY = 0.5


def fail(message):
    print("train.py: " + message, file=sys.stderr)
    sys.exit(2)


def import_dependencies():
    """Imports the heavy modules, or stops with a message that says how to get them."""
    missing = []
    modules = {}
    for name, package in [("numpy", "python3-numpy"), ("torch", "python3-torch"),
                          ("torchvision", "python3-torchvision"), ("onnx", "python3-onnx"),
                          ("PIL", "python3-pil")]:
        try:
            modules[name] = importlib.import_module(name)
        except ImportError:
            missing.append(package)
    if missing:
        fail("missing Python modules; install them with: apt-get install -y " + " ".join(missing)
             + " (models/train.sh does this for you)")
    importlib.import_module("onnx.numpy_helper")  # submodules used by the ONNX check
    importlib.import_module("onnx.helper")
    return modules


def check_camera_sim():
    main_class = CAMERA_SIM_CLASSES / "io" / "linesight" / "camera" / "sim" / "DatasetExport.class"
    if not main_class.is_file():
        fail("camera simulator classes not found at " + str(CAMERA_SIM_CLASSES)
             + "; run mvn -q install in bundles/camera-sim first")
    if shutil.which("java") is None:
        fail("java not found on PATH; the dataset is rendered by the Java camera simulator")


def git_head():
    try:
        out = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"], check=True,
                             capture_output=True, text=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        fail("cannot read the pipeline commit (git rev-parse HEAD in " + str(REPO_DIR) + "): " + str(e))


def read_labels(directory):
    with open(directory / "labels.csv", newline="") as f:
        return list(csv.DictReader(f))


def export_split(spec, data_dir):
    """Renders one split with the Java simulator, unless a complete export with the same parameters exists."""
    directory = data_dir / "{}-seed{}-n{}".format(spec["split"], spec["seed"], spec["count"])
    stamp = directory / "export.json"
    first_part = spec.get("firstPart", FIRST_PART)
    wanted = {"seed": spec["seed"], "count": spec["count"], "firstPart": first_part, "defectRate": DEFECT_RATE}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        print("reusing {} ({} images)".format(directory, spec["count"]), flush=True)
        return directory
    if directory.exists():
        shutil.rmtree(directory)
    print("rendering {} images (seed {}) into {}".format(spec["count"], spec["seed"], directory), flush=True)
    subprocess.run(["java", "-cp", str(CAMERA_SIM_CLASSES), EXPORT_MAIN, "--out", str(directory),
                    "--count", str(spec["count"]), "--seed", str(spec["seed"]),
                    "--first-part", str(first_part), "--defect-rate", str(DEFECT_RATE)], check=True)
    rows = read_labels(directory)
    if len(rows) != spec["count"]:
        fail("export of {} wrote {} labels, expected {}".format(directory, len(rows), spec["count"]))
    stamp.write_text(json.dumps(wanted))
    return directory


class Preprocessing:
    """The model card's preprocessing, exactly: RGB uint8 -> [0,1] -> bilinear resize -> normalize."""

    def __init__(self, m):
        self.np, self.torch, self.Image = m["numpy"], m["torch"], m["PIL"].Image
        self.mean = self.torch.tensor(MEAN, dtype=self.torch.float32).view(1, 3, 1, 1)
        self.std = self.torch.tensor(STD, dtype=self.torch.float32).view(1, 3, 1, 1)

    def load(self, path):
        with self.Image.open(path) as image:
            rgb = self.np.asarray(image.convert("RGB"), dtype=self.np.uint8)
        return self.torch.from_numpy(rgb.copy()).permute(2, 0, 1)  # CHW uint8

    def __call__(self, chw_uint8_batch):
        torch = self.torch
        x = chw_uint8_batch.to(torch.float32) * (1.0 / 255.0)
        x = torch.nn.functional.interpolate(x, size=(HEIGHT, WIDTH), mode="bilinear",
                                            align_corners=False, antialias=False)
        return (x - self.mean) / self.std

    def load_split(self, directory):
        rows = read_labels(directory)
        tensors, targets = [], []
        for start in range(0, len(rows), 64):
            chunk = rows[start:start + 64]
            batch = self.torch.stack([self.load(directory / r["file"]) for r in chunk])
            tensors.append(self(batch))
            targets.extend(LABELS.index(r["label"]) for r in chunk)
        return rows, self.torch.cat(tensors), self.torch.tensor(targets, dtype=self.torch.long)


def seed_everything(torch):
    random.seed(TORCH_SEED)
    torch.manual_seed(TORCH_SEED)
    m = __import__("numpy")
    m.random.seed(TORCH_SEED % (2 ** 32))


Evaluation = collections.namedtuple("Evaluation", "accuracy loss probabilities")


def evaluate(torch, model, x, y):
    """Accuracy, mean cross entropy and softmax probabilities of the model on (x, y)."""
    model.eval()
    correct, loss_sum, probs = 0, 0.0, []
    with torch.no_grad():
        for start in range(0, len(x), 100):
            logits = model(x[start:start + 100])
            probs.append(torch.softmax(logits, dim=1))
            correct += int((logits.argmax(dim=1) == y[start:start + 100]).sum())
            loss_sum += float(torch.nn.functional.cross_entropy(logits, y[start:start + 100], reduction="sum"))
    return Evaluation(correct / len(x), loss_sum / len(x), torch.cat(probs))


def new_model(m):
    return m["torchvision"].models.mobilenet_v2(num_classes=len(LABELS), width_mult=WIDTH_MULT)


def fit(m, model, data, epochs, max_lr, pct_start, label):
    """Trains in place with AdamW and a one-cycle schedule; returns the per-epoch history and the seconds.

    Used for the dense training and for every fine-tune after pruning. The caller seeds torch's global
    generator (weight init, dropout); the batch order and flips come from a generator seeded here.
    """
    torch = m["torch"]
    # channels_last lets oneDNN run the depthwise convolutions 2-3x faster on CPU; the math is the same.
    model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=max_lr, weight_decay=WEIGHT_DECAY)
    steps_per_epoch = (len(data.x_train) + BATCH_SIZE - 1) // BATCH_SIZE
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, epochs=epochs,
                                                   steps_per_epoch=steps_per_epoch, pct_start=pct_start)
    generator = torch.Generator().manual_seed(TORCH_SEED)
    history = []
    started = time.monotonic()
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(data.x_train), generator=generator)
        loss_sum, seen = 0.0, 0
        for start in range(0, len(order), BATCH_SIZE):
            index = order[start:start + BATCH_SIZE]
            xb = augment(torch, data.x_train[index], generator).contiguous(memory_format=torch.channels_last)
            yb = data.y_train[index]
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            schedule.step()
            loss_sum += float(loss) * len(index)
            seen += len(index)
        val = evaluate(torch, model, data.x_val, data.y_val)
        elapsed = time.monotonic() - started
        history.append({"epoch": epoch, "loss": loss_sum / seen, "valAccuracy": val.accuracy,
                        "valLoss": val.loss, "seconds": elapsed})
        print("{} epoch {}/{}: train loss {:.4f}, val accuracy {:.4f}, {:.0f} s".format(
            label, epoch, epochs, loss_sum / seen, val.accuracy, elapsed), flush=True)
    model.to(memory_format=torch.contiguous_format).eval()
    return history, time.monotonic() - started


Data = collections.namedtuple("Data", "x_train y_train x_val y_val")

# One trained network: its weights (pruning made permanent), what it was trained with and how it did.
Trained = collections.namedtuple("Trained", "name model info")


class Checkpoints:
    """Trained state_dicts under <data-dir>/defect-mobilenetv2/ (ignored by git), each with a JSON stamp
    of the settings it was trained with; a checkpoint is reused only when its stamp matches."""

    def __init__(self, m, directory, retrain):
        self.m, self.directory, self.retrain = m, directory, retrain
        directory.mkdir(parents=True, exist_ok=True)

    def path(self, name, suffix):
        return self.directory / (name + suffix)

    def load(self, name, stamp, force=False):
        weights, info_path = self.path(name, ".pt"), self.path(name, ".json")
        if (self.retrain and not force) or not weights.is_file() or not info_path.is_file():
            return None
        info = json.loads(info_path.read_text())
        if info.get("stamp") != stamp:
            return None
        model = new_model(self.m)
        model.load_state_dict(self.m["torch"].load(str(weights)))
        if not force:
            print("reusing trained weights {} ({})".format(weights, name), flush=True)
        return Trained(name, model.eval(), info)

    def save(self, name, model, info):
        self.m["torch"].save(model.state_dict(), str(self.path(name, ".pt")))
        info = dict(info, stateDictSha256=sha256(self.path(name, ".pt")))
        self.path(name, ".json").write_text(json.dumps(info, indent=1) + "\n")
        # Continue with the saved weights in a fresh network, exactly as a later run that reuses them:
        # prune.remove re-registers each weight last, and that parameter order would otherwise give a
        # byte-different (numerically identical) ONNX file than a run from the checkpoint.
        return self.load(name, info["stamp"], force=True)


def dense_baseline(m, data, checkpoints):
    """The dense network every pruned variant starts from: trained once, then reused."""
    stamp = {"kind": "dense", "widthMult": WIDTH_MULT, "epochs": EPOCHS, "batch": BATCH_SIZE, "maxLr": MAX_LR,
             "weightDecay": WEIGHT_DECAY, "seed": TORCH_SEED, "train": TRAIN, "val": VAL}
    cached = checkpoints.load("dense", stamp)
    if cached:
        return cached
    seed_everything(m["torch"])
    model = new_model(m)
    history, seconds = fit(m, model, data, EPOCHS, MAX_LR, 0.25, "dense")
    return checkpoints.save("dense", model, {"stamp": stamp, "method": "dense", "targetSparsity": 0.0,
                                            "epochs": EPOCHS, "history": history, "seconds": seconds})


def pruned_variant(m, dense, data, checkpoints, method, sparsity):
    """The dense network pruned to `sparsity` of its Conv2d/Linear weights by `method`, fine-tuned."""
    name = "{}-{:02d}".format(method, round(sparsity * 100))
    stamp = {"kind": method, "sparsity": sparsity, "base": dense.info["stateDictSha256"],
             "pruning": pruning.settings(method)}
    cached = checkpoints.load(name, stamp)
    if cached:
        return cached
    seed_everything(m["torch"])
    model = new_model(m)
    model.load_state_dict(dense.model.state_dict())

    def fine_tune(net, epochs, label):
        return fit(m, net, data, epochs, pruning.FINE_TUNE_MAX_LR, pruning.FINE_TUNE_PCT_START, name + " " + label)

    started = time.monotonic()
    history, fine_tune_epochs = pruning.METHODS[method](m["torch"], model, sparsity, fine_tune)
    seconds = time.monotonic() - started
    weight_sparsity = pruning.weight_sparsity(pruning.prunable_weights(m["torch"], model))
    print("{}: {:.4f} of the Conv2d/Linear weights are zero, {:.0f} s".format(name, weight_sparsity, seconds),
          flush=True)
    return checkpoints.save(name, model.eval(), {
        "stamp": stamp, "method": method, "targetSparsity": sparsity, "weightSparsity": weight_sparsity,
        "fineTuneEpochs": fine_tune_epochs, "history": history, "seconds": seconds})


def augment(torch, xb, generator):
    """Random horizontal and vertical flips: the plate is symmetric and flaws have no orientation.
    Pose, scale and lighting already vary in the renderer."""
    xb = xb.clone()
    flip_w = torch.rand(len(xb), generator=generator) < 0.5
    flip_h = torch.rand(len(xb), generator=generator) < 0.5
    xb[flip_w] = xb[flip_w].flip(3)
    xb[flip_h] = xb[flip_h].flip(2)
    return xb


def export_onnx(m, model, path):
    torch, onnx = m["torch"], m["onnx"]
    dummy = torch.zeros(1, 3, HEIGHT, WIDTH)
    torch.onnx.export(model, dummy, str(path), opset_version=OPSET, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=True)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto)
    check_signature(proto)
    return proto


def check_signature(proto):
    """The file must match the card: input [N,3,H,W] float32 named input, output [N,2] named logits."""
    def dims(value):
        return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]

    inputs = [i for i in proto.graph.input if i.name not in {t.name for t in proto.graph.initializer}]
    if len(inputs) != 1 or inputs[0].name != "input" or dims(inputs[0]) != ["N", 3, HEIGHT, WIDTH]:
        fail("unexpected ONNX input: " + str(inputs))
    if inputs[0].type.tensor_type.elem_type != 1:  # TensorProto.FLOAT
        fail("ONNX input is not float32")
    outputs = list(proto.graph.output)
    if len(outputs) != 1 or outputs[0].name != "logits" or dims(outputs[0]) != ["N", len(LABELS)]:
        fail("unexpected ONNX output: " + str(outputs))


def run_onnx_graph(m, proto, x):
    """Evaluates the exported graph node by node with torch's functional ops.

    No onnxruntime is packaged for Debian, so this small interpreter (only the ops a MobileNetV2
    export contains) checks that the file's weights and wiring compute what the eager model does.
    """
    torch, numpy_helper = m["torch"], m["onnx"].numpy_helper
    F = torch.nn.functional
    values = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in proto.graph.initializer}
    values["input"] = x
    for node in proto.graph.node:
        attrs = {a.name: m["onnx"].helper.get_attribute_value(a) for a in node.attribute}
        args = [values[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Conv":
            pads = list(attrs.get("pads", [0, 0, 0, 0]))
            if pads[0] != pads[2] or pads[1] != pads[3]:
                fail("asymmetric Conv padding not supported by the check: " + str(pads))
            out = F.conv2d(args[0], args[1], args[2] if len(args) > 2 else None,
                           stride=list(attrs.get("strides", [1, 1])), padding=pads[:2],
                           dilation=list(attrs.get("dilations", [1, 1])), groups=attrs.get("group", 1))
        elif op == "Clip":
            low = args[1] if len(args) > 1 and args[1] is not None else None
            high = args[2] if len(args) > 2 and args[2] is not None else None
            out = torch.clamp(args[0], min=float(low) if low is not None else None,
                              max=float(high) if high is not None else None)
        elif op == "Relu":
            out = torch.relu(args[0])
        elif op == "Add":
            out = args[0] + args[1]
        elif op == "GlobalAveragePool":
            out = args[0].mean(dim=(2, 3), keepdim=True)
        elif op == "ReduceMean":
            out = args[0].mean(dim=tuple(attrs["axes"]), keepdim=bool(attrs.get("keepdims", 1)))
        elif op == "Flatten":
            out = torch.flatten(args[0], start_dim=attrs.get("axis", 1))
        elif op == "Gemm":
            a = args[0].t() if attrs.get("transA", 0) else args[0]
            b = args[1].t() if attrs.get("transB", 0) else args[1]
            out = attrs.get("alpha", 1.0) * (a @ b)
            if len(args) > 2:
                out = out + attrs.get("beta", 1.0) * args[2]
        elif op == "Constant":
            out = torch.from_numpy(numpy_helper.to_array(attrs["value"]).copy())
        else:
            fail("the ONNX check does not know op " + op + "; extend run_onnx_graph")
        values[node.output[0]] = out
    return values["logits"]


def verify_onnx(m, proto, model, x):
    torch = m["torch"]
    with torch.no_grad():
        eager = model(x)
        graph = run_onnx_graph(m, proto, x)
    difference = float((eager - graph).abs().max())
    if difference > 1e-3:
        fail("ONNX graph and eager model disagree: max |logit difference| {:.2e}".format(difference))
    return difference


def onnx_parameter_counts(m, proto):
    """Initializer elements and how many of them are nonzero, as onnx.numpy_helper reads the file."""
    np, numpy_helper = m["numpy"], m["onnx"].numpy_helper
    arrays = [numpy_helper.to_array(t) for t in proto.graph.initializer]
    return sum(a.size for a in arrays), sum(int(np.count_nonzero(a)) for a in arrays)


def export_checked(m, trained, path, x_golden):
    """Exports one trained network to ONNX at path, checks it, and compares it with the eager model."""
    proto = export_onnx(m, trained.model, path)
    difference = verify_onnx(m, proto, trained.model, x_golden)
    parameters, nonzero = onnx_parameter_counts(m, proto)
    print("{}: ONNX {} bytes, {} parameters, {} nonzero, matches eager (max |logit difference| {:.2e})".format(
        trained.name, path.stat().st_size, parameters, nonzero, difference), flush=True)
    return proto, difference, parameters, nonzero


def write_golden(m, model, golden_src, preprocess):
    """Copies the golden images into the package and records the eager model's probabilities."""
    torch = m["torch"]
    golden_dir = PACKAGE_DIR / "golden"
    if golden_dir.exists():
        shutil.rmtree(golden_dir)
    golden_dir.mkdir()
    rows, x, y = preprocess.load_split(golden_src)
    result = evaluate(torch, model, x, y)
    expected = []
    for row, p in zip(rows, result.probabilities.tolist()):
        name = Path(row["file"]).name  # part-<n>-<kind>.png: unique, the kind stays readable
        shutil.copyfile(golden_src / row["file"], golden_dir / name)
        expected.append({"file": name, "label": row["label"], "probabilities": p})
    # One entry per line: diffs between two trainings stay readable.
    lines = ",\n".join(" " + json.dumps(entry) for entry in expected)
    (golden_dir / "expected.json").write_text("[\n" + lines + "\n]\n")
    return result.accuracy


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_card(onnx_path, provenance):
    card = {
        "name": NAME,
        "version": VERSION,
        "task": "classify",
        "file": onnx_path.name,
        "sha256": sha256(onnx_path),
        "input": {"name": "input", "layout": "NCHW", "height": HEIGHT, "width": WIDTH, "dtype": "float32"},
        "preprocessing": {
            "recipe": "torch-tensor",
            "resize": {"mode": "fixed", "height": HEIGHT, "width": WIDTH, "interpolation": "bilinear",
                       "antialias": False, "input": "float32"},
            "centerCrop": None,
            "scale": 1.0 / 255.0,
            "mean": MEAN,
            "std": STD,
            "channelOrder": "RGB",
        },
        "labels": LABELS,
        "postprocessing": {"softmax": True, "topK": len(LABELS)},
        "gate": {"minAccuracy": GATE_MIN_ACCURACY, "latencyBudgetMs": 100},
        "provenance": provenance,
    }
    (PACKAGE_DIR / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    return card


def parse_args(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("LINESIGHT_DATA_DIR", "/tmp/linesight-data")),
                        help="where rendered images and trained weights go (reused when complete); default "
                             "/tmp/linesight-data or $LINESIGHT_DATA_DIR")
    parser.add_argument("--retrain", action="store_true",
                        help="train the dense baseline and every pruned variant again instead of reusing them")
    if extra:
        extra(parser)
    return parser.parse_args()


def prepare(m, args):
    """Renders (or reuses) every split, loads train and validation tensors, opens the checkpoint folder."""
    check_camera_sim()
    m["torch"].set_num_threads(THREADS)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    splits = {s["split"]: export_split(s, args.data_dir) for s in (TRAIN, VAL, GOLDEN, TEST)}
    preprocess = Preprocessing(m)
    print("preprocessing to {}x{}".format(WIDTH, HEIGHT), flush=True)
    _, x_train, y_train = preprocess.load_split(splits["train"])
    _, x_val, y_val = preprocess.load_split(splits["val"])
    checkpoints = Checkpoints(m, args.data_dir / NAME, args.retrain)
    return splits, preprocess, Data(x_train, y_train, x_val, y_val), checkpoints


def choose(m, candidates, data):
    """The candidate with the best validation accuracy; a tie goes to the lower validation loss."""
    scored = [(evaluate(m["torch"], c.model, data.x_val, data.y_val), c) for c in candidates]
    chosen = max(scored, key=lambda s: (s[0].accuracy, -s[0].loss))[1]
    selection = "best validation accuracy, ties broken by lower validation loss: " + ", ".join(
        "{} {:.4f} / {:.4f}".format(c.info["method"], e.accuracy, e.loss) for e, c in scored)
    print("chose {} ({})".format(chosen.name, selection), flush=True)
    return chosen, selection


def data_description():
    def split(spec):
        first = spec.get("firstPart", FIRST_PART)
        return "{}={} (parts {}-{})".format(spec["split"], spec["seed"], first, first + spec["count"] - 1)
    return "LineSight simulated conveyor (bundles/camera-sim), seeds {}, {}, {}, defect rate {}".format(
        split(TRAIN), split(VAL), split(GOLDEN), DEFECT_RATE)


def ship(m, chosen, dense, splits, preprocess, data, checkpoints, commit, selection):
    """Gates the chosen network, then writes model.onnx, golden/ and model.json; nothing is written on refusal."""
    torch = m["torch"]
    val = evaluate(torch, chosen.model, data.x_val, data.y_val)
    if val.accuracy < MIN_VAL_ACCURACY:
        fail("validation accuracy {:.4f} of {} is below the target {}; no package written".format(
            val.accuracy, chosen.name, MIN_VAL_ACCURACY))
    _, x_golden, y_golden = preprocess.load_split(splits["golden"])
    golden = evaluate(torch, chosen.model, x_golden, y_golden)
    if golden.accuracy < GATE_MIN_ACCURACY:
        fail("golden accuracy {:.4f} of {} is below the card's gate {}; refusing to ship, package unchanged".format(
            golden.accuracy, chosen.name, GATE_MIN_ACCURACY))
    _, x_test, y_test = preprocess.load_split(splits["test"])
    test = evaluate(torch, chosen.model, x_test, y_test)  # reported only; never used to choose

    staged = checkpoints.path(chosen.name, ".onnx")
    proto, difference, parameters, nonzero = export_checked(m, chosen, staged, x_golden)
    onnx_path = PACKAGE_DIR / "model.onnx"
    shutil.copyfile(staged, onnx_path)
    write_golden(m, chosen.model, splits["golden"], preprocess)
    info = chosen.info
    provenance = {
        "data": data_description(),
        "images": TRAIN["count"],
        "epochs": EPOCHS,
        "sparsity": info["targetSparsity"],
        "precision": "fp32",
        "trainingSeconds": round(dense.info["seconds"] + info["seconds"], 1),
        "validationAccuracy": round(val.accuracy, 4),
        "goldenAccuracy": round(golden.accuracy, 4),
        "testAccuracy": round(test.accuracy, 4),
        "testData": "seed {}, parts {}-{}, defect rate {}, {} images; never used for training or selection".format(
            TEST["seed"], TEST["firstPart"], TEST["firstPart"] + TEST["count"] - 1, DEFECT_RATE, TEST["count"]),
        "pruning": {
            "method": info["method"],
            "criterion": "global unstructured L1 magnitude (torch.nn.utils.prune.global_unstructured)",
            "scope": "weights of every Conv2d and Linear layer; biases and batch norm dense",
            "weightSparsity": round(info["weightSparsity"], 4),
            "fileSparsity": round(1 - nonzero / parameters, 4),
            "parameters": parameters,
            "nonzeroParameters": nonzero,
            "fineTuneEpochs": info["fineTuneEpochs"],
            "fineTuneMaxLr": pruning.FINE_TUNE_MAX_LR,
            "denseTrainingSeconds": round(dense.info["seconds"], 1),
            "fineTuneSeconds": round(info["seconds"], 1),
            "selection": selection,
        },
        "pipelineCommit": commit,
    }
    card = write_card(onnx_path, provenance)
    print(json.dumps({"shipped": chosen.name, "onnxBytes": onnx_path.stat().st_size, "sha256": card["sha256"],
                      "maxLogitDifference": difference, "provenance": provenance}, indent=1), flush=True)


def main():
    args = parse_args("Train, prune and package " + NAME)
    m = import_dependencies()
    commit = git_head()
    started = time.monotonic()
    splits, preprocess, data, checkpoints = prepare(m, args)
    dense = dense_baseline(m, data, checkpoints)
    candidates = [pruned_variant(m, dense, data, checkpoints, method, SHIP_SPARSITY) for method in pruning.METHODS]
    chosen, selection = choose(m, candidates, data)
    ship(m, chosen, dense, splits, preprocess, data, checkpoints, commit, selection)
    print("pipeline {:.0f} s".format(time.monotonic() - started), flush=True)


if __name__ == "__main__":
    main()
