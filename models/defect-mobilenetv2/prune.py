#!/usr/bin/python3
"""The pruning study behind REPORT.md: the dense baseline against global unstructured magnitude pruning
at 30, 50 and 70 % (one-shot + fine-tune, and iterative), on the held-out test split.

    /usr/bin/python3 models/defect-mobilenetv2/prune.py study     # train what is missing, evaluate, export
    /usr/bin/python3 models/defect-mobilenetv2/prune.py latency   # PyTorch eager latency, batch 1
    (ONNX Runtime latency: the Java harness PackageLatencyBenchmark in bundles/model-onnx, see README)
    /usr/bin/python3 models/defect-mobilenetv2/prune.py report --ort ort.txt   # the REPORT.md table

Everything goes to <data-dir>/defect-mobilenetv2/ (default /tmp/linesight-data): the state_dicts
(shared with train.py, which ships the 50 % variant), one ONNX file per variant, study.json and
eager-latency.json. Run every step with `nice -n 19`: the machine is shared.
"""

import json
import math
import os
import platform
import re
import statistics
import sys
import time
import zipfile
from pathlib import Path

import pruning
import train

SPARSITIES = (0.3, 0.5, 0.7)
LATENCY_WARMUP = 20
LATENCY_RUNS = 300
LATENCY_ROUNDS = 10


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(), "python": platform.python_version()}


def zipped_size(path):
    """Bytes of path stored alone in a zip, deflate level 9: what a package costs to transport."""
    target = path.with_suffix(".onnx.zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.write(path, arcname=path.name)
    return target.stat().st_size


def all_variants(m, data, checkpoints):
    dense = train.dense_baseline(m, data, checkpoints)
    variants = [dense]
    for sparsity in SPARSITIES:
        for method in pruning.METHODS:
            variants.append(train.pruned_variant(m, dense, data, checkpoints, method, sparsity))
    return variants


def layer_sparsity(torch, model):
    """Fraction of zero weights per Conv2d/Linear layer: a global threshold spreads them unevenly."""
    return {name: round(float((module.weight == 0).float().mean()), 4) for name, module in model.named_modules()
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear))}


def measure(m, trained, data, tensors, checkpoints):
    """Accuracy on val/test/golden, parameter counts, ONNX file and zipped sizes of one variant."""
    torch = m["torch"]
    (x_golden, y_golden), (x_test, y_test) = tensors["golden"], tensors["test"]
    val = train.evaluate(torch, trained.model, data.x_val, data.y_val)
    test = train.evaluate(torch, trained.model, x_test, y_test)
    golden = train.evaluate(torch, trained.model, x_golden, y_golden)
    path = checkpoints.path(trained.name, ".onnx")
    _, difference, parameters, nonzero = train.export_checked(m, trained, path, x_golden)
    targets = pruning.prunable_weights(torch, trained.model)
    info = trained.info
    return {
        "name": trained.name, "method": info["method"], "targetSparsity": info["targetSparsity"],
        "valAccuracy": val.accuracy, "valLoss": val.loss, "testAccuracy": test.accuracy,
        "testErrors": round((1 - test.accuracy) * len(y_test)), "goldenAccuracy": golden.accuracy,
        "torchParameters": sum(p.numel() for p in trained.model.parameters()),
        "prunableWeights": sum(getattr(mod, name).numel() for mod, name in targets),
        "weightSparsity": pruning.weight_sparsity(targets),
        "layerSparsity": layer_sparsity(torch, trained.model),
        "onnxParameters": parameters, "onnxNonzero": nonzero, "onnxSparsity": 1 - nonzero / parameters,
        "onnxBytes": path.stat().st_size, "zipBytes": zipped_size(path), "onnx": str(path),
        "onnxSha256": train.sha256(path), "maxLogitDifference": difference,
        "epochs": info.get("epochs", info.get("fineTuneEpochs")), "seconds": info["seconds"],
        "history": info["history"],
    }


def study(m, args):
    started = time.monotonic()
    splits, preprocess, data, checkpoints = train.prepare(m, args)
    tensors = {}
    for split in ("golden", "test"):
        _, x, y = preprocess.load_split(splits[split])
        tensors[split] = (x, y)
    results = [measure(m, v, data, tensors, checkpoints) for v in all_variants(m, data, checkpoints)]
    out = checkpoints.directory / "study.json"
    out.write_text(json.dumps({"machine": machine(), "torch": m["torch"].__version__,
                               "seconds": time.monotonic() - started, "variants": results}, indent=1) + "\n")
    for r in results:
        print("{:<14} val {:.4f} test {:.4f} golden {:.4f} zeros {:.3f} onnx {} zip {}".format(
            r["name"], r["valAccuracy"], r["testAccuracy"], r["goldenAccuracy"], r["onnxSparsity"],
            r["onnxBytes"], r["zipBytes"]))
    print("wrote", out)


def eager_latency(torch, models):
    """Median and p95 ms of one batch-1 forward pass per model, a fixed random input.

    After a warm-up of each, the timed runs go in LATENCY_ROUNDS rounds that take the models in turn
    (as the Java harness does), so a burst of load from elsewhere on the machine hits every model alike.
    """
    x = torch.randn(1, 3, train.HEIGHT, train.WIDTH, generator=torch.Generator().manual_seed(7))
    times = {name: [] for name in models}
    with torch.no_grad():
        for model in models.values():
            model.eval()
            for _ in range(LATENCY_WARMUP):
                model(x)
        for round_index in range(LATENCY_ROUNDS):
            for name, model in models.items():
                for _ in range(LATENCY_RUNS // LATENCY_ROUNDS):
                    started = time.perf_counter()
                    model(x)
                    times[name].append((time.perf_counter() - started) * 1000)
    result = {}
    for name, t in times.items():
        t.sort()
        result[name] = {"medianMs": statistics.median(t), "p95Ms": t[math.ceil(0.95 * len(t)) - 1], "runs": len(t)}
    return result


def latency(m, args):
    torch = m["torch"]
    torch.set_num_threads(train.THREADS)
    directory = args.data_dir / train.NAME
    results = json.loads((directory / "study.json").read_text())["variants"]
    models = {}
    for r in results:
        models[r["name"]] = train.new_model(m)
        models[r["name"]].load_state_dict(torch.load(str(directory / (r["name"] + ".pt"))))
    measured = {"threads": torch.get_num_threads(), "loadBefore": os.getloadavg()}
    measured["variants"] = eager_latency(torch, models)
    measured["loadAfter"] = os.getloadavg()
    for name, v in measured["variants"].items():
        print("{:<14} eager median {medianMs:.2f} ms, p95 {p95Ms:.2f} ms, {runs} runs".format(name, **v))
    (directory / "eager-latency.json").write_text(json.dumps(measured, indent=1) + "\n")
    print("load average before {}, after {}".format(measured["loadBefore"], measured["loadAfter"]))
    print("ONNX files for the Java harness: -Dbench.models=" + ",".join(r["onnx"] for r in results))


def read_ort(path):
    """Median and p95 per ONNX file from the harness output (lines 'bench <file> median <ms> p95 <ms> ...')."""
    found = {}
    for line in Path(path).read_text().splitlines():
        match = re.match(r"bench (\S+) median ([\d.]+) ms p95 ([\d.]+) ms", line.strip())
        if match:
            found[Path(match.group(1)).stem] = (float(match.group(2)), float(match.group(3)))
    return found


def report(args):
    directory = args.data_dir / train.NAME
    results = json.loads((directory / "study.json").read_text())
    eager = json.loads((directory / "eager-latency.json").read_text())["variants"]
    ort = read_ort(args.ort) if args.ort else {}
    print("| model | test acc. | val acc. | parameters | nonzero | sparsity (file) | pruned weights zero "
          "| ONNX bytes | zipped bytes | ORT ms (median / p95) | eager ms (median / p95) | train / fine-tune s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results["variants"]:
        o = ort.get(r["name"])
        e = eager.get(r["name"])
        print("| {} | {:.1%} ({} wrong) | {:.1%} | {:,} | {:,} | {:.1%} | {:.1%} | {:,} | {:,} ({:.0%}) | {} | {} | {:.0f} ({} ep.) |"
              .format(r["name"], r["testAccuracy"], r["testErrors"], r["valAccuracy"], r["onnxParameters"],
                      r["onnxNonzero"], r["onnxSparsity"], r["weightSparsity"], r["onnxBytes"], r["zipBytes"],
                      r["zipBytes"] / r["onnxBytes"],
                      "{:.2f} / {:.2f}".format(*o) if o else "-",
                      "{:.2f} / {:.2f}".format(e["medianMs"], e["p95Ms"]) if e else "-",
                      r["seconds"], r["epochs"]))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("study", "latency", "report"):
        train.fail("usage: prune.py study|latency|report [--data-dir DIR] [--retrain] [--ort FILE]")
    command = sys.argv.pop(1)
    args = train.parse_args("Pruning study of " + train.NAME + ": " + command,
                            lambda p: p.add_argument("--ort", help="output of PackageLatencyBenchmark"))
    if command == "report":
        report(args)
        return
    m = train.import_dependencies()
    (study if command == "study" else latency)(m, args)


if __name__ == "__main__":
    main()
