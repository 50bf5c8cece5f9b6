"""ONNX export and the two derived variants, plus the bridge to ONNX Runtime (models/tools/ort).

export_fp32(): YOLOv5-style export (batch norm folded, input `images` [1,3,S,S] float32, output
`output0` [1,N,5+nc], opset 13, ultralytics metadata `stride` and `names`).
to_fp16(): the same graph in float16 end to end, input and output included (as YOLOv5 --half).
quantize_qdq(): static INT8 in QDQ form, written with the onnx package (Debian has no
onnxruntime.quantization): QuantizeLinear/DequantizeLinear pairs on activation tensors (uint8,
asymmetric, min/max calibration by ONNX Runtime itself), every Conv weight as int8 symmetric per
output channel behind a DequantizeLinear, every Conv bias as int32 (scale = input scale x weight
scale). Which activations: see calibration_tensors() (mode "conv": Conv inputs and outputs only;
mode "full", shipped: also the SiLU, residual Add, Concat, MaxPool and Resize tensors, as
onnxruntime's quantize_static does). The Detect head's three 1x1 convs keep a float output: their
logits feed the box decoding, which stays float.
"""

import json
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnx.checker
import onnx.helper as oh
import onnx.numpy_helper as nh
import torch

ORT = Path(__file__).resolve().parent.parent / "tools" / "ort"
OPSET = 13


def export_fp32(model, size, path, names):
    """model: fused, eval mode. Writes and checks the ONNX file; returns the proto."""
    x = torch.zeros(1, 3, size, size)
    model.detect.fix_grids(size)  # the grids become constants in the trace
    try:
        with torch.no_grad():
            torch.onnx.export(model, x, str(path), opset_version=OPSET, input_names=["images"],
                              output_names=["output0"], do_constant_folding=True)
    finally:
        model.detect.export_grids = None
    proto = onnx.load(str(path))
    add_metadata(proto, names)
    onnx.save(proto, str(path))
    onnx.checker.check_model(str(path))
    return proto


def add_metadata(proto, names):
    del proto.metadata_props[:]
    for key, value in (("stride", "32"), ("names", str({i: n for i, n in enumerate(names)}))):
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value


def consumers(graph):
    out = {}
    for node in graph.node:
        for k, name in enumerate(node.input):
            out.setdefault(name, []).append((node, k))
    return out


def to_fp16(src, dst):
    """float32 -> float16 everywhere except the inputs ONNX requires in float (Resize roi/scales)."""
    proto = onnx.load(str(src))
    graph = proto.graph
    uses = consumers(graph)

    def must_stay_float(name):
        return any(node.op_type == "Resize" and k in (1, 2) for node, k in uses.get(name, []))

    for init in graph.initializer:
        if init.data_type == onnx.TensorProto.FLOAT and not must_stay_float(init.name):
            init.CopyFrom(nh.from_array(nh.to_array(init).astype(np.float16), init.name))
    for node in graph.node:
        if node.op_type == "Constant" and not must_stay_float(node.output[0]):
            for attr in node.attribute:
                if attr.name == "value" and attr.t.data_type == onnx.TensorProto.FLOAT:
                    attr.t.CopyFrom(nh.from_array(nh.to_array(attr.t).astype(np.float16)))
        if node.op_type == "Cast":
            for attr in node.attribute:
                if attr.name == "to" and attr.i == onnx.TensorProto.FLOAT:
                    attr.i = onnx.TensorProto.FLOAT16
    for value in list(graph.input) + list(graph.output):
        if value.type.tensor_type.elem_type == onnx.TensorProto.FLOAT:
            value.type.tensor_type.elem_type = onnx.TensorProto.FLOAT16
    del graph.value_info[:]
    onnx.save(proto, str(dst))
    onnx.checker.check_model(str(dst), full_check=True)
    return proto


# ------------------------------------------------------------------------------------------- INT8

def conv_nodes(graph):
    return [n for n in graph.node if n.op_type == "Conv"]


def head_convs(graph):
    """The Detect head's convs: those whose output is not followed by a SiLU (Sigmoid + Mul)."""
    uses = consumers(graph)
    heads = set()
    for n in conv_nodes(graph):
        kinds = sorted(node.op_type for node, _ in uses.get(n.output[0], []))
        if kinds != ["Mul", "Sigmoid"]:
            heads.add(n.name)
    return heads


QUANTIZED_OPS = ("Conv", "Sigmoid", "Mul", "Add", "Concat", "MaxPool", "Resize")
SHARED_QPARAMS_OPS = ("MaxPool", "Resize")  # output keeps the input's scale: ORT then runs them on uint8


def decode_nodes(graph):
    """Names of the nodes that decode the head's output (everything downstream of the head convs)."""
    heads = head_convs(graph)
    tainted = {n.output[0] for n in conv_nodes(graph) if n.name in heads}
    names = set()
    for node in graph.node:  # graph.node is topologically sorted
        if any(i in tainted for i in node.input):
            names.add(node.name)
            tainted.update(node.output)
    return names


def calibration_tensors(graph, mode="full"):
    """Activation tensors that get a QDQ pair.

    mode "conv": every Conv input and every non-head Conv output (ONNX Runtime fuses QLinearConv; the SiLU,
    residual adds, concats and pools run in float between a DequantizeLinear and a QuantizeLinear).
    mode "full": also the inputs and outputs of Sigmoid, Mul, Add, Concat, MaxPool and Resize outside
    the box decoding, so the whole backbone and neck run on uint8 tensors (QLinearSigmoid, QLinearMul,
    QLinearAdd, QLinearConcat, uint8 MaxPool and Resize), as onnxruntime's quantize_static does.
    """
    heads = head_convs(graph)
    initializers = {i.name for i in graph.initializer}
    skip = decode_nodes(graph)
    names = []

    def add(name):
        if name and name not in initializers and name not in names:
            names.append(name)

    for n in graph.node:
        if n.name in skip:
            continue
        if n.op_type == "Conv":
            add(n.input[0])
            if n.name not in heads:
                add(n.output[0])
        elif mode == "full" and n.op_type in QUANTIZED_OPS:
            for i in (n.input[:1] if n.op_type == "Resize" else n.input):
                add(i)
            add(n.output[0])
    return names


def share_qparams(graph, ranges):
    """MaxPool and Resize outputs take their input's range (order-preserving ops: no requantization)."""
    ranges = dict(ranges)
    for n in graph.node:
        if n.op_type in SHARED_QPARAMS_OPS and n.input[0] in ranges and n.output[0] in ranges:
            ranges[n.output[0]] = ranges[n.input[0]]
    return ranges


def calibrate(fp32_path, inputs, workdir, mode="full", chunk=10):
    """Min/max of each calibration tensor over inputs [n,3,S,S], computed by ONNX Runtime with the
    tensors exposed as extra graph outputs."""
    proto = onnx.load(str(fp32_path))
    names = calibration_tensors(proto.graph, mode)
    known = {v.name for v in proto.graph.output}
    for name in names:
        if name not in known:
            proto.graph.output.append(oh.make_empty_tensor_value_info(name))
    probe = Path(workdir) / "calibration-probe.onnx"
    onnx.save(proto, str(probe))
    lo = {n: np.inf for n in names}
    hi = {n: -np.inf for n in names}
    for start in range(0, len(inputs), chunk):
        outputs = ort_run(probe, inputs[start:start + chunk], workdir, names=names)
        for n in names:
            lo[n] = min(lo[n], float(outputs[n].min()))
            hi[n] = max(hi[n], float(outputs[n].max()))
    return share_qparams(proto.graph, {n: (lo[n], hi[n]) for n in names})


def activation_qparams(lo, hi):
    """uint8 asymmetric over [min(lo,0), max(hi,0)], as onnxruntime's MinMax calibration."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero = int(np.clip(round(-lo / scale), 0, 255))
    return np.float32(scale), np.uint8(zero)


def quantize_qdq(fp32_path, ranges, dst):
    proto = onnx.load(str(fp32_path))
    graph = proto.graph
    inits = {i.name: i for i in graph.initializer}
    heads = head_convs(graph)
    new_inits, new_nodes = [], []
    act = {}  # tensor -> (dequantized name, scale)
    for name, (lo, hi) in ranges.items():
        scale, zero = activation_qparams(lo, hi)
        s_name, z_name = name + "_scale", name + "_zero_point"
        new_inits += [nh.from_array(np.array(scale, np.float32), s_name),
                      nh.from_array(np.array(zero, np.uint8), z_name)]
        new_nodes.append(oh.make_node("QuantizeLinear", [name, s_name, z_name], [name + "_quantized"],
                                      name=name + "_QuantizeLinear"))
        new_nodes.append(oh.make_node("DequantizeLinear", [name + "_quantized", s_name, z_name],
                                      [name + "_dequantized"], name=name + "_DequantizeLinear"))
        act[name] = (name + "_dequantized", float(scale))
    # Rewire every consumer of a quantized tensor (except its own QuantizeLinear) to the DQ output.
    for node in graph.node:
        for k, name in enumerate(node.input):
            if name in act:
                node.input[k] = act[name][0]
    for n in conv_nodes(graph):
        w_name = n.input[1]
        w = nh.to_array(inits[w_name]).astype(np.float32)
        w_scale = np.abs(w).reshape(w.shape[0], -1).max(1) / 127.0
        w_scale = np.where(w_scale > 0, w_scale, 1.0).astype(np.float32)
        wq = np.clip(np.round(w / w_scale.reshape(-1, 1, 1, 1)), -127, 127).astype(np.int8)
        n.input[1] = _per_channel_dequantized(w_name, wq, w_scale, np.int8, new_inits, new_nodes)
        if len(n.input) > 2 and n.input[2]:
            b_name = n.input[2]
            b = nh.to_array(inits[b_name]).astype(np.float64)
            x_scale = act[_source(n.input[0])][1]
            b_scale = (x_scale * w_scale.astype(np.float64)).astype(np.float32)
            bq = np.round(b / b_scale).astype(np.int32)
            n.input[2] = _per_channel_dequantized(b_name, bq, b_scale, np.int32, new_inits, new_nodes)
    used = set()
    for node in list(graph.node) + new_nodes:
        used.update(node.input)
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    # Topological order: each QuantizeLinear right after the producer of its tensor.
    ordered = []
    pending = {}
    for q in new_nodes:
        pending.setdefault(q.input[0], []).append(q)
    emitted = set()

    def emit(node):
        ordered.append(node)
        for out in node.output:
            for follower in pending.pop(out, []):
                emit(follower)

    for name in [i.name for i in graph.input] + [i.name for i in graph.initializer]:
        for follower in pending.pop(name, []):
            emit(follower)
    for node in graph.node:
        emit(node)
    del graph.node[:]
    graph.node.extend(ordered)
    onnx.save(proto, str(dst))
    onnx.checker.check_model(str(dst), full_check=True)
    return proto


def _per_channel_dequantized(name, quantized, scale, zero_dtype, new_inits, new_nodes):
    """Adds the quantized initializer of a Conv weight or bias with its per-output-channel scale and zero
    point, and the DequantizeLinear (axis 0) that restores it; returns the name the Conv should read."""
    new_inits += [nh.from_array(quantized, name + "_quantized"),
                  nh.from_array(scale, name + "_scale"),
                  nh.from_array(np.zeros(len(scale), zero_dtype), name + "_zero_point")]
    new_nodes.append(oh.make_node("DequantizeLinear", [name + "_quantized", name + "_scale", name + "_zero_point"],
                                  [name + "_dequantized"], name=name + "_DequantizeLinear", axis=0))
    return name + "_dequantized"


def _source(dequantized_name):
    return dequantized_name[:-len("_dequantized")]


# ------------------------------------------------------------------------------------ ONNX Runtime

def ort_run(model_path, inputs, workdir, names=("output0",)):
    """Runs the model in ONNX Runtime 1.29 (models/tools/ort) on inputs [n, ...] float32, one at a time."""
    with tempfile.TemporaryDirectory(dir=str(workdir)) as tmp:
        x = Path(tmp) / "input.npy"
        np.save(str(x), np.ascontiguousarray(inputs, dtype=np.float32))
        out_dir = Path(tmp) / "out"
        result = subprocess.run([str(ORT), "run", str(model_path), str(x), str(out_dir), "--threads", "2"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("ort run {} failed: {}".format(model_path, result.stderr[-3000:]))
        out = {}
        for name in names:
            f = out_dir / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".npy")
            out[name] = np.load(str(f))
        return out


def ort_latency(model_path, runs=200, threads=2):
    result = subprocess.run([str(ORT), "latency", str(model_path), "--threads", str(threads), "--runs", str(runs)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("ort latency {} failed: {}".format(model_path, result.stderr[-3000:]))
    return json.loads(result.stdout.strip().splitlines()[-1])
