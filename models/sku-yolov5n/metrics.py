"""Detection metrics as YOLOv5's val.py computes them (the Java `model:eval` reimplements this file).

Per image (boxes in ORIGINAL image pixels, x1y1x2y2):
  1. predictions: the model output decoded with conf 0.001 and NMS IoU 0.6, at most 300 boxes
     (detection.decode: objectness > conf, obj x class > conf, class-aware greedy NMS), mapped back
     to the image with the letterbox geometry and clipped;
  2. labels: YOLO txt (class cx cy w h normalised) times the image width/height;
  3. match_predictions(): for each IoU threshold t in 0.50, 0.55, ..., 0.95 separately: all
     (label, prediction) pairs with IoU >= t and the same class, sorted by IoU descending; keep the
     first pair of each prediction, then (in the order np.unique leaves them: by prediction index) the
     first pair of each label; those predictions are true positives at t.
Over the whole set (ap_per_class):
  4. sort all predictions by confidence descending; per class, cumulative TP and FP; recall =
     TP / (labels + 1e-16), precision = TP / (TP + FP);
  5. AP per IoU threshold: recall with sentinels 0 and 1, precision with sentinels 1 and 0, precision
     made monotone (running max from the right), sampled at 101 recall points 0, 0.01, ..., 1 with
     linear interpolation (np.interp) and integrated with the trapezoidal rule (np.trapz);
  6. P, R, F1: precision (np.interp, left=1) and recall (left=0) as functions of confidence sampled at
     1000 points linspace(0, 1); F1 = 2PR / (P + R + 1e-16); the confidence index is the argmax of the
     F1 curve (mean over classes) smoothed by smooth(f1, 0.1): a centred box filter of
     round(1000 * 0.1 * 2) // 2 + 1 = 101 points, edges padded with the end values (np.convolve
     'valid'); P, R, F1 are read at that index (ties: the first maximum);
  7. mAP50 = mean over classes of AP at 0.5; mAP50-95 = mean over classes of the mean AP over the
     ten thresholds; P, R, F1 = means over classes. Classes without labels are left out.
"""

import numpy as np

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)
VAL_CONF = 0.001
VAL_IOU = 0.6
VAL_MAX_DET = 300


def box_iou(a, b, eps=1e-7):
    """[n,4] x [m,4] -> [n,m] IoU (float64), as YOLOv5's box_iou (eps in the denominator)."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clip(0).prod(2)
    area_a = (a[:, 2:] - a[:, :2]).prod(1)
    area_b = (b[:, 2:] - b[:, :2]).prod(1)
    return inter / (area_a[:, None] + area_b[None, :] - inter + eps)


def match_predictions(pred_boxes, pred_classes, label_boxes, label_classes):
    """[n_pred, 10] bool: is each prediction a true positive at each IoU threshold (val.py process_batch)."""
    correct = np.zeros((len(pred_boxes), len(IOU_THRESHOLDS)), bool)
    if len(pred_boxes) == 0 or len(label_boxes) == 0:
        return correct
    iou = box_iou(label_boxes, pred_boxes)
    same_class = np.asarray(label_classes)[:, None] == np.asarray(pred_classes)[None, :]
    for k, t in enumerate(IOU_THRESHOLDS):
        li, pi = np.nonzero((iou >= t) & same_class)
        if len(li) == 0:
            continue
        matches = np.stack((li, pi, iou[li, pi]), 1)
        if len(li) > 1:
            matches = matches[matches[:, 2].argsort()[::-1]]
            matches = matches[np.unique(matches[:, 1], return_index=True)[1]]
            matches = matches[np.unique(matches[:, 0], return_index=True)[1]]
        correct[matches[:, 1].astype(int), k] = True
    return correct


def smooth(y, f=0.05):
    """Box filter of fraction f (odd length, edges padded with the end values)."""
    nf = round(len(y) * f * 2) // 2 + 1
    p = np.ones(nf // 2)
    yp = np.concatenate((p * y[0], y, p * y[-1]), 0)
    return np.convolve(yp, np.ones(nf) / nf, mode="valid")


def compute_ap(recall, precision):
    """101-point interpolated AP of the monotone precision envelope."""
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([1.0], precision, [0.0]))
    mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
    x = np.linspace(0, 1, 101)
    return np.trapz(np.interp(x, mrec, mpre), x)


def ap_per_class(tp, conf, pred_cls, target_cls, eps=1e-16):
    """Returns per class (p, r, f1, ap[10], classes) at the max-F1 confidence (val.py / ap_per_class)."""
    i = np.argsort(-conf)
    tp, conf, pred_cls = tp[i], conf[i], pred_cls[i]
    classes, nt = np.unique(target_cls, return_counts=True)
    px = np.linspace(0, 1, 1000)
    ap = np.zeros((len(classes), tp.shape[1]))
    p = np.zeros((len(classes), 1000))
    r = np.zeros((len(classes), 1000))
    for ci, c in enumerate(classes):
        i = pred_cls == c
        n_l, n_p = nt[ci], i.sum()
        if n_p == 0 or n_l == 0:
            continue
        fpc = (1 - tp[i]).cumsum(0)
        tpc = tp[i].cumsum(0)
        recall = tpc / (n_l + eps)
        r[ci] = np.interp(-px, -conf[i], recall[:, 0], left=0)
        precision = tpc / (tpc + fpc)
        p[ci] = np.interp(-px, -conf[i], precision[:, 0], left=1)
        for j in range(tp.shape[1]):
            ap[ci, j] = compute_ap(recall[:, j], precision[:, j])
    f1 = 2 * p * r / (p + r + eps)
    k = smooth(f1.mean(0), 0.1).argmax()
    return p[:, k], r[:, k], f1[:, k], ap, classes, px[k]


class Evaluator:
    """Accumulates images, then summarises: add(predictions, labels) per image, then result()."""

    def __init__(self):
        self.stats = []  # (correct [n,10], conf [n], pred class [n], label classes [m])
        self.images = 0
        self.labels = 0

    def add(self, pred_boxes, pred_conf, pred_cls, label_boxes, label_cls):
        self.images += 1
        self.labels += len(label_boxes)
        correct = match_predictions(pred_boxes, pred_cls, label_boxes, label_cls)
        self.stats.append((correct, np.asarray(pred_conf, np.float64), np.asarray(pred_cls, np.int64),
                           np.asarray(label_cls, np.int64)))

    def result(self):
        correct, conf, pcls, tcls = (np.concatenate(x, 0) for x in zip(*self.stats))
        out = {"images": self.images, "labels": self.labels, "predictions": int(len(conf))}
        if len(correct) and correct.any():
            p, r, f1, ap, _, best_conf = ap_per_class(correct.astype(np.float64), conf, pcls, tcls)
            out.update({"precision": float(p.mean()), "recall": float(r.mean()),
                        "mAP50": float(ap[:, 0].mean()), "mAP50-95": float(ap.mean(1).mean()),
                        "f1": float(f1.mean()), "f1Confidence": float(best_conf)})
        else:
            out.update({"precision": 0.0, "recall": 0.0, "mAP50": 0.0, "mAP50-95": 0.0, "f1": 0.0,
                        "f1Confidence": 0.0})
        return out
