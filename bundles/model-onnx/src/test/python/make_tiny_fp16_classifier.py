"""Writes src/test/resources/tiny-fp16-classifier/model.onnx: a half-precision classifier whose logits
are the mean of each input channel (float16 in, float16 out), so the Java test can predict its answer.

Run with Debian's Python: /usr/bin/python3 make_tiny_fp16_classifier.py
"""
import os

import onnx
from onnx import TensorProto, helper

graph = helper.make_graph(
    [
        helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["logits"]),
    ],
    "tiny_fp16_classifier",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT16, ["N", 3, 8, 8])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT16, ["N", 3])],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
target = os.path.join(os.path.dirname(__file__), "..", "resources", "tiny-fp16-classifier", "model.onnx")
onnx.save(model, target)
print("wrote", os.path.abspath(target))
