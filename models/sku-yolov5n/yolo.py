"""YOLOv5 n-scale (v6.x layout: 6x6 stem conv, C3, SPPF, PANet neck, Detect), written for LineSight.

The architecture, anchors, strides and loss arithmetic follow the published YOLOv5 design (facts); the
code is ours. Depth multiple 0.33 and width multiple 0.25 give the "n" model: 1.77 M parameters with
one class.
"""

import math

import torch
import torch.nn as nn

DEPTH_MULTIPLE = 0.33
WIDTH_MULTIPLE = 0.25
STRIDES = (8, 16, 32)
# Standard YOLOv5 anchors in input pixels: P3/8, P4/16, P5/32.
ANCHORS = ((10, 13, 16, 30, 33, 23), (30, 61, 62, 45, 59, 119), (116, 90, 156, 198, 373, 326))


def channels(c):
    """Width-scaled channel count, rounded up to a multiple of 8 (YOLOv5's make_divisible)."""
    return int(math.ceil(c * WIDTH_MULTIPLE / 8) * 8)


def depth(n):
    return max(round(n * DEPTH_MULTIPLE), 1) if n > 1 else n


class Conv(nn.Module):
    """Conv2d (no bias) + BatchNorm + SiLU, 'same' padding for odd kernels."""

    def __init__(self, c1, c2, k=1, s=1, p=None):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2 if p is None else p, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

    def fuse(self):
        """Folds the batch norm into the convolution (for export); forward then skips bn."""
        conv, bn = self.conv, self.bn
        fused = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding,
                          bias=True)
        scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
        fused.weight.data = conv.weight.detach() * scale.view(-1, 1, 1, 1)
        fused.bias.data = bn.bias.detach() - bn.running_mean * scale
        self.conv = fused
        self.bn = nn.Identity()


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_, c2, 3, 1)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C3(nn.Module):
    """CSP bottleneck with 3 convolutions."""

    def __init__(self, c1, c2, n=1, shortcut=True, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.cv3 = Conv(2 * c_, c2, 1)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, e=1.0) for _ in range(n)))

    def forward(self, x):
        return self.cv3(torch.cat((self.m(self.cv1(x)), self.cv2(x)), 1))


class SPPF(nn.Module):
    """Spatial pyramid pooling, fast: three chained 5x5 max pools (= 5, 9, 13 pools)."""

    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_ * 4, c2, 1, 1)
        self.m = nn.MaxPool2d(kernel_size=k, stride=1, padding=k // 2)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.m(x)
        y2 = self.m(y1)
        return self.cv2(torch.cat((x, y1, y2, self.m(y2)), 1))


class Detect(nn.Module):
    """Per level a 1x1 conv to anchors x (5 + classes). Training returns the raw maps
    [B, anchors, ny, nx, 5 + nc]; inference returns [B, rows, 5 + nc] with xywh in input pixels and
    sigmoid objectness/class scores, exactly the layout of YOLOv5's ONNX export."""

    def __init__(self, nc, ch):
        super().__init__()
        self.nc = nc
        self.no = nc + 5
        self.nl = len(ANCHORS)
        self.na = len(ANCHORS[0]) // 2
        self.register_buffer("stride", torch.tensor(STRIDES, dtype=torch.float32))
        # Anchors in grid units of their level (YOLOv5 keeps them so after check_anchor_order/stride).
        anchors = torch.tensor(ANCHORS, dtype=torch.float32).view(self.nl, self.na, 2)
        self.register_buffer("anchors", anchors / self.stride.view(-1, 1, 1))
        self.m = nn.ModuleList(nn.Conv2d(c, self.no * self.na, 1) for c in ch)
        self.grids = {}
        self.export_grids = None  # set by fix_grids(size): constant grids, so the ONNX trace has no grid ops

    def initialize_biases(self, objects_per_640=8.0):
        """YOLOv5's prior: objectness ~ objects per 640x640 image spread over the cells, class 0.6."""
        for conv, s in zip(self.m, STRIDES):
            b = conv.bias.detach().view(self.na, -1)
            b[:, 4] += math.log(objects_per_640 / (640 / s) ** 2)
            b[:, 5:] += math.log(0.6 / (self.nc - 0.99999))
            conv.bias.data = b.view(-1)

    def grid(self, i, ny, nx, dtype):
        key = (i, ny, nx, dtype)
        if key not in self.grids:
            yv, xv = torch.meshgrid(torch.arange(ny, dtype=dtype), torch.arange(nx, dtype=dtype), indexing="ij")
            grid = torch.stack((xv, yv), 2).view(1, 1, ny, nx, 2) - 0.5
            anchor_grid = (self.anchors[i] * self.stride[i]).view(1, self.na, 1, 1, 2).expand(
                1, self.na, ny, nx, 2).to(dtype).clone()
            self.grids[key] = (grid, anchor_grid)
        return self.grids[key]

    def fix_grids(self, size):
        """Precomputes the grids of a size x size input (export: batch 1, fixed shape)."""
        self.export_grids = [self.grid(i, size // s, size // s, torch.float32) for i, s in enumerate(STRIDES)]

    def forward(self, xs):
        raw, out = [], []
        for i, x in enumerate(xs):
            x = self.m[i](x)
            if self.export_grids is not None:
                grid, anchor_grid = self.export_grids[i]
                bs, ny, nx = 1, grid.shape[2], grid.shape[3]
            else:
                bs, _, ny, nx = x.shape
            x = x.view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous()
            if self.training:
                raw.append(x)
                continue
            if self.export_grids is None:
                grid, anchor_grid = self.grid(i, ny, nx, x.dtype)
            y = x.sigmoid()
            xy = (y[..., 0:2] * 2 + grid) * float(STRIDES[i])
            wh = (y[..., 2:4] * 2) ** 2 * anchor_grid
            out.append(torch.cat((xy, wh, y[..., 4:]), 4).view(bs, self.na * nx * ny, self.no))
        return raw if self.training else torch.cat(out, 1)


class YoloV5n(nn.Module):
    def __init__(self, nc=1):
        super().__init__()
        c = channels
        # Backbone
        self.b0 = Conv(3, c(64), 6, 2, 2)           # P1/2
        self.b1 = Conv(c(64), c(128), 3, 2)         # P2/4
        self.b2 = C3(c(128), c(128), depth(3))
        self.b3 = Conv(c(128), c(256), 3, 2)        # P3/8
        self.b4 = C3(c(256), c(256), depth(6))
        self.b5 = Conv(c(256), c(512), 3, 2)        # P4/16
        self.b6 = C3(c(512), c(512), depth(9))
        self.b7 = Conv(c(512), c(1024), 3, 2)       # P5/32
        self.b8 = C3(c(1024), c(1024), depth(3))
        self.b9 = SPPF(c(1024), c(1024), 5)
        # PANet neck
        self.h10 = Conv(c(1024), c(512), 1, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.h13 = C3(c(512) * 2, c(512), depth(3), shortcut=False)
        self.h14 = Conv(c(512), c(256), 1, 1)
        self.h17 = C3(c(256) * 2, c(256), depth(3), shortcut=False)  # P3 out
        self.h18 = Conv(c(256), c(256), 3, 2)
        self.h20 = C3(c(256) * 2, c(512), depth(3), shortcut=False)  # P4 out
        self.h21 = Conv(c(512), c(512), 3, 2)
        self.h23 = C3(c(512) * 2, c(1024), depth(3), shortcut=False)  # P5 out
        self.detect = Detect(nc, (c(256), c(512), c(1024)))
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eps, m.momentum = 1e-3, 0.03
        self.detect.initialize_biases()

    def forward(self, x):
        x = self.b2(self.b1(self.b0(x)))
        p3 = self.b4(self.b3(x))
        p4 = self.b6(self.b5(p3))
        x10 = self.h10(self.b9(self.b8(self.b7(p4))))
        x14 = self.h14(self.h13(torch.cat((self.up(x10), p4), 1)))
        out3 = self.h17(torch.cat((self.up(x14), p3), 1))
        out4 = self.h20(torch.cat((self.h18(out3), x14), 1))
        out5 = self.h23(torch.cat((self.h21(out4), x10), 1))
        return self.detect([out3, out4, out5])

    def fuse(self):
        for m in self.modules():
            if isinstance(m, Conv) and isinstance(m.bn, nn.BatchNorm2d):
                m.fuse()
        return self


# ---------------------------------------------------------------------------------------------- loss

def bbox_ciou(b1, b2, eps=1e-7):
    """Complete IoU of paired boxes given as (cx, cy, w, h) rows."""
    (x1, y1, w1, h1), (x2, y2, w2, h2) = b1.unbind(-1), b2.unbind(-1)
    b1x1, b1x2, b1y1, b1y2 = x1 - w1 / 2, x1 + w1 / 2, y1 - h1 / 2, y1 + h1 / 2
    b2x1, b2x2, b2y1, b2y2 = x2 - w2 / 2, x2 + w2 / 2, y2 - h2 / 2, y2 + h2 / 2
    inter = (torch.min(b1x2, b2x2) - torch.max(b1x1, b2x1)).clamp(0) * \
            (torch.min(b1y2, b2y2) - torch.max(b1y1, b2y1)).clamp(0)
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / union
    cw = torch.max(b1x2, b2x2) - torch.min(b1x1, b2x1)
    ch = torch.max(b1y2, b2y2) - torch.min(b1y1, b2y1)
    c2 = cw ** 2 + ch ** 2 + eps
    rho2 = ((b2x1 + b2x2 - b1x1 - b1x2) ** 2 + (b2y1 + b2y2 - b1y1 - b1y2) ** 2) / 4
    v = (4 / math.pi ** 2) * (torch.atan(w2 / (h2 + eps)) - torch.atan(w1 / (h1 + eps))).pow(2)
    with torch.no_grad():
        alpha = v / (v - iou + (1 + eps))
    return iou - (rho2 / c2 + v * alpha)


class YoloLoss:
    """YOLOv5's loss: CIoU box loss, BCE objectness with the IoU as target (level balance 4, 1, 0.4),
    BCE class loss (skipped for one class, as YOLOv5 does). Targets are matched to every anchor whose
    width and height ratio is within ANCHOR_T, in their own cell and the two nearest neighbour cells."""

    ANCHOR_T = 4.0
    BALANCE = (4.0, 1.0, 0.4)

    def __init__(self, model, box=0.05, obj=1.0, cls=0.5, image_size=320):
        det = model.detect
        self.det = det
        self.nc, self.na, self.nl = det.nc, det.na, det.nl
        # YOLOv5's hyperparameter scaling by layers, classes and image size (train.py).
        self.box = box * 3 / self.nl
        self.cls = cls * self.nc / 80 * 3 / self.nl
        self.obj = obj * (image_size / 640) ** 2 * 3 / self.nl
        self.bce = nn.BCEWithLogitsLoss()
        self.offsets = torch.tensor([[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]], dtype=torch.float32) * 0.5

    def __call__(self, preds, targets):
        """preds: Detect's training output; targets: [n, 6] rows (image, class, cx, cy, w, h) normalised."""
        lbox = torch.zeros(())
        lobj = torch.zeros(())
        lcls = torch.zeros(())
        for i, p in enumerate(preds):
            b, a, gj, gi, tbox, anchors, tcls = self.build_targets(i, p, targets)
            tobj = torch.zeros(p.shape[:4], dtype=p.dtype)
            if len(b):
                ps = p[b, a, gj, gi]
                pxy = ps[:, 0:2].sigmoid() * 2 - 0.5
                pwh = (ps[:, 2:4].sigmoid() * 2) ** 2 * anchors
                iou = bbox_ciou(torch.cat((pxy, pwh), 1), tbox)
                lbox = lbox + (1.0 - iou).mean()
                tobj[b, a, gj, gi] = iou.detach().clamp(0).to(tobj.dtype)
                if self.nc > 1:
                    t = torch.zeros_like(ps[:, 5:])
                    t[range(len(b)), tcls] = 1.0
                    lcls = lcls + self.bce(ps[:, 5:], t)
            lobj = lobj + self.bce(p[..., 4], tobj) * self.BALANCE[i]
        bs = preds[0].shape[0]
        parts = torch.stack((lbox * self.box, lobj * self.obj, lcls * self.cls))
        return parts.sum() * bs, parts.detach()

    def build_targets(self, i, p, targets):
        _, _, ny, nx, _ = p.shape
        anchors = self.det.anchors[i]  # [na, 2] grid units
        nt = len(targets)
        if nt == 0:
            empty = torch.zeros(0, dtype=torch.long)
            return empty, empty, empty, empty, torch.zeros(0, 4), torch.zeros(0, 2), empty
        gain = torch.tensor([1, 1, nx, ny, nx, ny], dtype=torch.float32)
        t = targets * gain  # [nt, 6] in grid units
        # Pair every target with every anchor, keep pairs within the wh ratio limit.
        ai = torch.arange(self.na).view(self.na, 1).expand(self.na, nt)
        t = t.unsqueeze(0).expand(self.na, nt, 6)
        r = t[..., 4:6] / anchors.view(self.na, 1, 2)
        keep = torch.max(r, 1 / r).max(2)[0] < self.ANCHOR_T
        t, ai = t[keep], ai[keep]
        # Neighbour cells: the two nearest of left/up/right/down (centre in the near half of the cell).
        gxy = t[:, 2:4]
        gxi = torch.tensor([nx, ny], dtype=torch.float32) - gxy
        j, k = ((gxy % 1 < 0.5) & (gxy > 1)).T
        l, m = ((gxi % 1 < 0.5) & (gxi > 1)).T
        sel = torch.stack((torch.ones_like(j), j, k, l, m))
        t = t.unsqueeze(0).expand(5, -1, -1)[sel]
        ai = ai.unsqueeze(0).expand(5, -1)[sel]
        offsets = (torch.zeros_like(gxy).unsqueeze(0) + self.offsets.view(5, 1, 2))[sel]
        b, c = t[:, 0].long(), t[:, 1].long()
        gxy, gwh = t[:, 2:4], t[:, 4:6]
        gij = (gxy - offsets).long()
        gi = gij[:, 0].clamp(0, nx - 1)
        gj = gij[:, 1].clamp(0, ny - 1)
        tbox = torch.cat((gxy - gij, gwh), 1)
        return b, ai, gj, gi, tbox, anchors[ai], c
