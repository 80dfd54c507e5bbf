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

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import SEED, Builder, write_models  # noqa: E402

OPSET = 18


def empty_reduce():
    b = Builder("empty_reduce", SEED + 301)
    axes = b.const("axes", np.array([1], np.int64))
    outputs = []
    for op in ["ReduceSum", "ReduceProd", "ReduceMax", "ReduceMin",
               "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp"]:
        outputs.append((b.output(op, ["x", axes], op[len("Reduce"):].lower(),
                             keepdims=1), [2, 1, 4]))
    outputs.append((b.output("ReduceSum", ["x", axes], "sum_flat",
                         keepdims=0), [2, 4]))
    outputs.append((b.output("Add", ["sum", "z"], "sum_plus_z"), [2, 1, 4]))
    return b.model([("x", [2, 0, 4]), ("z", [2, 1, 4])], outputs,
                   "Reductions over an empty axis", opset=OPSET)


def empty_output():
    b = Builder("empty_output", SEED + 302)
    two = b.const("two", np.float32(2))
    w = b.weight("w", [4, 3], 4)
    b.output("Relu", [b.op("Mul", ["x", two])], "relu")
    b.output("MatMul", ["x", w], "projected")
    b.output("Identity", ["x"], "same")
    b.output("MatMul", ["a", "b"], "no_inner")
    b.output("Concat", ["x", "z"], "joined", axis=1)
    return b.model([("x", [2, 0, 4]), ("a", [3, 0]), ("b", [0, 5]), ("z", [2, 3, 4])],
        [("relu", [2, 0, 4]), ("projected", [2, 0, 3]), ("same", [2, 0, 4]),
         ("no_inner", [3, 5]), ("joined", [2, 3, 4])],
        "Empty outputs, and full outputs of empty inputs", opset=OPSET)


MODELS = {"empty_reduce": empty_reduce, "empty_output": empty_output}


if __name__ == "__main__":
    sys.exit(write_models(MODELS, __doc__))
