"""Synthetic garbage-sorting photos in the style of TrashNet: one object on a plain, slightly varied
background, six material classes.

TrashNet (Yang & Thung, 2016) photographed single items on a white poster board under room light.
Nothing of it can be downloaded here, so this module draws look-alikes with numpy and OpenCV, and
lets material cues tell the classes apart:

  cardboard  brown corrugated panels (parallel flutes), flaps, tape, box edges
  glass      transparent bottles and jars (green, brown, clear): the background shows through, tinted
             and shifted (refraction), with sharp bright highlight streaks and dark rims
  metal      cans and tins: grey/silver cylinders with specular bands, rims, sometimes a printed label
  paper      white/pastel sheets, crumpled (shading creases), printed text lines
  plastic    coloured translucent bottles with caps and ribs, and bags (soft wrinkles, sheen)
  trash      mixed, dirty, irregular items: wrappers, food scraps, stained tissues, fragments

The cues overlap on purpose (clear glass and clear plastic bottles, kraft paper and cardboard,
crumpled wrappers and bags, labelled cans), and pose, scale, lighting, blur and noise vary, so the
task is learnable but not trivial. Every image is a pure function of (seed, index): the generator
for image i of a split is numpy's PCG64 seeded with [seed, i], so any image can be rebuilt alone and
the splits with different seeds share nothing.
"""

import math

import cv2
import numpy as np

LABELS = ["cardboard", "glass", "metal", "paper", "plastic", "trash"]
IMAGE_WIDTH, IMAGE_HEIGHT = 192, 144  # camera-like 4:3


def _hsv_to_rgb(h, s, v):
    """h in degrees, s and v in [0, 1] -> RGB floats in [0, 1]."""
    c = v * s
    x = c * (1 - abs((h / 60.0) % 2 - 1))
    m = v - c
    sector = int(h // 60) % 6
    r, g, b = [(c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x)][sector]
    return np.array([r + m, g + m, b + m], dtype=np.float32)


def _smooth_noise(rng, h, w, cells):
    """Low-frequency noise in [-1, 1]: a coarse random grid upsampled with bicubic interpolation."""
    gh, gw = max(2, int(cells * h / w)), max(2, cells)
    grid = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)


def _background(rng, h, w):
    """Plain board: near-white, grey or beige, with a light gradient, vignette and faint texture."""
    kind = rng.integers(3)
    if kind == 0:
        base = rng.uniform(0.82, 0.96) * np.ones(3, np.float32)
    elif kind == 1:
        base = _hsv_to_rgb(rng.uniform(30, 50), rng.uniform(0.05, 0.18), rng.uniform(0.78, 0.93))
    else:
        base = rng.uniform(0.62, 0.82) * np.ones(3, np.float32) + rng.uniform(-0.03, 0.03, 3).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = ((xx - w / 2) * math.cos(angle) + (yy - h / 2) * math.sin(angle)) / w
    shade = 1 + rng.uniform(0.05, 0.25) * ramp
    r2 = ((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2
    shade *= 1 - rng.uniform(0.0, 0.35) * r2
    shade += 0.02 * _smooth_noise(rng, h, w, 8)
    return np.clip(base[None, None, :] * shade[..., None], 0, 1)


def _polygon_mask(h, w, points):
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 255, lineType=cv2.LINE_AA)
    return mask.astype(np.float32) / 255.0


def _transform(points, cx, cy, angle, scale):
    c, s = math.cos(angle), math.sin(angle)
    p = np.asarray(points, np.float32) * scale
    return np.stack([cx + p[:, 0] * c - p[:, 1] * s, cy + p[:, 0] * s + p[:, 1] * c], axis=1)


def _local_coords(h, w, cx, cy, angle, scale):
    """Per-pixel coordinates in the object's own frame (u along its width, v along its length)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    c, s = math.cos(angle), math.sin(angle)
    dx, dy = xx - cx, yy - cy
    return (dx * c + dy * s) / scale, (-dx * s + dy * c) / scale


def _blend(image, colour_layer, alpha):
    a = alpha[..., None]
    return image * (1 - a) + colour_layer * a


def _shadow(rng, image, mask):
    """Soft contact shadow: the mask shifted, blurred and darkened under the object."""
    dx, dy = rng.integers(-4, 5), rng.integers(1, 6)
    m = np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    m = cv2.GaussianBlur(m, (0, 0), rng.uniform(2.0, 4.5))
    return image * (1 - rng.uniform(0.15, 0.35) * m[..., None])


def _bottle_profile(rng, kind):
    """Half-width of a bottle or jar along its length v in [-1, 1] (v = -1 at the mouth)."""
    if kind == "jar":
        body, neck, shoulder = rng.uniform(0.55, 0.8), rng.uniform(0.42, 0.62), rng.uniform(-0.8, -0.6)
    else:
        body, neck, shoulder = rng.uniform(0.32, 0.45), rng.uniform(0.1, 0.16), rng.uniform(-0.3, 0.05)
    def half_width(v):
        t = np.clip((v - (shoulder - 0.25)) / 0.25, 0, 1)
        t = t * t * (3 - 2 * t)
        return neck + (body - neck) * t
    return half_width, neck


def _bottle_mask(rng, h, w, cx, cy, angle, length, kind):
    u, v = _local_coords(h, w, cx, cy, angle, length / 2)
    half_width, neck = _bottle_profile(rng, kind)
    inside = (np.abs(u) <= half_width(v)) & (v >= -1) & (v <= 1)
    mask = cv2.GaussianBlur(inside.astype(np.float32), (0, 0), 0.6)
    return mask, u, v, half_width(v), neck


def _cylinder_shading(u_norm):
    """Lambert-like shading across a cylinder, u_norm in [-1, 1]."""
    return np.sqrt(np.clip(1 - u_norm ** 2, 0, 1))


def _highlight(u_norm, centre, width):
    return np.exp(-((u_norm - centre) / width) ** 2)


def _text_lines(rng, h, w, u, v, mask, scale_u, scale_v, colour, strength):
    """Printed text: rows of short dark dashes in the object's frame."""
    spacing = rng.uniform(0.08, 0.14)
    rows = (np.mod(v + 5, spacing) < spacing * 0.38).astype(np.float32)
    words = (np.sin(u * rng.uniform(25, 45) + np.floor((v + 5) / spacing) * 1.7) > -0.2).astype(np.float32)
    margin = (np.abs(u) < scale_u * rng.uniform(0.6, 0.85)) & (np.abs(v) < scale_v * rng.uniform(0.6, 0.85))
    ink = rows * words * margin * mask * strength
    gap = rng.uniform(-0.5, 0.5)
    ink *= ~((v > gap) & (v < gap + rng.uniform(0.0, 0.25)))  # a paragraph break
    return ink.astype(np.float32), colour


def draw_cardboard(rng, image, h, w, cx, cy, angle, size):
    hw, hl = size * rng.uniform(0.4, 0.6), size * rng.uniform(0.3, 0.5)
    skew = rng.uniform(-0.15, 0.15, (4, 2)) * size
    corners = np.array([[-hw, -hl], [hw, -hl], [hw, hl], [-hw, hl]], np.float32) + skew
    pts = _transform(corners, cx, cy, angle, 1.0)
    mask = _polygon_mask(h, w, pts)
    tone = _hsv_to_rgb(rng.uniform(22, 38), rng.uniform(0.35, 0.65), rng.uniform(0.45, 0.78))
    u, v = _local_coords(h, w, cx, cy, angle + rng.choice([0, math.pi / 2]), 1.0)
    period = rng.uniform(2.6, 5.0)
    flutes = 0.5 + 0.5 * np.sin(2 * math.pi * u / period + rng.uniform(0, 6.3))
    texture = 1 + rng.uniform(0.06, 0.16) * (flutes - 0.5) + 0.06 * _smooth_noise(rng, h, w, 10)
    layer = tone[None, None, :] * texture[..., None]
    # Flap: a second panel hinged on one edge, a different shade; sometimes a torn second flap.
    for _ in range(rng.integers(1, 3)):
        edge = rng.integers(4)
        a, b = pts[edge], pts[(edge + 1) % 4]
        out = np.array([-(b - a)[1], (b - a)[0]], np.float32)
        out /= np.linalg.norm(out) + 1e-6
        centre = pts.mean(axis=0)
        if np.dot((a + b) / 2 - centre, out) < 0:
            out = -out
        depth = size * rng.uniform(0.15, 0.4)
        tilt = rng.uniform(-0.2, 0.2) * depth
        flap = np.array([a, b, b + out * depth + tilt, a + out * depth - tilt], np.float32)
        flap_mask = _polygon_mask(h, w, flap) * (1 - mask)
        mask = np.maximum(mask, flap_mask)
        layer = layer * (1 - flap_mask[..., None]) + (tone * rng.uniform(0.75, 1.2))[None, None, :] * \
            texture[..., None] * flap_mask[..., None]
    # Fold line, tape, printed logo: each only sometimes.
    if rng.random() < 0.6:
        fold = np.abs(v - rng.uniform(-0.3, 0.3) * size) < 0.8
        layer = layer * (1 - 0.25 * fold[..., None])
    if rng.random() < 0.45:
        tape = np.abs(v - rng.uniform(-0.3, 0.3) * size) < size * rng.uniform(0.04, 0.08)
        tape_colour = _hsv_to_rgb(rng.uniform(30, 45), rng.uniform(0.1, 0.5), rng.uniform(0.7, 0.95))
        layer = layer * (1 - 0.8 * tape[..., None]) + 0.8 * tape[..., None] * tape_colour
    if rng.random() < 0.4:
        ink, _ = _text_lines(rng, h, w, u / size, v / size, mask, 0.5, 0.35, None, 0.5)
        layer = layer * (1 - ink[..., None])
    image = _shadow(rng, image, mask)
    return _blend(image, layer, mask)


def draw_glass(rng, image, h, w, cx, cy, angle, size):
    kind = "jar" if rng.random() < 0.3 else "bottle"
    length = size * (1.0 if kind == "jar" else rng.uniform(1.2, 1.6))
    mask, u, v, half, neck = _bottle_mask(rng, h, w, cx, cy, angle, length, kind)
    un = np.clip(u / np.maximum(half, 1e-3), -1, 1)
    tint = [_hsv_to_rgb(rng.uniform(95, 150), rng.uniform(0.4, 0.85), rng.uniform(0.35, 0.7)),   # green
            _hsv_to_rgb(rng.uniform(20, 35), rng.uniform(0.6, 0.95), rng.uniform(0.25, 0.5)),    # brown
            _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.0, 0.12), rng.uniform(0.75, 0.95))][  # clear
        rng.choice(3, p=[0.35, 0.3, 0.35])]
    # Refraction: the background seen through the glass is displaced and mirrored across the axis.
    shift = (un * rng.uniform(3, 7)).astype(np.float32)
    xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    c, s = math.cos(angle), math.sin(angle)
    seen = cv2.remap(image.astype(np.float32), xx - shift * c, yy - shift * s, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REFLECT)
    layer = seen * (0.35 + 0.65 * tint[None, None, :]) * (0.8 + 0.2 * _cylinder_shading(un))[..., None]
    rim = np.clip((np.abs(un) - 0.78) / 0.22, 0, 1) ** 1.5
    layer = layer * (1 - rng.uniform(0.35, 0.7) * rim[..., None])
    for centre, width, gain in [(rng.uniform(-0.65, -0.3), rng.uniform(0.05, 0.12), rng.uniform(0.6, 1.0)),
                                (rng.uniform(0.35, 0.7), rng.uniform(0.03, 0.08), rng.uniform(0.2, 0.6))]:
        streak = _highlight(un, centre, width) * (v > -0.95) * (v < 0.95)
        layer = layer + gain * streak[..., None] * (1 - layer)
    if rng.random() < 0.35:  # a paper label
        band = (v > rng.uniform(0.0, 0.3)) & (v < rng.uniform(0.5, 0.8))
        label_colour = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.1, 0.7), rng.uniform(0.6, 0.95))
        layer = np.where(band[..., None], label_colour * (0.7 + 0.3 * _cylinder_shading(un))[..., None], layer)
    if rng.random() < 0.3:  # a metal cap
        cap = v < -0.9
        layer = np.where(cap[..., None], rng.uniform(0.5, 0.8) * (0.6 + 0.4 * _cylinder_shading(un))[..., None],
                         layer)
    image = _shadow(rng, image, mask * 0.5)
    return _blend(image, layer, mask)


def draw_metal(rng, image, h, w, cx, cy, angle, size):
    length = size * rng.uniform(0.9, 1.3)
    radius = length * rng.uniform(0.28, 0.42)
    u, v = _local_coords(h, w, cx, cy, angle, 1.0)
    if rng.random() < 0.25:  # crushed can: wavy outline
        radius_v = radius * (1 + 0.15 * np.sin(v / length * rng.uniform(8, 16)))
    else:
        radius_v = radius
    inside = (np.abs(u) <= radius_v) & (np.abs(v) <= length / 2)
    ellipse = radius * rng.uniform(0.12, 0.3)
    top = ((u / radius) ** 2 + ((v + length / 2) / ellipse) ** 2) <= 1
    bottom = ((u / radius) ** 2 + ((v - length / 2) / ellipse) ** 2) <= 1
    mask = cv2.GaussianBlur((inside | top | bottom).astype(np.float32), (0, 0), 0.6)
    un = np.clip(u / radius, -1, 1)
    grey = rng.uniform(0.45, 0.8)
    tone = grey * (1 + rng.uniform(-0.06, 0.06, 3)).astype(np.float32)
    if rng.random() < 0.25:  # gold/copper tint of some tins
        tone = _hsv_to_rgb(rng.uniform(25, 45), rng.uniform(0.25, 0.5), grey)
    body = (0.35 + 0.45 * _cylinder_shading(un))[..., None] * tone[None, None, :]
    # Specular bands: a sharp bright one and a dimmer reflection, the hallmark of brushed metal.
    for centre, width, gain in [(rng.uniform(-0.6, -0.1), rng.uniform(0.04, 0.1), rng.uniform(0.7, 1.0)),
                                (rng.uniform(0.3, 0.8), rng.uniform(0.05, 0.15), rng.uniform(0.3, 0.6))]:
        body = body + gain * _highlight(un, centre, width)[..., None] * (1 - body)
    dark = _highlight(un, rng.uniform(0.0, 0.3), 0.08)
    body = body * (1 - 0.35 * dark[..., None])
    body = body * (1 + 0.04 * np.sin(v * rng.uniform(0.8, 1.6)))[..., None]  # faint brushing
    if rng.random() < 0.5:  # printed label on the can
        band = (v > -length * rng.uniform(0.2, 0.4)) & (v < length * rng.uniform(0.15, 0.4))
        colour = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.5, 0.95), rng.uniform(0.45, 0.9))
        printed = colour[None, None, :] * (0.45 + 0.55 * _cylinder_shading(un))[..., None]
        printed = printed + 0.5 * _highlight(un, rng.uniform(-0.6, -0.2), 0.08)[..., None] * (1 - printed)
        body = np.where(band[..., None], printed, body)
    lid = (top | bottom) & ~inside
    rim_colour = tone * rng.uniform(0.9, 1.15)
    ring = np.abs(np.sqrt((u / radius) ** 2 + ((np.abs(v) - length / 2) / ellipse) ** 2) - 0.8) < 0.12
    lid_layer = rim_colour[None, None, :] * (0.7 + 0.3 * (1 - ring))[..., None]
    layer = np.where(lid[..., None], lid_layer, body)
    if rng.random() < 0.3:  # dents: dark creases
        for _ in range(rng.integers(1, 4)):
            p0 = np.array([rng.uniform(-radius, radius), rng.uniform(-length / 2, length / 2)])
            crease = np.abs((u - p0[0]) * 0.7 + (v - p0[1]) * 0.7) < 1.0
            crease &= (np.hypot(u - p0[0], v - p0[1]) < radius * 0.6)
            layer = layer * (1 - 0.3 * crease[..., None])
    image = _shadow(rng, image, mask)
    return _blend(image, layer, mask)


def _crumple(rng, h, w, amount):
    """Shading of crumpled paper or foil: ridges from a few random folds plus blotches."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    shade = np.zeros((h, w), np.float32)
    for _ in range(rng.integers(3, 9)):
        a = rng.uniform(0, math.pi)
        offset = rng.uniform(-60, 60)
        d = (xx - w / 2) * math.cos(a) + (yy - h / 2) * math.sin(a) - offset
        shade += np.sign(d) * np.exp(-np.abs(d) / rng.uniform(3, 12)) * rng.uniform(0.3, 1.0)
    shade += _smooth_noise(rng, h, w, 12)
    return 1 + amount * shade / (np.abs(shade).max() + 1e-6)


def draw_paper(rng, image, h, w, cx, cy, angle, size):
    hw, hl = size * rng.uniform(0.38, 0.55), size * rng.uniform(0.5, 0.7)
    corners = np.array([[-hw, -hl], [hw, -hl], [hw, hl], [-hw, hl]], np.float32)
    crumpled = rng.random() < 0.5
    if crumpled:  # a crumpled ball: irregular outline
        n = 11
        radii = size * 0.5 * rng.uniform(0.65, 1.0, n)
        corners = np.stack([radii * np.cos(np.linspace(0, 2 * math.pi, n, endpoint=False)),
                            radii * np.sin(np.linspace(0, 2 * math.pi, n, endpoint=False))], axis=1)
    else:
        corners = corners + rng.uniform(-0.1, 0.1, (4, 2)) * size
    pts = _transform(corners, cx, cy, angle, 1.0)
    mask = _polygon_mask(h, w, pts)
    kind = rng.choice(4, p=[0.5, 0.25, 0.15, 0.1])
    if kind == 0:
        tone = rng.uniform(0.88, 1.0) * np.ones(3, np.float32)                              # white
    elif kind == 1:
        tone = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.1, 0.3), rng.uniform(0.85, 1.0))  # pastel
    elif kind == 2:
        tone = _hsv_to_rgb(rng.uniform(28, 40), rng.uniform(0.3, 0.5), rng.uniform(0.65, 0.85))  # kraft
    else:
        tone = rng.uniform(0.72, 0.85) * np.ones(3, np.float32)                              # newsprint
    shade = _crumple(rng, h, w, rng.uniform(0.15, 0.3) if crumpled else rng.uniform(0.02, 0.08))
    layer = tone[None, None, :] * shade[..., None]
    if rng.random() < 0.8:
        u, v = _local_coords(h, w, cx, cy, angle + rng.uniform(-0.1, 0.1), size)
        ink, _ = _text_lines(rng, h, w, u, v, mask, hw / size, hl / size, None, rng.uniform(0.4, 0.85))
        ink_colour = np.array([0.1, 0.1, 0.12], np.float32) if rng.random() < 0.8 else \
            _hsv_to_rgb(rng.uniform(0, 360), 0.7, 0.5)
        layer = layer * (1 - ink[..., None]) + ink[..., None] * ink_colour
    if not crumpled and rng.random() < 0.5:  # a fold
        u, v = _local_coords(h, w, cx, cy, angle, 1.0)
        fold = np.abs(v - rng.uniform(-0.3, 0.3) * hl)
        layer = layer * (1 - 0.12 * np.exp(-fold / 1.5))[..., None]
    image = _shadow(rng, image, mask * rng.uniform(0.4, 0.8))
    return _blend(image, layer, mask)


def draw_plastic(rng, image, h, w, cx, cy, angle, size):
    colour = rng.choice(4, p=[0.3, 0.3, 0.25, 0.15])
    if colour == 0:
        tint = _hsv_to_rgb(rng.uniform(190, 225), rng.uniform(0.3, 0.8), rng.uniform(0.6, 0.95))  # blue
    elif colour == 1:
        tint = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.0, 0.1), rng.uniform(0.8, 0.98))    # clear
    elif colour == 2:
        tint = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.55, 0.95), rng.uniform(0.55, 0.95))  # coloured
    else:
        tint = rng.uniform(0.85, 0.98) * np.ones(3, np.float32)                                # milky
    opacity = rng.uniform(0.35, 0.75) if colour in (0, 1) else rng.uniform(0.65, 0.95)
    if rng.random() < 0.6:  # bottle with ribs and a cap
        length = size * rng.uniform(1.2, 1.6)
        mask, u, v, half, neck = _bottle_mask(rng, h, w, cx, cy, angle, length, "bottle")
        un = np.clip(u / np.maximum(half, 1e-3), -1, 1)
        ribs = 0.5 + 0.5 * np.sin(v * rng.uniform(18, 35))
        body = tint[None, None, :] * (0.75 + 0.25 * _cylinder_shading(un))[..., None]
        body = body * (1 - rng.uniform(0.04, 0.12) * ribs[..., None])
        layer = image * (1 - opacity) + body * opacity
        soft = _highlight(un, rng.uniform(-0.6, -0.2), rng.uniform(0.15, 0.3)) * rng.uniform(0.25, 0.5)
        layer = layer + soft[..., None] * (1 - layer)
        if rng.random() < 0.6:  # label wrapped around the body
            band = (v > rng.uniform(-0.1, 0.2)) & (v < rng.uniform(0.4, 0.7))
            label_colour = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.4, 0.9), rng.uniform(0.5, 0.95))
            layer = np.where(band[..., None], label_colour * (0.75 + 0.25 * _cylinder_shading(un))[..., None],
                             layer)
        if rng.random() < 0.85:  # cap
            cap = (v < -0.88) & (v > -1.02) & (np.abs(u) < neck * 1.25)
            cap_colour = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.5, 1.0), rng.uniform(0.4, 0.95))
            mask = np.maximum(mask, cap.astype(np.float32))
            layer = np.where(cap[..., None], cap_colour * (0.7 + 0.3 * _cylinder_shading(
                np.clip(u / (neck * 1.25), -1, 1)))[..., None], layer)
        if rng.random() < 0.35:  # crushed: creases across the body
            layer = layer * _crumple(rng, h, w, 0.12)[..., None]
    else:  # bag: soft irregular blob with wrinkles and sheen
        n = 9
        radii = size * 0.55 * rng.uniform(0.6, 1.0, n)
        theta = np.linspace(0, 2 * math.pi, n, endpoint=False)
        pts = _transform(np.stack([radii * np.cos(theta), radii * np.sin(theta) * 1.2], axis=1), cx, cy, angle, 1.0)
        mask = _polygon_mask(h, w, pts)
        mask = (cv2.GaussianBlur(mask, (0, 0), 2.0) > 0.5).astype(np.float32)
        wrinkles = _crumple(rng, h, w, rng.uniform(0.15, 0.3))
        layer = image * (1 - opacity) + tint[None, None, :] * opacity
        layer = layer * wrinkles[..., None]
        sheen = np.clip(wrinkles - 1.08, 0, 1) * rng.uniform(2, 4)
        layer = layer + sheen[..., None] * (1 - layer)
    image = _shadow(rng, image, mask * 0.6)
    return _blend(image, np.clip(layer, 0, 1), mask)


def draw_trash(rng, image, h, w, cx, cy, angle, size):
    """Mixed, dirty, irregular items: one to four fragments with stains and dull, muddy colours."""
    combined = np.zeros((h, w), np.float32)
    for k in range(rng.integers(1, 5)):
        px = cx + rng.uniform(-0.45, 0.45) * size * (k > 0)
        py = cy + rng.uniform(-0.45, 0.45) * size * (k > 0)
        n = rng.integers(6, 13)
        radii = size * (rng.uniform(0.3, 0.55) if k == 0 else rng.uniform(0.12, 0.35)) * rng.uniform(0.5, 1.0, n)
        theta = np.sort(rng.uniform(0, 2 * math.pi, n))
        pts = _transform(np.stack([radii * np.cos(theta), radii * np.sin(theta)], axis=1), px, py,
                         rng.uniform(0, 2 * math.pi), 1.0)
        mask = _polygon_mask(h, w, pts)
        kind = rng.choice(5)
        if kind == 0:    # food scrap: organic colours, blotchy
            tone = _hsv_to_rgb(rng.uniform(10, 90), rng.uniform(0.4, 0.9), rng.uniform(0.25, 0.7))
            tex = 1 + 0.25 * _smooth_noise(rng, h, w, 24)
        elif kind == 1:  # wrapper: saturated print, crinkled foil sheen
            tone = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.5, 1.0), rng.uniform(0.4, 0.9))
            tex = _crumple(rng, h, w, 0.3)
        elif kind == 2:  # stained tissue / napkin
            tone = rng.uniform(0.75, 0.95) * np.ones(3, np.float32)
            tex = _crumple(rng, h, w, 0.2)
        elif kind == 3:  # dark rubbery / styrofoam / mixed material
            tone = _hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0.0, 0.3), rng.uniform(0.15, 0.9))
            tex = 1 + 0.1 * _smooth_noise(rng, h, w, 40)
        else:            # grimy fragment of something else (brown, grey, greenish)
            tone = _hsv_to_rgb(rng.uniform(20, 140), rng.uniform(0.15, 0.5), rng.uniform(0.3, 0.6))
            tex = 1 + 0.15 * _smooth_noise(rng, h, w, 16)
        layer = tone[None, None, :] * tex[..., None]
        # Dirt: dark brown stains, partly transparent.
        stains = np.clip(_smooth_noise(rng, h, w, 14) - rng.uniform(0.2, 0.6), 0, 1) * rng.uniform(0.5, 1.5)
        dirt = _hsv_to_rgb(rng.uniform(20, 40), rng.uniform(0.4, 0.8), rng.uniform(0.1, 0.3))
        layer = _blend(layer, dirt[None, None, :], np.clip(stains, 0, 0.85))
        image = _shadow(rng, image, mask * 0.6)
        image = _blend(image, np.clip(layer, 0, 1), mask)
        combined = np.maximum(combined, mask)
    if rng.random() < 0.4:  # a smear on the board next to it
        smear = np.clip(_smooth_noise(rng, h, w, 10) - 0.5, 0, 1) * (1 - combined)
        image = image * (1 - 0.3 * smear[..., None])
    return image


DRAWERS = [draw_cardboard, draw_glass, draw_metal, draw_paper, draw_plastic, draw_trash]


def render(seed, index, label=None):
    """Image `index` of the split with `seed`: (RGB uint8 HxWx3, label index).

    Labels cycle through the classes (index % 6) unless given, so every split is balanced.
    """
    rng = np.random.Generator(np.random.PCG64([seed, index]))
    if label is None:
        label = index % len(LABELS)
    h, w = IMAGE_HEIGHT, IMAGE_WIDTH
    image = _background(rng, h, w)
    size = rng.uniform(0.38, 0.62) * h
    cx = w / 2 + rng.uniform(-0.12, 0.12) * w
    cy = h / 2 + rng.uniform(-0.12, 0.12) * h
    angle = rng.uniform(0, 2 * math.pi)
    image = DRAWERS[label](rng, image.astype(np.float32), h, w, cx, cy, angle, size)
    # Camera: lighting (exposure, colour cast, directional light), defocus or motion blur, sensor noise.
    image = image * rng.uniform(0.75, 1.2) * (1 + rng.uniform(-0.08, 0.08, 3)).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * math.pi)
    image = image * (1 + rng.uniform(0, 0.25) * ((xx - w / 2) * math.cos(a) + (yy - h / 2) * math.sin(a)) / w)[..., None]
    blur = rng.random()
    if blur < 0.35:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.4, 1.3))
    elif blur < 0.5:
        k = int(rng.integers(3, 7))
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2, :] = 1.0 / k
        rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, rot, (k, k))
        image = cv2.filter2D(image, -1, kernel / max(kernel.sum(), 1e-6))
    image = image + rng.normal(0, rng.uniform(0.004, 0.02), image.shape).astype(np.float32)
    return np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8), label


def render_split(seed, count):
    """count images of the split `seed`: uint8 [count, H, W, 3] RGB and int64 labels [count]."""
    images = np.empty((count, IMAGE_HEIGHT, IMAGE_WIDTH, 3), np.uint8)
    labels = np.empty(count, np.int64)
    for i in range(count):
        images[i], labels[i] = render(seed, i)
    return images, labels
