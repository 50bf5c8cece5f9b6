"""Writes src/test/resources/tiny-detector/model.onnx: a stand-in for a YOLOv5 export, small enough to
commit, whose output the Java test can predict exactly.

Input "images" [1,3,64,64]; output "output0" [1,3,7] (3 rows of cx, cy, w, h, objectness, 2 class
scores, in input pixels). The rows are constants except the objectness of row 0, which is the mean of
the input: it proves that the letterboxed image (frame pixels and grey padding) reaches the model.

Run with Debian's Python: /usr/bin/python3 make_tiny_detector.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rows = np.array([[
    [32, 32, 16, 8, 0.0, 1.0, 0.0],   # objectness = mean(input) at run time
    [33, 32, 16, 8, 0.6, 1.0, 0.0],   # overlaps row 0, less confident: suppressed by NMS
    [10, 20, 4, 4, 0.9, 0.0, 0.9],    # class 1, confidence 0.81
]], dtype=np.float32)
mask = np.zeros_like(rows)
mask[0, 0, 4] = 1.0

graph = helper.make_graph(
    [
        helper.make_node("ReduceMean", ["images"], ["mean"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Mul", ["mask", "mean"], ["scaled"]),
        helper.make_node("Add", ["rows", "scaled"], ["output0"]),
    ],
    "tiny_detector",
    [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 64, 64])],
    [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 3, 7])],
    [numpy_helper.from_array(rows, "rows"), numpy_helper.from_array(mask, "mask")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
helper.set_model_props(model, {"stride": "[8, 16, 32]", "names": "{0: 'product', 1: 'gap'}"})
onnx.checker.check_model(model)
target = os.path.join(os.path.dirname(__file__), "..", "resources", "tiny-detector", "model.onnx")
onnx.save(model, target)
print("wrote", os.path.abspath(target))
