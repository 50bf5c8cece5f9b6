#!/usr/bin/python3
"""Generates the tiny ONNX model used by NativeLibrariesInFelixTest and prints the expected output.

Run once with Debian's python3-onnx (onnx 1.12) and commit the result:
    /usr/bin/python3 scripts/make_tiny_model.py src/test/resources/models/tiny-conv-softmax.onnx

Graph: input "image" float[1,3,4,4] -> Conv (4 filters 3x3, pad 1, fixed weights and bias)
       -> ReduceMean over H,W -> Softmax -> output "scores" float[1,4].
The weights and the test input are simple closed formulas so the Java test can rebuild the input.
The expected scores are computed here with plain numpy (float64), independent of ONNX Runtime.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def weights():
    w = ((np.arange(4 * 3 * 3 * 3) % 11) - 5).astype(np.float32) / 10.0
    return w.reshape(4, 3, 3, 3), np.array([0.1, -0.2, 0.3, -0.4], dtype=np.float32)


def test_input():
    # Same formula as NativeLibrariesInFelixTest#modelInput: x[i] = ((i % 7) - 3) / 4 in NCHW order.
    return (((np.arange(48) % 7) - 3) / 4.0).astype(np.float32).reshape(1, 3, 4, 4)


def build_model():
    w, b = weights()
    nodes = [
        helper.make_node("Conv", ["image", "W", "B"], ["conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("ReduceMean", ["conv"], ["pooled"], axes=[2, 3], keepdims=0),
        helper.make_node("Softmax", ["pooled"], ["scores"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "linesight-tiny-conv-softmax",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 4, 4])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 4])],
        initializer=[numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="linesight-integration-tests")
    onnx.checker.check_model(model)
    return model


def reference_scores(x):
    """Conv (pad 1, stride 1) -> mean over H,W -> softmax, in float64."""
    w, b = (a.astype(np.float64) for a in weights())
    x = x.astype(np.float64)[0]
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    conv = np.zeros((4, 4, 4))
    for f in range(4):
        for i in range(4):
            for j in range(4):
                conv[f, i, j] = np.sum(padded[:, i:i + 3, j:j + 3] * w[f]) + b[f]
    pooled = conv.mean(axis=(1, 2))
    e = np.exp(pooled - pooled.max())
    return e / e.sum()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tiny-conv-softmax.onnx"
    onnx.save(build_model(), out)
    scores = reference_scores(test_input())
    print("wrote", out)
    print("expected scores:", ", ".join("%.9ff" % s for s in scores))


if __name__ == "__main__":
    main()
