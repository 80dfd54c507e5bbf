#!/usr/bin/env python3
"""Writes tiny_cnn.onnxtxt, Kiln's bundled example model, as ONNX text format.

A small image classifier (opset 17, IR version 8):

    image f32[1,3,16,16]
      -> Conv 3x3 (8 filters, bias, pad 1) -> BatchNormalization -> Relu
      -> MaxPool 2x2/2
      -> Conv 3x3 (16 filters, bias, pad 1) -> Relu
      -> GlobalAveragePool -> Flatten -> Gemm (16 -> 10, transB) -> Softmax
    -> probabilities f32[1,10]

The weights are pseudo-random but deterministic (a fixed-seed linear
congruential generator, so the output does not depend on the Python version),
scaled like He initialisation so activations stay in a sensible range.

Python standard library only. The build turns the text into a binary model:

    protoc --encode=onnx.ModelProto -I /usr/include/onnx \\
        /usr/include/onnx/onnx.proto < tiny_cnn.onnxtxt > tiny_cnn.onnx

Usage:
    generate.py            rewrite tiny_cnn.onnxtxt next to this script
    generate.py -o FILE    write FILE instead ('-' for stdout)
    generate.py --check    exit 1 if the committed file differs from the output
"""

import argparse
import math
import os
import sys

FLOAT = 1  # onnx.TensorProto.FLOAT
SEED = 20240917


class Lcg:
    """Numerical Recipes' 32-bit LCG; deterministic everywhere."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def uniform(self, low, high):
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return low + (high - low) * (self.state / 2.0**32)


def fmt(x):
    # Four significant digits keep the file small; "%g" never prints "-0"
    # ambiguities that protoc cannot read.
    s = "%.4g" % x
    return "0" if s == "-0" else s


def tensor(name, dims, values, indent):
    pad = " " * indent
    lines = [pad + "initializer {"]
    lines += [pad + "  dims: %d" % d for d in dims]
    lines.append(pad + "  data_type: %d" % FLOAT)
    lines.append(pad + '  name: "%s"' % name)
    # Eight values per line; protobuf's text format accepts the list syntax
    # `float_data: [a, b, ...]` for repeated scalars.
    rows = [values[i:i + 8] for i in range(0, len(values), 8)]
    lines.append(pad + "  float_data: [")
    for i, row in enumerate(rows):
        sep = "," if i + 1 < len(rows) else ""
        lines.append(pad + "    " + ", ".join(fmt(v) for v in row) + sep)
    lines.append(pad + "  ]")
    lines.append(pad + "}")
    return lines


def value_info(kind, name, dims, indent):
    pad = " " * indent
    lines = [pad + kind + " {", pad + '  name: "%s"' % name,
             pad + "  type {", pad + "    tensor_type {",
             pad + "      elem_type: %d" % FLOAT, pad + "      shape {"]
    lines += [pad + "        dim { dim_value: %d }" % d for d in dims]
    lines += [pad + "      }", pad + "    }", pad + "  }", pad + "}"]
    return lines


def attr(name, value):
    if isinstance(value, list):
        ints = " ".join("ints: %d" % v for v in value)
        return 'attribute { name: "%s" %s type: INTS }' % (name, ints)
    if isinstance(value, float):
        return 'attribute { name: "%s" f: %s type: FLOAT }' % (name, fmt(value))
    return 'attribute { name: "%s" i: %d type: INT }' % (name, value)


def node(name, op_type, inputs, outputs, attrs, indent):
    pad = " " * indent
    lines = [pad + "node {"]
    lines += [pad + '  input: "%s"' % i for i in inputs]
    lines += [pad + '  output: "%s"' % o for o in outputs]
    lines.append(pad + '  name: "%s"' % name)
    lines.append(pad + '  op_type: "%s"' % op_type)
    lines += [pad + "  " + attr(k, v) for k, v in attrs]
    lines.append(pad + "}")
    return lines


def generate():
    rng = Lcg(SEED)

    def he(count, fan_in):
        bound = math.sqrt(6.0 / fan_in)
        return [rng.uniform(-bound, bound) for _ in range(count)]

    def around(count, centre, spread):
        return [rng.uniform(centre - spread, centre + spread)
                for _ in range(count)]

    c_in, c1, c2, classes, hw = 3, 8, 16, 10, 16
    weights = [
        ("conv1.weight", [c1, c_in, 3, 3], he(c1 * c_in * 9, c_in * 9)),
        ("conv1.bias", [c1], around(c1, 0.0, 0.1)),
        ("bn1.scale", [c1], around(c1, 1.0, 0.2)),
        ("bn1.bias", [c1], around(c1, 0.0, 0.1)),
        ("bn1.mean", [c1], around(c1, 0.0, 0.2)),
        ("bn1.var", [c1], around(c1, 1.0, 0.3)),
        ("conv2.weight", [c2, c1, 3, 3], he(c2 * c1 * 9, c1 * 9)),
        ("conv2.bias", [c2], around(c2, 0.0, 0.1)),
        ("fc.weight", [classes, c2], he(classes * c2, c2)),
        ("fc.bias", [classes], around(classes, 0.0, 0.1)),
    ]

    conv = [("dilations", [1, 1]), ("group", 1), ("kernel_shape", [3, 3]),
            ("pads", [1, 1, 1, 1]), ("strides", [1, 1])]
    nodes = [
        ("conv1", "Conv", ["image", "conv1.weight", "conv1.bias"],
         ["conv1_out"], conv),
        ("bn1", "BatchNormalization",
         ["conv1_out", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"],
         ["bn1_out"], [("epsilon", 1e-5), ("momentum", 0.9)]),
        ("relu1", "Relu", ["bn1_out"], ["relu1_out"], []),
        ("pool1", "MaxPool", ["relu1_out"], ["pool1_out"],
         [("kernel_shape", [2, 2]), ("strides", [2, 2])]),
        ("conv2", "Conv", ["pool1_out", "conv2.weight", "conv2.bias"],
         ["conv2_out"], conv),
        ("relu2", "Relu", ["conv2_out"], ["relu2_out"], []),
        ("gap", "GlobalAveragePool", ["relu2_out"], ["gap_out"], []),
        ("flatten", "Flatten", ["gap_out"], ["flat"], [("axis", 1)]),
        ("fc", "Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"],
         [("alpha", 1.0), ("beta", 1.0), ("transB", 1)]),
        ("softmax", "Softmax", ["logits"], ["probabilities"], [("axis", 1)]),
    ]

    out = [
        "# Generated by examples/tiny_cnn/generate.py; do not edit by hand.",
        "# A tiny CNN classifier, ONNX text format (opset 17).",
        "ir_version: 8",
        'producer_name: "kiln-examples"',
        'producer_version: "1"',
        'doc_string: "Tiny CNN: conv-bn-relu-maxpool-conv-relu-gap-gemm-softmax"',
        'opset_import { domain: "" version: 17 }',
        "graph {",
        '  name: "tiny_cnn"',
    ]
    for n in nodes:
        out += node(*n, indent=2)
    for w in weights:
        out += tensor(*w, indent=2)
    out += value_info("input", "image", [1, c_in, hw, hw], 2)
    out += value_info("output", "probabilities", [1, classes], 2)
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "tiny_cnn.onnxtxt")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=default,
                        help="file to write ('-' for stdout)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the output file instead of writing")
    args = parser.parse_args()

    text = generate()
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except OSError as e:
            print("generate.py: error: %s" % e, file=sys.stderr)
            return 1
        if current != text:
            print("generate.py: error: %s is out of date; rerun %s"
                  % (args.output, os.path.relpath(__file__)), file=sys.stderr)
            return 1
        return 0
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
