#!/usr/bin/env python3
"""Writes the ONNX models of Kiln's end-to-end tests (test/e2e).

Each model is built with the `onnx` package's helpers (opset 17, IR version
8), its weights drawn from a NumPy generator with a fixed seed, and checked
with onnx.checker (full_check: shape inference too) before it is written:

  mlp          x f32[4,64] -> (Gemm -> Relu) x 3 -> y f32[4,10]
  cnn          image f32[2,3,16,16] -> Conv(bias) -> BatchNormalization
               -> Relu -> MaxPool 2x2 -> Conv(bias) -> Relu
               -> GlobalAveragePool -> Flatten -> Gemm -> Softmax
               -> probabilities f32[2,10]
  transformer  x f32[1,8,32] -> one post-norm encoder block, 2 heads:
               MatMul+Add Q/K/V projections, Reshape+Transpose to heads,
               Softmax(Q K^T / sqrt(16)) V, heads merged back, output
               projection, residual Add, LayerNorm, feed-forward
               (32 -> 64 -> 32, GELU via Erf), residual Add, LayerNorm;
               LayerNorm as primitive ops (ReduceMean, Sub, Pow, Add, Sqrt,
               Div, Mul, Add) -> y f32[1,8,32]; its scalar constants
               are rank 0 (f32[])
  transformer_1d_consts  the same with its scalar constants as f32[1]

Usage:
    models.py -o DIR [NAME...]   write DIR/NAME.onnx (default: every model)
    models.py --list             print the model names
"""

import argparse
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8
SEED = 20241125


class Builder:
    """Collects nodes and initializers of one graph."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.initializers = []
        self.counter = 0

    def fresh(self, hint):
        self.counter += 1
        return "%s_%d" % (hint, self.counter)

    def const(self, name, array):
        array = np.asarray(array)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def weight(self, name, shape, fan_in):
        # He-style uniform initialisation keeps activations O(1).
        bound = math.sqrt(6.0 / fan_in)
        values = self.rng.uniform(-bound, bound, size=shape)
        return self.const(name, values.astype(np.float32))

    def around(self, name, shape, centre, spread):
        values = self.rng.uniform(centre - spread, centre + spread, size=shape)
        return self.const(name, values.astype(np.float32))

    def op(self, op_type, inputs, hint=None, **attrs):
        out = self.fresh(hint or op_type.lower())
        self.nodes.append(
            helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def rename_output(self, value, name):
        """Makes the node producing `value` write graph output `name`."""
        for n in self.nodes:
            for i, o in enumerate(n.output):
                if o == value:
                    n.output[i] = name
                    return name
        raise KeyError(value)

    def output(self, op_type, inputs, name, **attrs):
        """A node writing graph output `name` directly."""
        self.nodes.append(
            helper.make_node(op_type, inputs, [name], name=name, **attrs))
        return name

    def model(self, inputs, outputs, doc, opset=None, full_check=True,
              check=True):
        """The checked model of float32 `inputs` and `outputs` ((name,
        shape) pairs) at `opset` (default OPSET)."""
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
             for n, s in inputs],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
             for n, s in outputs],
            initializer=self.initializers)
        model = helper.make_model(
            graph, producer_name="kiln-e2e", producer_version="1",
            doc_string=doc, ir_version=IR_VERSION,
            opset_imports=[helper.make_opsetid("", opset or OPSET)])
        if check:
            onnx.checker.check_model(model, full_check=full_check)
        return model


def mlp():
    b = Builder("mlp", SEED + 1)
    batch, sizes = 4, [64, 128, 64, 10]
    h = "x"
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        w = b.weight("fc%d.weight" % i, [n_out, n_in], n_in)
        bias = b.around("fc%d.bias" % i, [n_out], 0.0, 0.1)
        h = b.op("Gemm", [h, w, bias], "fc%d" % i, transB=1)
        h = b.op("Relu", [h], "relu%d" % i)
    b.rename_output(h, "y")
    return b.model([("x", [batch, sizes[0]])], [("y", [batch, sizes[-1]])],
                   "MLP: (Gemm -> Relu) x 3")


def cnn(batch=2):
    """`batch` may be a dim_param name (a symbolic batch dimension)."""
    b = Builder("cnn", SEED + 2)
    c_in, c1, c2, classes, hw = 3, 8, 16, 10, 16
    conv = dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])
    h = b.op("Conv", ["image",
                      b.weight("conv1.weight", [c1, c_in, 3, 3], c_in * 9),
                      b.around("conv1.bias", [c1], 0.0, 0.1)],
             "conv1", **conv)
    h = b.op("BatchNormalization",
             [h, b.around("bn1.scale", [c1], 1.0, 0.2),
              b.around("bn1.bias", [c1], 0.0, 0.1),
              b.around("bn1.mean", [c1], 0.0, 0.2),
              b.around("bn1.var", [c1], 1.0, 0.3)],
             "bn1", epsilon=1e-5)
    h = b.op("Relu", [h], "relu1")
    h = b.op("MaxPool", [h], "pool1", kernel_shape=[2, 2], strides=[2, 2])
    h = b.op("Conv", [h, b.weight("conv2.weight", [c2, c1, 3, 3], c1 * 9),
                      b.around("conv2.bias", [c2], 0.0, 0.1)],
             "conv2", **conv)
    h = b.op("Relu", [h], "relu2")
    h = b.op("GlobalAveragePool", [h], "gap")
    h = b.op("Flatten", [h], "flatten", axis=1)
    h = b.op("Gemm", [h, b.weight("fc.weight", [classes, c2], c2),
                      b.around("fc.bias", [classes], 0.0, 0.1)],
             "fc", transB=1)
    h = b.op("Softmax", [h], "softmax", axis=1)
    b.rename_output(h, "probabilities")
    return b.model([("image", [batch, c_in, hw, hw])],
                   [("probabilities", [batch, classes])],
                   "CNN: conv-bn-relu-maxpool-conv-relu-gap-gemm-softmax")


def transformer(scalar_shape=()):
    b = Builder("transformer", SEED + 3)
    batch, seq, dim, heads, ffn = 1, 8, 32, 2, 64
    head_dim = dim // heads
    i64 = lambda name, values: b.const(name, np.array(values, np.int64))
    f32 = lambda name, value: b.const(
        name, np.full(scalar_shape, value, np.float32))

    def linear(x, prefix, n_in, n_out):
        w = b.weight(prefix + ".weight", [n_in, n_out], n_in)
        bias = b.around(prefix + ".bias", [n_out], 0.0, 0.05)
        return b.op("Add", [b.op("MatMul", [x, w], prefix + "_mm"), bias],
                    prefix)

    def layer_norm(x, prefix):
        mean = b.op("ReduceMean", [x], prefix + "_mean", axes=[-1],
                    keepdims=1)
        centred = b.op("Sub", [x, mean], prefix + "_centred")
        square = b.op("Pow", [centred, "two"], prefix + "_square")
        var = b.op("ReduceMean", [square], prefix + "_var", axes=[-1],
                   keepdims=1)
        std = b.op("Sqrt", [b.op("Add", [var, "ln_eps"], prefix + "_vareps")],
                   prefix + "_std")
        normed = b.op("Div", [centred, std], prefix + "_normed")
        gamma = b.around(prefix + ".gamma", [dim], 1.0, 0.2)
        beta = b.around(prefix + ".beta", [dim], 0.0, 0.1)
        return b.op("Add", [b.op("Mul", [normed, gamma], prefix + "_scaled"),
                            beta], prefix)

    i64("heads_shape", [batch, seq, heads, head_dim])
    i64("merged_shape", [batch, seq, dim])
    f32("two", 2.0)
    f32("ln_eps", 1e-5)
    f32("inv_sqrt_head_dim", 1.0 / math.sqrt(head_dim))
    f32("half", 0.5)
    f32("one", 1.0)
    f32("inv_sqrt2", 1.0 / math.sqrt(2.0))

    x = "x"

    def to_heads(t, prefix, perm):
        r = b.op("Reshape", [t, "heads_shape"], prefix + "_split")
        return b.op("Transpose", [r], prefix + "_heads", perm=perm)

    q = to_heads(linear(x, "q_proj", dim, dim), "q", [0, 2, 1, 3])
    k_t = to_heads(linear(x, "k_proj", dim, dim), "k", [0, 2, 3, 1])
    v = to_heads(linear(x, "v_proj", dim, dim), "v", [0, 2, 1, 3])
    scores = b.op("MatMul", [q, k_t], "scores")  # [b, h, s, s]
    scaled = b.op("Mul", [scores, "inv_sqrt_head_dim"], "scores_scaled")
    attn = b.op("Softmax", [scaled], "attn", axis=-1)
    ctx = b.op("MatMul", [attn, v], "context")  # [b, h, s, d]
    ctx = b.op("Transpose", [ctx], "context_t", perm=[0, 2, 1, 3])
    ctx = b.op("Reshape", [ctx, "merged_shape"], "context_merged")
    out = linear(ctx, "out_proj", dim, dim)
    h = layer_norm(b.op("Add", [x, out], "residual1"), "ln1")

    up = linear(h, "ffn_up", dim, ffn)
    erf = b.op("Erf", [b.op("Mul", [up, "inv_sqrt2"], "gelu_scaled")],
               "gelu_erf")
    gelu = b.op("Mul", [b.op("Mul", [up, "half"], "gelu_half"),
                        b.op("Add", [erf, "one"], "gelu_erf1")], "gelu")
    down = linear(gelu, "ffn_down", ffn, dim)
    y = layer_norm(b.op("Add", [h, down], "residual2"), "ln2")
    b.rename_output(y, "y")
    return b.model([("x", [batch, seq, dim])], [("y", [batch, seq, dim])],
                   "Transformer encoder block: 2-head attention, "
                   "primitive LayerNorm, Erf GELU")


MODELS = {
    "mlp": mlp,
    "cnn": cnn,
    "transformer": transformer,
    # The CNN exported with a symbolic batch dimension "N" (compiled with
    # --dim N=... in dynamic-batch.test).
    "cnn_dynamic_batch": lambda: cnn(batch="N"),
    # The same block with its scalar constants (the LayerNorm epsilon and
    # exponent, the attention scale, GELU's 0.5, 1 and 1/sqrt(2)) stored as
    # f32[1] instead of f32[]: exporters write both, and it keeps the rest of
    # the block tested while rank-0 constants do not compile (see
    # transformer.test).
    "transformer_1d_consts": lambda: transformer(scalar_shape=(1,)),
}


def write_models(models, doc, argv=None):
    """The command line of every model generator here: writes
    DIR/NAME.onnx for the named models (default: all), or lists them."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-o", "--output-dir", help="directory to write into")
    parser.add_argument("--list", action="store_true",
                        help="print the model names and exit")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="models to write (default: all)")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(models))
        return 0
    if not args.output_dir:
        parser.error("-o DIR is required")
    unknown = [n for n in args.names if n not in models]
    if unknown:
        parser.error("unknown model(s) %s; one of %s"
                     % (", ".join(unknown), ", ".join(models)))
    os.makedirs(args.output_dir, exist_ok=True)
    for name in args.names or models:
        path = os.path.join(args.output_dir, name + ".onnx")
        onnx.save(models[name](), path)
        print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(write_models(MODELS, __doc__))
