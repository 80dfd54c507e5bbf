#!/usr/bin/env python3
"""Writes the ONNX models of Kiln's zero-size tensor end-to-end tests
(test/e2e).

Built like models.py (its Builder, IR version 8, onnx.checker with full
shape inference); run_e2e.py compares Kiln with onnxruntime. A dimension of
size 0 anywhere but first is what used to break compilation (MLIR gives such
buffers dynamic outer strides, which the bare-pointer calling convention
rejects), so every empty tensor here has one.

  empty_reduce  x f32[2,0,4], z f32[2,1,4] (opset 18): reductions over the
                empty axis 1 give the identity: ReduceSum, ReduceProd,
                ReduceMax (-inf), ReduceMin (+inf), ReduceSumSquare,
                ReduceL1, ReduceL2, ReduceLogSumExp (-inf), ReduceSum with
                keepdims 0, and ReduceSum + z (an empty input next to a
                full one). ReduceMean is left out: ONNX leaves the mean of
                an empty set undefined.
  empty_output  x f32[2,0,4], a f32[3,0], b f32[0,5], z f32[2,3,4]
                (opset 18): empty outputs (Relu of 2x, MatMul by a [4,3]
                weight, Identity of x) and full ones computed from empty
                inputs (MatMul with an empty inner dimension gives zeros,
                Concat of x and z along the empty axis)

Usage:
    empty_models.py -o DIR [NAME...]   write DIR/NAME.onnx
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import IR_VERSION, SEED, Builder  # noqa: E402

OPSET = 18


def _finish(b, inputs, outputs, doc):
    graph = helper.make_graph(
        b.nodes, b.name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in outputs],
        initializer=b.initializers)
    model = helper.make_model(
        graph, producer_name="kiln-e2e", producer_version="1",
        doc_string=doc, ir_version=IR_VERSION,
        opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model, full_check=True)
    return model


def _out(b, op_type, inputs, name, **attrs):
    b.nodes.append(helper.make_node(op_type, inputs, [name], name=name,
                                    **attrs))
    return name


def empty_reduce():
    b = Builder("empty_reduce", SEED + 301)
    axes = b.const("axes", np.array([1], np.int64))
    outputs = []
    for op in ["ReduceSum", "ReduceProd", "ReduceMax", "ReduceMin",
               "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp"]:
        outputs.append((_out(b, op, ["x", axes], op[len("Reduce"):].lower(),
                             keepdims=1), [2, 1, 4]))
    outputs.append((_out(b, "ReduceSum", ["x", axes], "sum_flat",
                         keepdims=0), [2, 4]))
    outputs.append((_out(b, "Add", ["sum", "z"], "sum_plus_z"), [2, 1, 4]))
    return _finish(b, [("x", [2, 0, 4]), ("z", [2, 1, 4])], outputs,
                   "Reductions over an empty axis")


def empty_output():
    b = Builder("empty_output", SEED + 302)
    two = b.const("two", np.float32(2))
    w = b.weight("w", [4, 3], 4)
    _out(b, "Relu", [b.op("Mul", ["x", two])], "relu")
    _out(b, "MatMul", ["x", w], "projected")
    _out(b, "Identity", ["x"], "same")
    _out(b, "MatMul", ["a", "b"], "no_inner")
    _out(b, "Concat", ["x", "z"], "joined", axis=1)
    return _finish(
        b, [("x", [2, 0, 4]), ("a", [3, 0]), ("b", [0, 5]), ("z", [2, 3, 4])],
        [("relu", [2, 0, 4]), ("projected", [2, 0, 3]), ("same", [2, 0, 4]),
         ("no_inner", [3, 5]), ("joined", [2, 3, 4])],
        "Empty outputs, and full outputs of empty inputs")


MODELS = {"empty_reduce": empty_reduce, "empty_output": empty_output}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output-dir", required=True)
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        parser.error("unknown model(s) %s; one of %s"
                     % (", ".join(unknown), ", ".join(MODELS)))
    os.makedirs(args.output_dir, exist_ok=True)
    for name in args.names or MODELS:
        path = os.path.join(args.output_dir, name + ".onnx")
        onnx.save(MODELS[name](), path)
        print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
