"""Writes src/test/resources/tiny-int8-classifier/model.onnx: a QDQ-quantized classifier (the form
static INT8 quantization exports): float input -> QuantizeLinear -> DequantizeLinear -> a 1x1 Conv whose
int8 weights are dequantized too -> GlobalAveragePool -> Flatten. Logits are the channel means times
the dequantized weights (identity), so the Java test can predict them within the quantization step.

Run with Debian's Python: /usr/bin/python3 make_tiny_int8_classifier.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

x_scale = np.array(1 / 127, dtype=np.float32)
x_zero = np.array(0, dtype=np.int8)
w_int8 = np.zeros((3, 3, 1, 1), dtype=np.int8)
for c in range(3):
    w_int8[c, c, 0, 0] = 100                      # identity after dequantization
w_scale = np.array(0.01, dtype=np.float32)
w_zero = np.array(0, dtype=np.int8)

graph = helper.make_graph(
    [
        helper.make_node("QuantizeLinear", ["input", "x_scale", "x_zero"], ["x_q"]),
        helper.make_node("DequantizeLinear", ["x_q", "x_scale", "x_zero"], ["x_dq"]),
        helper.make_node("DequantizeLinear", ["w_int8", "w_scale", "w_zero"], ["w_dq"]),
        helper.make_node("Conv", ["x_dq", "w_dq"], ["conv"]),
        helper.make_node("GlobalAveragePool", ["conv"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["logits"]),
    ],
    "tiny_int8_classifier",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 8, 8])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 3])],
    [numpy_helper.from_array(x_scale, "x_scale"), numpy_helper.from_array(x_zero, "x_zero"),
     numpy_helper.from_array(w_int8, "w_int8"), numpy_helper.from_array(w_scale, "w_scale"),
     numpy_helper.from_array(w_zero, "w_zero")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
target = os.path.join(os.path.dirname(__file__), "..", "resources", "tiny-int8-classifier", "model.onnx")
onnx.save(model, target)
print("wrote", os.path.abspath(target))
