"""The card's pre- and post-processing (recipe torch-tensor): what the model is trained and checked with.

letterbox(): YOLOv5's letterbox geometry (scale r = min(S/h, S/w), resized size round(w*r) x round(h*r),
Python's round, centred with top/left = round(d - 0.1)), but the resize is torch's bilinear interpolation
of the float image / 255 (torch.nn.functional.interpolate, align_corners=False, no antialias; no uint8
rounding) instead of YOLOv5's cv2.resize of the uint8 image: the card's recipe "torch-tensor".
decode(): YoloDecoder.java: objectness > conf and obj x best class score > conf, xywh -> xyxy in
input pixels, greedy class-aware NMS over a STABLE descending sort of the confidence (IoU > iou
suppresses), at most max_det boxes, mapped back with the unrounded padding (YOLOv5 scale_boxes) and
clipped to [0, width] x [0, height].
"""


import numpy as np
import torch

PAD_VALUE = 114


class Geometry:
    """Where a w x h frame lands in the S x S input (Letterbox.of)."""

    def __init__(self, frame_w, frame_h, input_w, input_h):
        self.frame_w, self.frame_h = frame_w, frame_h
        self.r = min(input_h / frame_h, input_w / frame_w)
        self.resized_w = int(round(frame_w * self.r))
        self.resized_h = int(round(frame_h * self.r))
        self.left = int(round((input_w - self.resized_w) / 2.0 - 0.1))
        self.top = int(round((input_h - self.resized_h) / 2.0 - 0.1))
        self.pad_x = (input_w - frame_w * self.r) / 2.0
        self.pad_y = (input_h - frame_h * self.r) / 2.0

    def to_frame(self, boxes):
        """[n, 4] x1y1x2y2 input pixels -> frame pixels, clipped (float64 arithmetic as Java's doubles)."""
        out = np.empty_like(boxes, dtype=np.float64)
        out[:, [0, 2]] = (boxes[:, [0, 2]].astype(np.float64) - self.pad_x) / self.r
        out[:, [1, 3]] = (boxes[:, [1, 3]].astype(np.float64) - self.pad_y) / self.r
        out[:, [0, 2]] = out[:, [0, 2]].clip(0, self.frame_w)
        out[:, [1, 3]] = out[:, [1, 3]].clip(0, self.frame_h)
        return out.astype(np.float32)


def letterbox(rgb, size):
    """HxWx3 uint8 RGB -> float32 [3, size, size] input tensor and its Geometry."""
    h, w = rgb.shape[:2]
    g = Geometry(w, h, size, size)
    x = torch.from_numpy(np.ascontiguousarray(rgb)).permute(2, 0, 1).unsqueeze(0).to(torch.float32) / 255.0
    resized = torch.nn.functional.interpolate(x, size=(g.resized_h, g.resized_w), mode="bilinear",
                                              align_corners=False, antialias=False)[0]
    canvas = torch.full((3, size, size), np.float32(PAD_VALUE) / np.float32(255.0), dtype=torch.float32)
    canvas[:, g.top:g.top + g.resized_h, g.left:g.left + g.resized_w] = resized
    return canvas, g


def box_iou_matrix(a, b):
    """IoU of every box in a [n,4] with every box in b [m,4] (x1y1x2y2, float32)."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clip(0)
    inter = wh[..., 0] * wh[..., 1]
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / (area_a[:, None] + area_b[None, :] - inter + np.float32(1e-12))


def nms(boxes, scores, classes, iou_threshold, max_det):
    """Greedy class-aware NMS over a stable descending sort; returns kept indices, best first."""
    order = np.argsort(-scores, kind="stable")
    keep = []
    suppressed = np.zeros(len(scores), bool)
    for pos, i in enumerate(order):
        if len(keep) >= max_det:
            break
        if suppressed[i]:
            continue
        keep.append(i)
        rest = order[pos + 1:]
        rest = rest[~suppressed[rest] & (classes[rest] == classes[i])]
        if len(rest):
            iou = box_iou_matrix(boxes[i:i + 1], boxes[rest])[0]
            suppressed[rest[iou > iou_threshold]] = True
    return np.asarray(keep, dtype=np.int64)


def decode(output, conf_threshold, iou_threshold, max_det):
    """One image's output [rows, 5 + nc] -> (boxes x1y1x2y2 input px, confidence, class), after NMS."""
    output = np.asarray(output, dtype=np.float32)
    obj = output[:, 4]
    cls_scores = output[:, 5:]
    best = cls_scores.argmax(1)  # first maximum, as the Java loop (strictly greater replaces)
    conf = obj * cls_scores[np.arange(len(output)), best]
    mask = (obj > conf_threshold) & (conf > conf_threshold)
    rows = output[mask]
    half_w, half_h = rows[:, 2] / np.float32(2), rows[:, 3] / np.float32(2)
    boxes = np.stack((rows[:, 0] - half_w, rows[:, 1] - half_h, rows[:, 0] + half_w, rows[:, 1] + half_h), 1)
    conf, best = conf[mask], best[mask]
    keep = nms(boxes, conf, best, iou_threshold, max_det)
    return boxes[keep], conf[keep], best[keep]
