#!/usr/bin/env python3
"""Writes the spatial-op models of Kiln's end-to-end tests (test/e2e).

Small graphs, each node feeding its own graph output, checked against
onnxruntime by spatial.test:

  conv_transpose  ConvTranspose 1-D (SAME_UPPER, stride 3), 2-D (groups 2,
                  strides, dilations, pads, output_padding, bias), 2-D with
                  pads beyond the kernel's reach, 2-D with output_shape
                  (odd total padding), SAME_LOWER, depthwise, 3-D (strides,
                  pads, output_padding, bias)
  pool_nd         Conv 1-D/3-D (groups, dilations, SAME_LOWER), MaxPool 1-D
                  (ceil_mode, dilations) and 3-D, AveragePool 1-D and 3-D
                  (count_include_pad, ceil_mode), LpPool p = 1, 2, 3,
                  GlobalLpPool, MaxPool's Indices (storage_order 1) and
                  MaxUnpool
  resize          Resize-19 nearest (every nearest_mode), linear and cubic
                  (cubic_coeff_a, exclude_outside) with the coordinate
                  transformation modes, scales and sizes, axes,
                  keep_aspect_ratio_policy, antialias, tf_crop_and_resize
                  with extrapolation_value

Usage:
    spatial_models.py -o DIR [NAME...]
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import IR_VERSION, SEED, Builder, write_models  # noqa: E402


def _model(b, opset, inputs, outputs, doc):
    graph = helper.make_graph(
        b.nodes, b.name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in outputs],
        initializer=b.initializers)
    model = helper.make_model(
        graph, producer_name="kiln-e2e", producer_version="1",
        doc_string=doc, ir_version=IR_VERSION,
        opset_imports=[helper.make_opsetid("", opset)])
    # The outputs' shapes are left to inference (onnxruntime's and Kiln's),
    # which onnx.checker does not accept for graph outputs.
    return model


def _out(b, name, op, inputs, **attrs):
    b.nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
    return name


def conv_transpose():
    b = Builder("conv_transpose", SEED + 201)
    outs = [
        _out(b, "ct1d", "ConvTranspose",
             ["x1", b.around("w1", [3, 2, 4], 0.0, 0.5)],
             auto_pad="SAME_UPPER", strides=[3]),
        _out(b, "ct2d", "ConvTranspose",
             ["x2", b.around("w2", [4, 3, 3, 2], 0.0, 0.5),
              b.around("b2", [6], 0.0, 0.5)],
             group=2, strides=[2, 3], dilations=[1, 2], pads=[1, 0, 0, 2],
             output_padding=[1, 1]),
        _out(b, "ct2d_crop", "ConvTranspose",
             ["x2", b.around("w3", [4, 2, 2, 2], 0.0, 0.5)],
             strides=[2, 2], pads=[2, 3, 1, 2]),
        _out(b, "ct2d_shape", "ConvTranspose",
             ["x2", b.around("w4", [4, 1, 3, 3], 0.0, 0.5)],
             strides=[2, 2], output_shape=[6, 8]),
        _out(b, "ct2d_same_lower", "ConvTranspose",
             ["x2", b.around("w7", [4, 2, 4, 3], 0.0, 0.5)],
             auto_pad="SAME_LOWER", strides=[3, 2]),
        _out(b, "ct2d_depthwise", "ConvTranspose",
             ["x2", b.around("w5", [4, 1, 3, 3], 0.0, 0.5)],
             group=4, strides=[2, 1]),
        _out(b, "ct3d", "ConvTranspose",
             ["x3", b.around("w6", [2, 2, 2, 3, 2], 0.0, 0.5),
              b.around("b6", [2], 0.0, 0.5)],
             strides=[2, 1, 2], output_padding=[1, 0, 1],
             pads=[0, 1, 0, 1, 1, 0]),
    ]
    return _model(b, 17, [("x1", [2, 3, 5]), ("x2", [1, 4, 3, 4]),
                          ("x3", [1, 2, 3, 3, 2])], outs,
                  "ConvTranspose in 1, 2 and 3 spatial dimensions")


def pool_nd():
    b = Builder("pool_nd", SEED + 202)
    outs = [
        _out(b, "conv1d", "Conv",
             ["x1", b.around("cw1", [6, 1, 3], 0.0, 0.5),
              b.around("cb1", [6], 0.0, 0.5)],
             group=2, dilations=[2], pads=[1, 2], strides=[2]),
        _out(b, "conv3d", "Conv",
             ["x3", b.around("cw3", [4, 1, 2, 3, 2], 0.0, 0.5)],
             group=2, auto_pad="SAME_LOWER", strides=[1, 2, 2]),
        _out(b, "max1d", "MaxPool", ["x1"], kernel_shape=[3], strides=[2],
             dilations=[2], pads=[1, 2], ceil_mode=1),
        _out(b, "max3d", "MaxPool", ["x3"], kernel_shape=[2, 3, 2],
             strides=[2, 2, 3], auto_pad="SAME_UPPER"),
        _out(b, "avg1d", "AveragePool", ["x1"], kernel_shape=[4],
             strides=[3], pads=[2, 1]),
        _out(b, "avg3d", "AveragePool", ["x3"], kernel_shape=[2, 3, 2],
             strides=[2, 2, 3], pads=[1, 1, 0, 1, 0, 1],
             count_include_pad=1, ceil_mode=1),
        _out(b, "lp1", "LpPool", ["x2"], kernel_shape=[3, 2], strides=[2, 1],
             pads=[1, 0, 1, 1], p=1),
        _out(b, "lp2", "LpPool", ["x2"], kernel_shape=[2, 2], p=2),
        _out(b, "lp3_1d", "LpPool", ["x1"], kernel_shape=[3], p=3),
        _out(b, "global_lp", "GlobalLpPool", ["x3"], p=3),
    ]
    b.nodes.append(helper.make_node(
        "MaxPool", ["x2"], ["max_values", "max_indices"], name="max_idx",
        kernel_shape=[3, 2], strides=[2, 2], pads=[1, 0, 1, 1],
        storage_order=1))
    # run_e2e.py compares float32 outputs: the indices (small) as floats.
    outs += ["max_values",
             _out(b, "max_indices_f32", "Cast", ["max_indices"],
                  to=TensorProto.FLOAT),
             _out(b, "unpooled", "MaxUnpool", ["max_values", "max_indices",
                                               b.const("unpool_shape",
                                                       np.array([1, 2, 6, 7],
                                                                np.int64))],
                  kernel_shape=[3, 2], strides=[2, 2], pads=[1, 0, 1, 1])]
    return _model(b, 17, [("x1", [2, 2, 11]), ("x2", [1, 2, 6, 7]),
                          ("x3", [1, 2, 5, 6, 7])], outs,
                  "1-D and 3-D convolution and pooling, LpPool")


def resize():
    b = Builder("resize", SEED + 203)
    def scales(name, values):
        return b.const(name, np.array(values, np.float32))

    def sizes(name, values):
        return b.const(name, np.array(values, np.int64))
    up = scales("up", [1, 1, 1.5, 2.5])
    down = scales("down", [1, 1, 0.5, 0.75])
    outs = []
    for mode in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil"):
        outs.append(_out(b, "nearest_" + mode, "Resize", ["x", "", up],
                         mode="nearest", nearest_mode=mode))
    for ctm in ("half_pixel", "pytorch_half_pixel", "asymmetric",
                "half_pixel_symmetric"):
        outs.append(_out(b, "linear_" + ctm, "Resize", ["x", "", up],
                         mode="linear", coordinate_transformation_mode=ctm))
        outs.append(_out(b, "cubic_" + ctm, "Resize", ["x", "", down],
                         mode="cubic", coordinate_transformation_mode=ctm))
    outs += [
        _out(b, "cubic_align_corners", "Resize",
             ["x", "", "", sizes("s1", [1, 2, 5, 9])], mode="cubic",
             coordinate_transformation_mode="align_corners"),
        _out(b, "cubic_exclude", "Resize", ["x", "", up], mode="cubic",
             cubic_coeff_a=-0.5, exclude_outside=1),
        _out(b, "linear_axes", "Resize",
             ["x", "", "", sizes("s2", [5, 13])], mode="linear",
             axes=[3, 2]),
        _out(b, "nearest_not_larger", "Resize",
             ["x", "", "", sizes("s3", [5, 13])], mode="nearest",
             axes=[2, 3], keep_aspect_ratio_policy="not_larger"),
        _out(b, "nearest_not_smaller", "Resize",
             ["x", "", "", sizes("s4", [5, 13])], mode="nearest",
             axes=[2, 3], keep_aspect_ratio_policy="not_smaller"),
        _out(b, "linear_antialias", "Resize",
             ["x", "", scales("aa1", [1, 1, 0.5, 0.4])], mode="linear",
             antialias=1),
        _out(b, "cubic_antialias", "Resize",
             ["x", "", scales("aa2", [1, 1, 0.3, 0.75])], mode="cubic",
             antialias=1),
        _out(b, "crop", "Resize",
             ["x", b.const("roi", np.array([0.2, -0.1, 0.9, 1.2],
                                           np.float32)),
              "", sizes("s5", [6, 7])], mode="linear", axes=[2, 3],
             coordinate_transformation_mode="tf_crop_and_resize",
             extrapolation_value=-3.0),
    ]
    return _model(b, 19, [("x", [1, 2, 8, 9])], outs,
                  "Resize modes, coordinate transformations and options")


MODELS = {
    "conv_transpose": conv_transpose,
    "pool_nd": pool_nd,
    "resize": resize,
}


if __name__ == "__main__":
    sys.exit(write_models(MODELS, __doc__))
