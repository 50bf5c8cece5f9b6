"""Measures how far the INT8 detector moves when every input value moves by one float ulp: the noise floor
behind the INT8 tolerance of ShippedPackagesParityTest (bundles/model-onnx). Run from models/sku-yolov5n:
/usr/bin/python3 int8_noise.py"""
import sys, json, subprocess, numpy as np, cv2
sys.path.insert(0, '.')
import detection
from pathlib import Path
pkg = Path('../sku-yolov5n-int8')
exp = json.loads((pkg/'golden/expected.json').read_text())
card = json.loads((pkg/'model.json').read_text()); pp = card['postprocessing']
xs, gs = [], []
for e in exp[:20]:
    bgr = cv2.imread(str(pkg/'golden'/e['file']))
    x, g = detection.letterbox(np.ascontiguousarray(bgr[..., ::-1]), 320)
    xs.append(x.numpy()); gs.append(g)
x = np.stack(xs)
rng = np.random.default_rng(1)
xp = np.nextafter(x, np.where(rng.random(x.shape) < 0.5, np.float32(np.inf), np.float32(-np.inf)).astype(np.float32))
def run(arr, d):
    np.save('/tmp/int8-noise-b.npy', arr)
    subprocess.run(['../tools/ort', 'run', str(pkg/'model.onnx'), '/tmp/int8-noise-b.npy', d], check=True, capture_output=True)
    return np.load(d + '/output0.npy')
a, b = run(x, '/tmp/int8-noise-na'), run(xp, '/tmp/int8-noise-nb')
def dets(out, g):
    bx, c, k = detection.decode(out, pp['confidenceThreshold'], pp['iouThreshold'], pp['maxDetections'])
    return g.to_frame(bx)
def iou(p, q):
    x1, y1 = max(p[0], q[0]), max(p[1], q[1]); x2, y2 = min(p[2], q[2]), min(p[3], q[3])
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    return inter / ((p[2]-p[0])*(p[3]-p[1]) + (q[2]-q[0])*(q[3]-q[1]) - inter)
ious, unmatched, total = [], 0, 0
for i in range(len(gs)):
    r, f = list(dets(a[i], gs[i])), list(dets(b[i], gs[i]))
    total += len(r) + len(f)
    for rb in r:
        best, bi = None, -1
        for j, fb in enumerate(f):
            v = iou(rb, fb)
            if v > bi: bi, best = v, j
        if best is None or bi < 0.5: unmatched += 1
        else: ious.append(bi); f.pop(best)
    unmatched += len(f)
ious.sort()
print('1-ulp noise, 20 images: unmatched %.2f %%, median IoU %.4f, p10 %.4f, smallest %.4f' % (100*unmatched/total, ious[len(ious)//2], ious[len(ious)//10], ious[0]))
