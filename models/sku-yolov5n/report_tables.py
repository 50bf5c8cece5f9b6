#!/usr/bin/python3
"""Prints the REPORT.md tables from <data-dir>/sku-yolov5n/weights/results.json (and bench.json if present)."""
import json
import os
import sys
from pathlib import Path

base = Path(os.environ.get("LINESIGHT_DATA_DIR", "/tmp/linesight-data")) / "sku-yolov5n" / "weights"
r = json.loads((base / "results.json").read_text())
bench = json.loads((base / "bench.json").read_text()) if (base / "bench.json").is_file() else None
print("| variant | file bytes | P | R | mAP50 | mAP50-95 | F1 | golden mAP50 | ORT ms (package step) | ORT ms (bench) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for v, d in r["variants"].items():
    t = d["test"]
    b = "{:.2f}".format(bench["medianMs"][v]) if bench and v in bench["medianMs"] else "-"
    print("| {} | {:,} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.2f} | {} |".format(
        v, d["bytes"], t["precision"], t["recall"], t["mAP50"], t["mAP50-95"], t["f1"], d["golden"]["mAP50"],
        d["ortLatency"]["median_ms"], b))
e = r["eagerTest"]
print("| eager PyTorch fp32 | - | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.2f} | {} |".format(
    e["precision"], e["recall"], e["mAP50"], e["mAP50-95"], e["f1"], r["eagerGolden"]["mAP50"], r["eagerLatencyMs"],
    "{:.2f}".format(bench["medianMs"]["eager-fp32"]) if bench else "-"))
print()
for v, d in r["variants"].items():
    print(v, "max |ORT - eager| xywh {:.4g} px, scores {:.4g}".format(d["maxDiffVsEager"]["xywh"],
                                                                     d["maxDiffVsEager"]["scores"]))
print(json.dumps(r["training"], indent=1))
if bench:
    print(json.dumps(bench, indent=1))
