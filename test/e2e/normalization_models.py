#!/usr/bin/env python3
"""Writes the ONNX models of Kiln's reduction and normalization end-to-end
tests (test/e2e).

Built like models.py (its Builder, IR version 8, seeded weights,
onnx.checker); run_e2e.py compares Kiln with onnxruntime. Every
output is float32 (run_e2e.py tests float32 only), so arg reductions are
cast to float.

  norm_mix      x f32[2,6,4,5] (opset 17) ->
                  layer_norm  LayerNormalization axis -2 with Scale [4,5] and
                              B [5] (broadcast)
                  ln_mean, ln_inv  its Mean and InvStdDev outputs
                  instance    InstanceNormalization epsilon 0.01
                  mvn         MeanVarianceNormalization, default axes
                  lrn         LRN size 5, alpha 0.02, beta 0.6, bias 1.5
                  log_softmax LogSoftmax axis 1 of 30 * x (stable)
                  hardmax     Hardmax axis 2 of x rounded to halves (ties)
                  softmax_big Softmax axis -1 of 1000 * x
                  lse         ReduceLogSumExp axes [1, 3] keepdims 0 of
                              100 * x
                  l2, l1      ReduceL2 axes [2], ReduceL1 axes [0, 3]
                  prod        ReduceProd axes [1] of 1 + x / 4
                  argmax_last ArgMax axis 1 select_last_index of the halves
                  argmin      ArgMin axis 3 keepdims 0
  legacy_axes   x f32[2,3,4,5] (opset 11): Softmax, LogSoftmax and Hardmax
                with the pre-13 2-D coercion at axis 2 (default 1 for
                Softmax)
  axes_input    x f32[3,4,5] (opset 18): ReduceMin, ReduceMax, ReduceL1,
                ReduceLogSumExp, ReduceSumSquare and ReduceMean with axes as
                constant inputs (negative, keepdims 0, empty + noop)
  group_norm18  x f32[3,4,5] (opset 18): GroupNormalization with 2 groups
                (scale and bias per group)
  group_norm    x f32[2,6,3,4] (opset 21): GroupNormalization with 3 and 6
                groups (scale and bias per channel)

Usage:
    normalization_models.py -o DIR [NAME...]   write DIR/NAME.onnx
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import SEED, Builder, write_models  # noqa: E402


def _scaled(b, x, factor):
    return b.op("Mul", [x, b.const(b.fresh("c"), np.float32(factor))])


# These models are checked without full_check: onnx's shape inference of the
# MeanVarianceNormalization function body rejects its own Constant nodes.


def norm_mix():
    b = Builder("norm_mix", SEED + 201)
    shape = [2, 6, 4, 5]
    w = b.around("ln.W", [4, 5], 1.0, 0.5)
    bias = b.around("ln.B", [5], 0.0, 0.5)
    b.nodes.append(helper.make_node(
        "LayerNormalization", ["x", w, bias],
        ["layer_norm", "ln_mean", "ln_inv"], name="ln", axis=-2))
    scale = b.around("in.scale", [6], 1.0, 0.5)
    shift = b.around("in.B", [6], 0.0, 0.5)
    b.output("InstanceNormalization", ["x", scale, shift], "instance",
         epsilon=0.01)
    b.output("MeanVarianceNormalization", ["x"], "mvn")
    b.output("LRN", ["x"], "lrn", size=5, alpha=0.02, beta=0.6, bias=1.5)
    b.output("LogSoftmax", [_scaled(b, "x", 30.0)], "log_softmax", axis=1)
    halves = b.op("Round", [_scaled(b, "x", 2.0)])
    b.output("Hardmax", [halves], "hardmax", axis=2)
    b.output("Softmax", [_scaled(b, "x", 1000.0)], "softmax_big")
    b.output("ReduceLogSumExp", [_scaled(b, "x", 100.0)], "lse", axes=[1, 3],
         keepdims=0)
    b.output("ReduceL2", ["x"], "l2", axes=[2])
    b.output("ReduceL1", ["x"], "l1", axes=[0, 3])
    one_plus = b.op("Add", [_scaled(b, "x", 0.25),
                            b.const("one", np.float32(1.0))])
    b.output("ReduceProd", [one_plus], "prod", axes=[1])
    am = b.op("ArgMax", [halves], axis=1, select_last_index=1)
    b.output("Cast", [am], "argmax_last", to=TensorProto.FLOAT)
    amin = b.op("ArgMin", ["x"], axis=3, keepdims=0)
    b.output("Cast", [amin], "argmin", to=TensorProto.FLOAT)
    return b.model([("x", shape)],
        [("layer_norm", shape), ("ln_mean", [2, 6, 1, 1]),
         ("ln_inv", [2, 6, 1, 1]), ("instance", shape), ("mvn", shape),
         ("lrn", shape), ("log_softmax", shape), ("hardmax", shape),
         ("softmax_big", shape), ("lse", [2, 4]), ("l2", [2, 6, 1, 5]),
         ("l1", [1, 6, 4, 1]), ("prod", [2, 1, 4, 5]),
         ("argmax_last", [2, 1, 4, 5]), ("argmin", [2, 6, 4])],
        "reductions, arg reductions, the softmax family and normalizations",
        17, full_check=False)


def legacy_axes():
    b = Builder("legacy_axes", SEED + 202)
    shape = [2, 3, 4, 5]
    b.output("Softmax", ["x"], "softmax")
    b.output("LogSoftmax", ["x"], "log_softmax", axis=2)
    b.output("Hardmax", ["x"], "hardmax", axis=2)
    return b.model([("x", shape)],
                   [("softmax", shape), ("log_softmax", shape),
                    ("hardmax", shape)],
                   "softmax family before opset 13 (2-D coercion)", 11,
                   full_check=False)


def axes_input():
    b = Builder("axes_input", SEED + 203)
    last = b.const("last", np.array([-1], np.int64))
    both = b.const("both", np.array([0, 2], np.int64))
    none = b.const("none", np.zeros([0], np.int64))
    b.output("ReduceMin", ["x", last], "min")
    b.output("ReduceMax", ["x", both], "max", keepdims=0)
    b.output("ReduceL1", ["x", both], "l1")
    b.output("ReduceLogSumExp", ["x", last], "lse", keepdims=0)
    b.output("ReduceSumSquare", ["x", none], "sum_square", keepdims=0)
    b.output("ReduceMean", ["x", none], "identity", noop_with_empty_axes=1)
    return b.model([("x", [3, 4, 5])],
                   [("min", [3, 4, 1]), ("max", [4]), ("l1", [1, 4, 1]),
                    ("lse", [3, 4]), ("sum_square", []),
                    ("identity", [3, 4, 5])],
                   "opset 18 reductions with axes as inputs", 18,
                   full_check=False)


def group_norm18():
    b = Builder("group_norm18", SEED + 205)
    scale = b.around("gn.scale", [2], 1.0, 0.5)
    shift = b.around("gn.bias", [2], 0.0, 0.5)
    b.output("GroupNormalization", ["x", scale, shift], "group_norm",
         num_groups=2, epsilon=0.05)
    # onnx.checker calls GroupNormalization-18 deprecated (by 21) and
    # rejects it; onnxruntime runs it.
    return b.model([("x", [3, 4, 5])], [("group_norm", [3, 4, 5])],
                   "GroupNormalization-18 (scale and bias per group)", 18,
                   check=False)


def group_norm():
    b = Builder("group_norm", SEED + 204)
    shape = [2, 6, 3, 4]
    scale = b.around("gn.scale", [6], 1.0, 0.5)
    shift = b.around("gn.bias", [6], 0.0, 0.5)
    b.output("GroupNormalization", ["x", scale, shift], "groups3",
         num_groups=3)
    b.output("GroupNormalization", ["x", scale, shift], "groups6",
         num_groups=6, epsilon=0.1)
    return b.model([("x", shape)], [("groups3", shape), ("groups6", shape)],
                   "GroupNormalization with per-channel scale and bias", 21,
                   full_check=False)


MODELS = {"norm_mix": norm_mix, "legacy_axes": legacy_axes,
          "axes_input": axes_input, "group_norm18": group_norm18,
          "group_norm": group_norm}


if __name__ == "__main__":
    sys.exit(write_models(MODELS, __doc__))
