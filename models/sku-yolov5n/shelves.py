"""Synthetic retail shelves in the style of SKU110K: one class, `product`, densely packed.

Every image is 640x480 RGB (non-square on purpose: the 320x320 letterbox then scales by exactly 1/2
and pads 40 rows above and below). A shelf unit has 3-6 boards; on each board stand groups of
identical facings (boxes, bottles, cans, pouches, jars) of random colours and sizes, separated by
small gaps or slightly overlapping, sometimes stacked two high, with empty slots, price tags on the
board edges (not labelled), uneven lighting, colour casts and mild blur. Each product is at
least 24 px on its short side (12 px after the letterbox). Boxes are the full extent of each
product, also where a neighbour overlaps it by a pixel or two (as SKU110K labels them).

render(seed) is a pure function of the seed (numpy Generator + OpenCV drawing), so a split is fully
described by its first seed and its count.
"""

import cv2
import numpy as np

WIDTH, HEIGHT = 640, 480
MIN_SIDE = 24
MAX_PRODUCTS = 260  # stays below the card's maxDetections (300)

KINDS = ("box", "bottle", "can", "pouch", "jar")


def _colour(rng, low=20, high=235):
    return tuple(int(v) for v in rng.integers(low, high, 3))


def _shade(colour, factor):
    return tuple(int(max(0, min(255, c * factor))) for c in colour)


def _vertical_gradient(img, x1, y1, x2, y2, top, bottom):
    """Multiplies a rectangle by a vertical brightness ramp (top -> bottom factor)."""
    h = y2 - y1
    if h <= 0 or x2 <= x1:
        return
    ramp = np.linspace(top, bottom, h, dtype=np.float32).reshape(h, 1, 1)
    region = img[y1:y2, x1:x2].astype(np.float32) * ramp
    img[y1:y2, x1:x2] = np.clip(region, 0, 255).astype(np.uint8)


def _horizontal_gradient(img, x1, y1, x2, y2, edge, centre):
    w = x2 - x1
    if w <= 0 or y2 <= y1:
        return
    t = np.abs(np.linspace(-1, 1, w, dtype=np.float32))
    ramp = (centre + (edge - centre) * t ** 2).reshape(1, w, 1)
    region = img[y1:y2, x1:x2].astype(np.float32) * ramp
    img[y1:y2, x1:x2] = np.clip(region, 0, 255).astype(np.uint8)


def _text_lines(img, rng, x1, y1, x2, y2, colour):
    """A few thin strokes that look like printed text on a label."""
    lines = int(rng.integers(1, 4))
    for i in range(lines):
        yy = int(y1 + (i + 1) * (y2 - y1) / (lines + 1))
        margin = int(rng.integers(2, max(3, (x2 - x1) // 4)))
        if x2 - margin - 1 > x1 + margin:
            cv2.line(img, (x1 + margin, yy), (x2 - margin - 1, yy), colour, 1)


class Sku:
    """One product line: its kind, size and look, shared by all of its facings."""

    def __init__(self, rng, max_h, dense):
        self.kind = KINDS[int(rng.choice(len(KINDS), p=[0.35, 0.2, 0.2, 0.12, 0.13]))]
        low_w, high_w = (MIN_SIDE, 34) if dense else (MIN_SIDE + 2, 64)
        if self.kind in ("bottle", "can"):
            high_w = min(high_w, 48)
        self.w = int(rng.integers(low_w, high_w + 1))
        aspect = {"box": (0.6, 1.8), "bottle": (2.0, 3.6), "can": (1.3, 2.0), "pouch": (1.0, 1.6),
                  "jar": (1.0, 1.4)}[self.kind]
        self.h = int(np.clip(self.w * rng.uniform(*aspect), MIN_SIDE, max_h))
        self.body = _colour(rng)
        self.label = _colour(rng)
        self.accent = _colour(rng, 0, 255)
        self.cap = _colour(rng, 10, 200)
        self.label_pos = rng.uniform(0.3, 0.6)
        self.label_size = rng.uniform(0.2, 0.45)
        self.logo = rng.random() < 0.5
        self.stackable = self.kind in ("box", "can", "jar") and rng.random() < 0.7

    def draw(self, img, rng, x1, y1):
        w, h = self.w, self.h
        x2, y2 = x1 + w, y1 + h
        jitter = rng.uniform(0.93, 1.07)  # facings differ slightly (angle to the light)
        body = _shade(self.body, jitter)
        if self.kind == "box":
            cv2.rectangle(img, (x1, y1), (x2 - 1, y2 - 1), body, -1)
            ly = int(y1 + h * self.label_pos)
            lh = max(3, int(h * self.label_size))
            cv2.rectangle(img, (x1 + 1, ly), (x2 - 2, min(y2 - 2, ly + lh)), _shade(self.label, jitter), -1)
            _text_lines(img, rng, x1, ly, x2, min(y2 - 2, ly + lh), _shade(self.accent, 0.5))
            if self.logo and w > 28:
                cv2.circle(img, (x1 + w // 2, y1 + max(6, int(h * 0.18))), max(3, w // 6), self.accent, -1,
                           cv2.LINE_AA)
            _vertical_gradient(img, x1, y1, x2, y2, 1.08, 0.85)
            cv2.rectangle(img, (x1, y1), (x2 - 1, y2 - 1), _shade(body, 0.55), 1)
        elif self.kind == "bottle":
            neck_w = max(6, int(w * 0.36))
            neck_h = int(h * 0.28)
            shoulder = int(h * 0.1)
            nx1 = x1 + (w - neck_w) // 2
            cap_h = max(4, int(h * 0.08))
            cv2.rectangle(img, (nx1, y1), (nx1 + neck_w - 1, y1 + cap_h), self.cap, -1)
            cv2.rectangle(img, (nx1, y1 + cap_h), (nx1 + neck_w - 1, y1 + neck_h), body, -1)
            pts = np.array([[nx1, y1 + neck_h], [nx1 + neck_w - 1, y1 + neck_h],
                            [x2 - 1, y1 + neck_h + shoulder], [x2 - 1, y2 - 1], [x1, y2 - 1],
                            [x1, y1 + neck_h + shoulder]], np.int32)
            cv2.fillPoly(img, [pts], body, cv2.LINE_AA)
            ly = int(y1 + neck_h + shoulder + (h - neck_h - shoulder) * 0.25)
            lh = max(4, int((h - neck_h - shoulder) * 0.45))
            cv2.rectangle(img, (x1, ly), (x2 - 1, min(y2 - 3, ly + lh)), _shade(self.label, jitter), -1)
            _text_lines(img, rng, x1, ly, x2, min(y2 - 3, ly + lh), self.accent)
            _horizontal_gradient(img, x1, y1, x2, y2, 0.7, 1.15)
        elif self.kind == "can":
            cv2.rectangle(img, (x1, y1 + 2), (x2 - 1, y2 - 3), body, -1)
            cv2.ellipse(img, (x1 + w // 2, y1 + 3), (w // 2, 3), 0, 0, 360, (200, 200, 205), -1, cv2.LINE_AA)
            cv2.ellipse(img, (x1 + w // 2, y2 - 3), (w // 2, 2), 0, 0, 360, _shade(body, 0.6), -1, cv2.LINE_AA)
            ly = int(y1 + h * self.label_pos)
            cv2.rectangle(img, (x1, ly), (x2 - 1, min(y2 - 4, ly + max(3, int(h * 0.2)))), self.label, -1)
            _horizontal_gradient(img, x1, y1, x2, y2, 0.55, 1.25)
        elif self.kind == "pouch":
            top_in = max(1, w // 8)
            pts = np.array([[x1 + top_in, y1], [x2 - 1 - top_in, y1], [x2 - 1, y2 - 1], [x1, y2 - 1]], np.int32)
            cv2.fillPoly(img, [pts], body, cv2.LINE_AA)
            cv2.rectangle(img, (x1 + top_in, y1), (x2 - 1 - top_in, y1 + max(3, h // 10)), _shade(body, 0.7), -1)
            cv2.circle(img, (x1 + w // 2, y1 + int(h * 0.55)), max(4, w // 4), self.label, -1, cv2.LINE_AA)
            _vertical_gradient(img, x1, y1, x2, y2, 1.1, 0.8)
        else:  # jar
            lid_h = max(4, int(h * 0.18))
            cv2.rectangle(img, (x1 + 2, y1), (x2 - 3, y1 + lid_h), self.cap, -1)
            cv2.rectangle(img, (x1, y1 + lid_h), (x2 - 1, y2 - 1), body, -1)
            ly = int(y1 + lid_h + (h - lid_h) * 0.3)
            cv2.rectangle(img, (x1, ly), (x2 - 1, min(y2 - 3, ly + max(4, int(h * 0.35)))), self.label, -1)
            _text_lines(img, rng, x1, ly, x2, min(y2 - 3, ly + max(4, int(h * 0.35))), self.accent)
            _horizontal_gradient(img, x1, y1, x2, y2, 0.75, 1.1)
        return x1, y1, x2, y2


def render(seed):
    """One shelf image (HxWx3 uint8 RGB) and its product boxes (float32 [n, 4] x1, y1, x2, y2 pixels)."""
    rng = np.random.default_rng(seed)
    img = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    back = _colour(rng, 30, 200)
    img[:] = back
    dense = rng.random() < 0.55
    rows = int(rng.integers(5, 9) if dense else rng.integers(3, 6))
    board = int(rng.integers(7, 15))
    board_colour = _colour(rng, 60, 230)
    # Board positions: rows of similar (not equal) height over the whole image.
    weights = rng.uniform(0.8, 1.2, rows)
    usable = HEIGHT - board * rows
    heights = np.floor(weights / weights.sum() * usable).astype(int)
    boxes = []
    y = 0
    for r in range(rows):
        row_top, row_bottom = y, y + heights[r]  # products stand on row_bottom (the board's top)
        y = row_bottom + board
        cv2.rectangle(img, (0, row_bottom), (WIDTH - 1, row_bottom + board - 1), board_colour, -1)
        cv2.line(img, (0, row_bottom), (WIDTH - 1, row_bottom), _shade(board_colour, 1.25), 1)
        # The back of the shelf is darker in the upper part of each row (shadow of the board above).
        _vertical_gradient(img, 0, row_top, WIDTH, row_bottom, rng.uniform(0.45, 0.8), rng.uniform(0.9, 1.05))
        max_h = row_bottom - row_top - int(rng.integers(3, 12))
        if max_h < MIN_SIDE:
            continue
        x = int(rng.integers(0, 12))
        while x < WIDTH - MIN_SIDE and len(boxes) < MAX_PRODUCTS:
            if rng.random() < 0.04:  # an empty slot
                x += int(rng.integers(20, 80))
                continue
            sku = Sku(rng, max_h, dense)
            facings = int(rng.integers(1, 7))
            stack = sku.stackable and 2 * sku.h + 2 <= max_h and rng.random() < 0.6
            for _ in range(facings):
                if x + sku.w > WIDTH or len(boxes) >= MAX_PRODUCTS:
                    break
                bottom = row_bottom - int(rng.integers(0, 2))
                boxes.append(sku.draw(img, rng, x, bottom - sku.h))
                if stack and len(boxes) < MAX_PRODUCTS:
                    boxes.append(sku.draw(img, rng, x, bottom - 2 * sku.h - int(rng.integers(0, 3))))
                x += sku.w + int(rng.integers(-2, 5))  # small gaps; -2..-1 overlap the previous facing
            x += int(rng.integers(0, 8))
        # Price tags on the board edge: small bright labels, not products.
        for _ in range(int(rng.integers(2, 8))):
            tx = int(rng.integers(0, WIDTH - 30))
            th = min(board - 2, 10)
            if th >= 4:
                cv2.rectangle(img, (tx, row_bottom + 1), (tx + int(rng.integers(14, 30)), row_bottom + th),
                              (250, 250, int(rng.integers(120, 250))), -1)
    # Leftover space below the last board: floor / base cabinet.
    if y < HEIGHT:
        cv2.rectangle(img, (0, y), (WIDTH - 1, HEIGHT - 1), _shade(board_colour, 0.6), -1)
    img = _lighting(img, rng)
    return img, np.asarray(boxes, np.float32).reshape(-1, 4)


def _lighting(img, rng):
    """Uneven illumination (a tilted plane plus a vignette), colour cast and mild blur. No sensor noise in
    the images (noise makes the committed golden PNGs 4x larger); training adds it as an augmentation."""
    f = img.astype(np.float32)
    xx = (np.arange(WIDTH, dtype=np.float32) / WIDTH - 0.5).reshape(1, WIDTH)
    yy = (np.arange(HEIGHT, dtype=np.float32) / HEIGHT - 0.5).reshape(HEIGHT, 1)
    plane = 1 + rng.uniform(-0.35, 0.35) * xx + rng.uniform(-0.35, 0.35) * yy
    vignette = 1 - rng.uniform(0, 0.5) * (xx ** 2 + yy ** 2)
    gain = rng.uniform(0.6, 1.3) * plane * vignette
    cast = rng.uniform(0.85, 1.15, 3).astype(np.float32)
    f = f * gain[..., None] * cast
    if rng.random() < 0.35:
        f = cv2.GaussianBlur(f, (3, 3), rng.uniform(0.5, 1.0))
    return np.clip(f + 0.5, 0, 255).astype(np.uint8)


def yolo_labels(boxes):
    """YOLO-format text: 'class cx cy w h' normalised by the image size, one product per line."""
    lines = []
    for x1, y1, x2, y2 in boxes:
        lines.append("0 {:.6f} {:.6f} {:.6f} {:.6f}".format((x1 + x2) / 2 / WIDTH, (y1 + y2) / 2 / HEIGHT,
                                                            (x2 - x1) / WIDTH, (y2 - y1) / HEIGHT))
    return "\n".join(lines) + ("\n" if lines else "")
