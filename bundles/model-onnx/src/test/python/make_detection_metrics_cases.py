"""Writes src/test/resources/yolo-metrics/*.json: synthetic detection sets (predictions and ground truth in
image pixels) with what models/sku-yolov5n/metrics.py -- the Python version of YOLOv5's val.py
metrics -- computes for them: the per-image true-positive matrix and the summary (P, R, F1, mAP50,
mAP50-95 overall and per class). DetectionMetricsParityTest compares the Java code with these.

Run with Debian's Python: /usr/bin/python3 make_detection_metrics_cases.py
"""
import json
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # leave no __pycache__ in models/sku-yolov5n
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "..", "models", "sku-yolov5n"))
import metrics  # noqa: E402  (models/sku-yolov5n/metrics.py)

OUT = os.path.join(HERE, "..", "resources", "yolo-metrics")


def scene(rng, classes, images, fp_rate, jitter):
    result = []
    for _ in range(images):
        labels, preds = [], []
        for _ in range(int(rng.integers(0, 9))):
            c = int(rng.integers(0, classes))
            x1, y1 = rng.uniform(0, 560, 2)
            w, h = rng.uniform(8, 80, 2)
            labels.append([c, x1, y1, x1 + w, y1 + h])
            if rng.random() < 0.85:  # found, with some localisation error and sometimes the wrong class
                d = rng.normal(0, jitter, 4) * [w, h, w, h]
                pc = c if rng.random() < 0.9 else int(rng.integers(0, classes))
                preds.append([pc, float(np.float32(rng.uniform(0.05, 1))), x1 + d[0], y1 + d[1], x1 + w + d[2],
                              y1 + h + d[3]])
        for _ in range(int(rng.poisson(fp_rate))):  # false positives, one class never labelled
            x1, y1 = rng.uniform(0, 560, 2)
            w, h = rng.uniform(8, 80, 2)
            preds.append([int(rng.integers(0, classes + 1)), float(np.float32(rng.uniform(0.001, 0.7))), x1, y1,
                          x1 + w, y1 + h])
        preds = [p[:2] + [round(float(v), 2) for v in p[2:]] for p in preds]  # short files
        labels = [t[:1] + [round(float(v), 2) for v in t[1:]] for t in labels]
        preds.sort(key=lambda p: -p[1])
        result.append({"pred": preds, "labels": labels})
    return result


def evaluate(images):
    ev = metrics.Evaluator()
    for im in images:
        p = np.array(im["pred"], np.float64).reshape(-1, 6)
        t = np.array(im["labels"], np.float64).reshape(-1, 5)
        ev.add(p[:, 2:6], p[:, 1], p[:, 0].astype(np.int64), t[:, 1:5], t[:, 0].astype(np.int64))
        im["correct"] = ev.stats[-1][0].astype(int).tolist()
    summary = ev.result()
    correct, conf, pcls, tcls = (np.concatenate(x, 0) for x in zip(*ev.stats))
    p, r, f1, ap, classes, _ = metrics.ap_per_class(correct.astype(np.float64), conf, pcls, tcls)
    summary["perClass"] = [{"cls": int(c), "precision": float(p[i]), "recall": float(r[i]), "f1": float(f1[i]),
                            "mAP50": float(ap[i, 0]), "mAP50-95": float(ap[i].mean())}
                           for i, c in enumerate(classes)]
    return summary


def write(name, images):
    summary = evaluate(images)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"images": images, "expected": summary}, f)
        f.write("\n")
    print(name, {k: v for k, v in summary.items() if k != "perClass"})


os.makedirs(OUT, exist_ok=True)
write("one-class", scene(np.random.default_rng(1), 1, 30, 1.0, 0.05))
write("three-classes", scene(np.random.default_rng(2), 3, 60, 2.0, 0.08))
write("sloppy", scene(np.random.default_rng(3), 2, 40, 4.0, 0.2))
