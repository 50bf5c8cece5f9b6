"""Writes src/test/resources/nan-classifier/model.onnx: a classifier with the shipped model's input and
output ([N,3,120,160] -> logits [N,2]) whose logits are always NaN (0/0), so the deployment's gate can be
shown to refuse a model that loads and runs but answers nonsense.

Run with Debian's Python: /usr/bin/python3 make_nan_classifier.py
"""
import os

import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np

graph = helper.make_graph(
    [
        helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("Slice", ["flat", "starts", "ends", "axes"], ["two"]),
        helper.make_node("Sub", ["two", "two"], ["zero"]),
        helper.make_node("Div", ["zero", "zero"], ["logits"]),
    ],
    "nan_classifier",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 120, 160])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 2])],
    [numpy_helper.from_array(np.array([0], dtype=np.int64), "starts"),
     numpy_helper.from_array(np.array([2], dtype=np.int64), "ends"),
     numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 7
onnx.checker.check_model(model)
target = os.path.join(os.path.dirname(__file__), "..", "resources", "nan-classifier", "model.onnx")
onnx.save(model, target)
print("wrote", os.path.abspath(target))
