#!/usr/bin/python3
"""Builds the defect-mobilenetv2 model package from the simulated conveyor camera.

Steps: export labelled images with the camera simulator (bundles/camera-sim), train a MobileNetV2
classifier from scratch, export it to ONNX, check the ONNX file, write the golden set with reference
probabilities and the model card (model.json). Run it through the wrapper:

    models/train.sh defect-mobilenetv2

Every random choice is seeded, so a rebuild gives the same data and a model of the same quality
(the exact weights may still differ slightly: multi-threaded float sums on CPU are not bit-stable).
"""

import argparse
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

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
CAMERA_SIM_CLASSES = REPO_DIR / "bundles" / "camera-sim" / "target" / "classes"
EXPORT_MAIN = "io.linesight.camera.sim.DatasetExport"

NAME = "defect-mobilenetv2"
VERSION = "0.1.0"
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
    wanted = {"seed": spec["seed"], "count": spec["count"], "firstPart": FIRST_PART, "defectRate": DEFECT_RATE}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        print("reusing {} ({} images)".format(directory, spec["count"]), flush=True)
        return directory
    if directory.exists():
        shutil.rmtree(directory)
    print("rendering {} images (seed {}) into {}".format(spec["count"], spec["seed"], directory), flush=True)
    subprocess.run(["java", "-cp", str(CAMERA_SIM_CLASSES), EXPORT_MAIN, "--out", str(directory),
                    "--count", str(spec["count"]), "--seed", str(spec["seed"]),
                    "--first-part", str(FIRST_PART), "--defect-rate", str(DEFECT_RATE)], check=True)
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


def evaluate(torch, model, x, y):
    model.eval()
    correct, probs = 0, []
    with torch.no_grad():
        for start in range(0, len(x), 100):
            logits = model(x[start:start + 100])
            probs.append(torch.softmax(logits, dim=1))
            correct += int((logits.argmax(dim=1) == y[start:start + 100]).sum())
    return correct / len(x), torch.cat(probs)


def train(m, x_train, y_train, x_val, y_val):
    torch, torchvision = m["torch"], m["torchvision"]
    seed_everything(torch)
    model = torchvision.models.mobilenet_v2(num_classes=len(LABELS), width_mult=WIDTH_MULT)
    # channels_last lets oneDNN run the depthwise convolutions 2-3x faster on CPU; the math is the same.
    model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=MAX_LR, weight_decay=WEIGHT_DECAY)
    steps_per_epoch = (len(x_train) + BATCH_SIZE - 1) // BATCH_SIZE
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=MAX_LR, epochs=EPOCHS,
                                                   steps_per_epoch=steps_per_epoch, pct_start=0.25)
    generator = torch.Generator().manual_seed(TORCH_SEED)
    history = []
    started = time.monotonic()
    for epoch in range(1, EPOCHS + 1):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        loss_sum, seen = 0.0, 0
        for start in range(0, len(order), BATCH_SIZE):
            index = order[start:start + BATCH_SIZE]
            xb = augment(torch, x_train[index], generator).contiguous(memory_format=torch.channels_last)
            yb = y_train[index]
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            schedule.step()
            loss_sum += float(loss) * len(index)
            seen += len(index)
        accuracy, _ = evaluate(torch, model, x_val, y_val)
        elapsed = time.monotonic() - started
        history.append({"epoch": epoch, "loss": loss_sum / seen, "valAccuracy": accuracy, "seconds": elapsed})
        print("epoch {}/{}: train loss {:.4f}, val accuracy {:.4f}, {:.0f} s".format(
            epoch, EPOCHS, loss_sum / seen, accuracy, elapsed), flush=True)
    model = model.to(memory_format=torch.contiguous_format).eval()
    return model, history, time.monotonic() - started


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


def write_golden(m, model, golden_src, preprocess):
    """Copies the golden images into the package and records the eager model's probabilities."""
    torch = m["torch"]
    golden_dir = PACKAGE_DIR / "golden"
    if golden_dir.exists():
        shutil.rmtree(golden_dir)
    golden_dir.mkdir()
    rows, x, y = preprocess.load_split(golden_src)
    accuracy, probs = evaluate(torch, model, x, y)
    expected = []
    for row, p in zip(rows, probs.tolist()):
        name = Path(row["file"]).name  # part-<n>-<kind>.png: unique, the kind stays readable
        shutil.copyfile(golden_src / row["file"], golden_dir / name)
        expected.append({"file": name, "label": row["label"], "probabilities": p})
    # One entry per line: diffs between two trainings stay readable.
    lines = ",\n".join(" " + json.dumps(entry) for entry in expected)
    (golden_dir / "expected.json").write_text("[\n" + lines + "\n]\n")
    return accuracy, x


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
            "resize": {"mode": "fixed", "height": HEIGHT, "width": WIDTH, "interpolation": "bilinear",
                       "antialias": False},
            "centerCrop": None,
            "scale": 1.0 / 255.0,
            "mean": MEAN,
            "std": STD,
            "channelOrder": "RGB",
        },
        "labels": LABELS,
        "postprocessing": {"softmax": True, "topK": len(LABELS)},
        "gate": {"minAccuracy": 0.95, "latencyBudgetMs": 100},
        "provenance": provenance,
    }
    (PACKAGE_DIR / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    return card


def main():
    parser = argparse.ArgumentParser(description="Train and package " + NAME)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("LINESIGHT_DATA_DIR", "/tmp/linesight-data")),
                        help="where rendered images go (reused when complete); default /tmp/linesight-data "
                             "or $LINESIGHT_DATA_DIR")
    args = parser.parse_args()

    m = import_dependencies()
    check_camera_sim()
    torch = m["torch"]
    torch.set_num_threads(THREADS)
    commit = git_head()
    pipeline_started = time.monotonic()

    args.data_dir.mkdir(parents=True, exist_ok=True)
    train_dir, val_dir, golden_dir = (export_split(s, args.data_dir) for s in (TRAIN, VAL, GOLDEN))

    preprocess = Preprocessing(m)
    print("preprocessing to {}x{}".format(WIDTH, HEIGHT), flush=True)
    _, x_train, y_train = preprocess.load_split(train_dir)
    _, x_val, y_val = preprocess.load_split(val_dir)

    model, history, training_seconds = train(m, x_train, y_train, x_val, y_val)
    val_accuracy = history[-1]["valAccuracy"]
    if val_accuracy < MIN_VAL_ACCURACY:
        fail("validation accuracy {:.4f} is below the target {}; no package written".format(
            val_accuracy, MIN_VAL_ACCURACY))

    onnx_path = PACKAGE_DIR / "model.onnx"
    proto = export_onnx(m, model, onnx_path)
    golden_accuracy, x_golden = write_golden(m, model, golden_dir, preprocess)
    difference = verify_onnx(m, proto, model, x_golden)
    print("ONNX graph matches the eager model on the golden set (max |logit difference| {:.2e})".format(
        difference), flush=True)

    provenance = {
        "data": "LineSight simulated conveyor (bundles/camera-sim), seeds train={} (parts {}-{}), val={} (parts "
                "{}-{}), golden={} (parts {}-{}), defect rate {}".format(
                    TRAIN["seed"], FIRST_PART, FIRST_PART + TRAIN["count"] - 1,
                    VAL["seed"], FIRST_PART, FIRST_PART + VAL["count"] - 1,
                    GOLDEN["seed"], FIRST_PART, FIRST_PART + GOLDEN["count"] - 1, DEFECT_RATE),
        "images": TRAIN["count"],
        "epochs": EPOCHS,
        "sparsity": 0.0,
        "precision": "fp32",
        "trainingSeconds": round(training_seconds, 1),
        "validationAccuracy": round(val_accuracy, 4),
        "goldenAccuracy": round(golden_accuracy, 4),
        "pipelineCommit": commit,
    }
    card = write_card(onnx_path, provenance)
    print(json.dumps({"history": history, "pipelineSeconds": round(time.monotonic() - pipeline_started, 1),
                      "onnxBytes": onnx_path.stat().st_size, "sha256": card["sha256"],
                      "validationAccuracy": val_accuracy, "goldenAccuracy": golden_accuracy}, indent=1))


if __name__ == "__main__":
    main()
