"""Runs a BTT model file's network in ONNX Runtime and compares it with candle.

Reads the safetensors file (its `btt.model` metadata gives the network's shape), builds the same
graph as `offchain-workers/diagnostics/src/model/` in ONNX (opset 21) with the same weights,
runs it on the batch `btt-diagnostics bench --dump DIR` wrote, checks the logits against
candle's, then times it with the same batch, warm-up and iteration count, and prints JSON.

Usage: python compare.py MODEL.safetensors DUMP_DIR OUT.onnx ITERATIONS WARMUP
"""

import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

MODULES = ["caries", "periodontal", "orthodontic", "endodontic", "oral_pathology"]


def read_safetensors(path):
    """The tensors (name -> float32 array) and metadata of a safetensors file."""
    with open(path, "rb") as file:
        data = file.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    metadata = header.pop("__metadata__", {})
    base = 8 + header_len
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {entry['dtype']} is not F32")
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[base + start : base + end], dtype="<f4").reshape(entry["shape"])
    return tensors, json.loads(metadata["btt.model"])


class Graph:
    """A growing ONNX graph with named constants."""

    def __init__(self, weights):
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.counter = 0

    def name(self, hint):
        self.counter += 1
        return f"{hint}_{self.counter}"

    def const(self, array, hint="c"):
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, key):
        return self.const(self.weights[key].astype(np.float32), key.replace(".", "_"))

    def op(self, op_type, inputs, hint=None, **attributes):
        output = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [output], **attributes))
        return output

    def conv(self, x, prefix, stride, padding, bias=False):
        inputs = [x, self.weight(f"{prefix}.weight")]
        if bias:
            inputs.append(self.weight(f"{prefix}.bias"))
        return self.op("Conv", inputs, strides=[stride, stride], pads=[padding] * 4)

    def group_norm(self, x, prefix, groups, channels, eps=1e-5):
        """GroupNorm with per-channel affine, as candle_nn::GroupNorm: ONNX's single
        GroupNormalization op (opset 21, per-channel scale and bias), which ONNX Runtime runs as
        one fused kernel."""
        if os.environ.get("BTT_ONNX_GROUPNORM") == "decomposed":
            return self.group_norm_decomposed(x, prefix, groups, channels, eps)
        scale = self.weight(f"{prefix}.weight")
        shift = self.weight(f"{prefix}.bias")
        return self.op("GroupNormalization", [x, scale, shift], epsilon=eps, num_groups=groups)

    def group_norm_decomposed(self, x, prefix, groups, channels, eps):
        """The same as eight elementary ops (BTT_ONNX_GROUPNORM=decomposed), for comparison."""
        grouped = self.op("Reshape", [x, self.const(np.array([0, groups, -1], dtype=np.int64))])
        axes = self.const(np.array([2], dtype=np.int64))
        mean = self.op("ReduceMean", [grouped, axes], keepdims=1)
        centred = self.op("Sub", [grouped, mean])
        variance = self.op("ReduceMean", [self.op("Mul", [centred, centred]), axes], keepdims=1)
        std = self.op("Sqrt", [self.op("Add", [variance, self.const(np.array(eps, dtype=np.float32))])])
        normed = self.op("Reshape", [self.op("Div", [centred, std]), self.op("Shape", [x])])
        scale = self.const(self.weights[f"{prefix}.weight"].reshape(channels, 1, 1).astype(np.float32))
        shift = self.const(self.weights[f"{prefix}.bias"].reshape(channels, 1, 1).astype(np.float32))
        return self.op("Add", [self.op("Mul", [normed, scale]), shift])

    def conv_norm(self, x, prefix, channels, kernel, stride, groups):
        y = self.conv(x, f"{prefix}.conv", stride, kernel // 2)
        return self.group_norm(y, f"{prefix}.norm", groups, channels)

    def linear(self, x, prefix):
        return self.op("Gemm", [x, self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")], transB=1)


def build(weights, net):
    """The DentalNet graph: input (N,1,S,S) -> five heads' raw logits and the attention map."""
    g = Graph(weights)
    groups = net["norm_groups"]
    x = g.op("Relu", [g.conv_norm("input", "stem", net["stem_channels"], 3, 2, groups)])
    channels = net["stem_channels"]
    attention = None
    for stage, out_channels in enumerate(net["stage_channels"]):
        for block in range(net["blocks_per_stage"]):
            prefix = f"stages.{stage}.blocks.{block}"
            stride = 2 if block == 0 else 1
            in_channels = channels if block == 0 else out_channels
            y = g.op("Relu", [g.conv_norm(x, f"{prefix}.conv1", out_channels, 3, stride, groups)])
            y = g.conv_norm(y, f"{prefix}.conv2", out_channels, 3, 1, groups)
            if stride != 1 or in_channels != out_channels:
                shortcut = g.conv_norm(x, f"{prefix}.shortcut", out_channels, 1, stride, groups)
            else:
                shortcut = x
            x = g.op("Relu", [g.op("Add", [y, shortcut])])
        channels = out_channels
        if stage == net["attention_after_stage"]:
            spatial_axes = g.const(np.array([2, 3], dtype=np.int64))
            average = g.op("ReduceMean", [x, spatial_axes], keepdims=0)
            maximum = g.op("ReduceMax", [x, spatial_axes], keepdims=0)

            def mlp(v):
                hidden = g.op("Relu", [g.linear(v, "attention.channel.fc1")])
                return g.linear(hidden, "attention.channel.fc2")

            weights4 = g.op("Unsqueeze", [g.op("Sigmoid", [g.op("Add", [mlp(average), mlp(maximum)])]), spatial_axes])
            x = g.op("Mul", [x, weights4])
            channel_axis = g.const(np.array([1], dtype=np.int64))
            pooled = g.op("Concat", [g.op("ReduceMean", [x, channel_axis], keepdims=1), g.op("ReduceMax", [x, channel_axis], keepdims=1)], axis=1)
            attention = g.op("Sigmoid", [g.conv(pooled, "attention.spatial.conv", 1, 3, bias=True)])
            x = g.op("Mul", [x, attention])
    spatial_axes = g.const(np.array([2, 3], dtype=np.int64))
    pooled = g.op("Concat", [g.op("ReduceMean", [x, spatial_axes], keepdims=0), g.op("ReduceMax", [x, spatial_axes], keepdims=0)], axis=1)
    outputs = []
    for module in MODULES:
        logits = g.linear(pooled, f"heads.{module}")
        g.nodes.append(helper.make_node("Identity", [logits], [f"logits_{module}"]))
        outputs.append(helper.make_tensor_value_info(f"logits_{module}", TensorProto.FLOAT, ["batch", "classes"]))
    g.nodes.append(helper.make_node("Identity", [attention], ["attention"]))
    outputs.append(helper.make_tensor_value_info("attention", TensorProto.FLOAT, ["batch", 1, "height", "width"]))
    side = net["input_side"]
    graph = helper.make_graph(
        g.nodes, "btt_dental_net",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1, side, side])],
        outputs, g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)], producer_name="btt scripts/onnx")
    onnx.checker.check_model(model)
    return model


def main():
    model_path, dump, out, iterations, warmup = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    threads = int(sys.argv[6])
    weights, metadata = read_safetensors(model_path)
    net = metadata["net"]
    onnx.save(build(weights, net), out)
    with open(f"{dump}/logits.json") as file:
        reference = json.load(file)
    batch, side = reference["batch"], reference["side"]
    batch_input = np.fromfile(f"{dump}/input.f32", dtype="<f4").reshape(batch, 1, side, side)
    options = ort.SessionOptions()
    # The same thread count as candle's (its rayon pool), recorded in the output.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(out, options, providers=["CPUExecutionProvider"])
    names = [f"logits_{module}" for module in MODULES]
    outputs = session.run(names, {"input": batch_input})
    difference = max(float(np.max(np.abs(np.asarray(ref) - got))) for ref, got in zip(reference["logits"], outputs))
    for _ in range(warmup):
        session.run(names, {"input": batch_input})
    millis = []
    for _ in range(iterations):
        started = time.perf_counter()
        session.run(names, {"input": batch_input})
        millis.append((time.perf_counter() - started) * 1e3)
    millis.sort()
    median = statistics.median(millis)
    print(json.dumps({
        "runtime": f"onnxruntime {ort.__version__}",
        "batch": batch,
        "iterations": iterations,
        "threads": threads,
        "min_ms": millis[0],
        "median_ms": median,
        "max_ms": millis[-1],
        "p90_ms": millis[round((len(millis) - 1) * 0.9)],
        "images_per_second": batch * 1e3 / median,
        "max_abs_logit_difference": difference,
    }))


if __name__ == "__main__":
    main()
