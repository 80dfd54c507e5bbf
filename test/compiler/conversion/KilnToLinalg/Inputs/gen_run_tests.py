#!/usr/bin/env python3
"""Writes the end-to-end tests run-*.mlir of convert-kiln-to-linalg.

Each case is one kiln op in a function `@<case>`, called from `@main` with
constant inputs (through a call, so that no kiln folder can evaluate it) and
printed with printMemref*. The CHECK lines hold reference values computed
here with numpy, Python's math module or onnxruntime -- never by Kiln.

(run-constant.mlir, which needs dense_resource blobs, is written by hand.)

Usage: gen_run_tests.py [--check] [OUTPUT_DIR]
  --check  also lowers and runs each file (kiln-opt, mlir-opt and
           mlir-cpu-runner on PATH) and compares the printed values with the
           references numerically, to find mistakes in this script.

Needs numpy, onnx and onnxruntime (`pip install numpy onnx onnxruntime`);
the lit tests themselves need none of them.
"""

import math
import os
import re
import subprocess
import sys

import numpy as np

F32 = np.float32
NAN = float("nan")
INF = float("inf")

KILN_TYPES = {
    np.dtype(np.float16): "f16",
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
    np.dtype(np.int8): "i8",
    np.dtype(np.int32): "i32",
    np.dtype(np.int64): "i64",
    np.dtype(np.uint8): "ui8",
    np.dtype(np.bool_): "i1",
}


def tensor_type(shape, dtype):
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{KILN_TYPES[np.dtype(dtype)]}>"


def literal(value):
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (np.floating, float)):
        v = float(value)
        if math.isnan(v):
            return "0x7FC00000" if np.dtype(type(value)) != np.float64 \
                else "0x7FF8000000000000"
        if math.isinf(v):
            return "0x7F800000" if v > 0 else "0xFF800000"
        text = repr(v)
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e")  # MLIR needs the '.'.
        return text
    return str(int(value))


def dense(array):
    def nest(a):
        if a.ndim == 0:
            return literal(a[()])
        return "[" + ", ".join(nest(x) for x in a) + "]"
    if array.ndim == 0:
        return f"dense<{literal(array[()])}>"
    return f"dense<{nest(array)}>"


def fmt_value(v, is_float):
    """How printMemref (std::ostream, precision 6) prints one element."""
    if is_float:
        v = float(v)
        if math.isnan(v):
            return "{{-?nan}}"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return "%g" % v
    return str(int(v))


def escape(text):
    # FileCheck treats `[[` as a substitution: match bracket runs as regexes.
    return re.sub(r"(\[\[+|\]\]+)",
                  lambda m: "{{" + "\\" + "\\".join(m.group(1)) + "}}", text)


def memref_lines(array):
    """The data lines printMemref prints, whitespace-canonicalized."""
    is_float = np.issubdtype(array.dtype, np.floating)
    if array.ndim == 0:
        return ["[" + fmt_value(array[()], is_float) + "]"]
    if array.ndim == 1:
        return ["[" + ", ".join(fmt_value(v, is_float) for v in array) + "]"]
    lead = array.shape[:-1]
    rows = list(np.ndindex(*lead))
    lines = []
    for n, idx in enumerate(rows):
        opens = 1
        for d in reversed(range(len(idx))):
            if idx[d] != 0:
                break
            opens += 1
        closes = 1
        for d in reversed(range(len(idx))):
            if idx[d] != lead[d] - 1:
                break
            closes += 1
        body = ", ".join(fmt_value(v, is_float) for v in array[idx])
        line = "[" * opens + body + "]" * closes
        if n != len(rows) - 1:
            line += ","
        lines.append(line)
    return lines


class Case:
    """One kiln op. `op` uses {in0}, {in1}, ... / {t0}, {t1}, ... for the
    operands and their types and {rt} for the result type."""

    def __init__(self, name, comment, inputs, op, result, result_dtype=None):
        self.name = name
        self.comment = comment
        self.inputs = [np.asarray(x) for x in inputs]
        self.op = op
        self.result = np.asarray(result)
        # The kiln result type; results that printMemref cannot print are
        # cast (by kiln.cast) to f32 or i32 before returning.
        self.result_dtype = np.dtype(result_dtype or self.result.dtype)

    def print_dtype(self):
        dt = self.result_dtype
        if dt in (np.float32, np.int32, np.int64):
            return dt
        if np.issubdtype(dt, np.floating):
            return np.dtype(np.float32)
        return np.dtype(np.int32)

    def printer(self):
        return {np.dtype(np.float32): ("printMemrefF32", "f32"),
                np.dtype(np.int32): ("printMemrefI32", "i32"),
                np.dtype(np.int64): ("printMemrefI64", "i64")}[
                    self.print_dtype()]

    def function(self):
        args = ", ".join(f"%in{i}: {tensor_type(x.shape, x.dtype)}"
                         for i, x in enumerate(self.inputs))
        rt = tensor_type(self.result.shape, self.result_dtype)
        pt = tensor_type(self.result.shape, self.print_dtype())
        subs = {"rt": rt}
        for i, x in enumerate(self.inputs):
            subs[f"in{i}"] = f"%in{i}"
            subs[f"t{i}"] = tensor_type(x.shape, x.dtype)
        body = [f"  %r = {self.op.format(**subs)}"]
        ret = "%r"
        if pt != rt:
            body.append(f"  %p = kiln.cast %r : {rt} to {pt}")
            ret = "%p"
        lines = [f"// {line}" for line in self.comment.split("\n")]
        shape = ", ".join(str(d) for d in self.result.shape)
        lines.append(f"// CHECK-LABEL: rank = {self.result.ndim} offset = 0 "
                     f"sizes = [{shape}]")
        expected = self.result.astype(self.print_dtype())
        for line in memref_lines(expected):
            lines.append(f"// CHECK-NEXT: {escape(line)}")
        lines.append(f"func.func @{self.name}({args}) -> {pt} {{")
        lines += body
        lines.append(f"  return {ret} : {pt}")
        lines.append("}")
        return "\n".join(lines)

    def call(self, index):
        lines = []
        names = []
        for i, x in enumerate(self.inputs):
            name = f"%c{index}_{i}"
            names.append(name)
            lines.append(f"  {name} = kiln.constant {dense(x)} : "
                         f"{tensor_type(x.shape, x.dtype)}")
        pt = tensor_type(self.result.shape, self.print_dtype())
        fn, elt = self.printer()
        types = ", ".join(tensor_type(x.shape, x.dtype) for x in self.inputs)
        lines.append(f"  %r{index} = func.call @{self.name}"
                     f"({', '.join(names)}) : ({types}) -> {pt}")
        lines.append(f"  %u{index} = tensor.cast %r{index} : {pt} to "
                     f"tensor<*x{elt}>")
        lines.append(f"  func.call @{fn}(%u{index}) : (tensor<*x{elt}>) -> ()")
        return "\n".join(lines)


def write_file(path, title, cases):
    out = [
        f"// {title}",
        "// Generated by Inputs/gen_run_tests.py; the expected values come",
        "// from numpy / math / onnxruntime, not from Kiln.",
        "// RUN: kiln-opt --convert-kiln-to-linalg %s | %linalg-to-llvm \\",
        "// RUN:   | %run-main | FileCheck %s",
        "",
        "func.func private @printMemrefF32(tensor<*xf32>)",
        "func.func private @printMemrefI32(tensor<*xi32>)",
        "func.func private @printMemrefI64(tensor<*xi64>)",
        "",
    ]
    for case in cases:
        out.append(case.function())
        out.append("")
    out.append("func.func @main() {")
    for i, case in enumerate(cases):
        out.append(case.call(i))
    out.append("  return")
    out.append("}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


#===----------------------------------------------------------------------===#
# References
#===----------------------------------------------------------------------===#

def f32(x):
    return np.array(x, dtype=F32)


def i32(x):
    return np.array(x, dtype=np.int32)


def trunc_div(a, b):
    """ONNX integer Div truncates toward zero; kiln defines x/0 = 0 and
    x/-1 = -x (wrapping)."""
    out = []
    for x, y in zip(a.tolist(), b.tolist()):
        if y == 0:
            out.append(0)
        elif y == -1:
            out.append(-x)
        else:
            q = abs(x) // abs(y)
            out.append(q if (x < 0) == (y < 0) else -q)
    return np.array(out, dtype=np.int64).astype(a.dtype)


def ort(node_type, inputs, output_dtype=None, **attrs):
    """Runs one ONNX node with onnxruntime."""

    from onnx import helper, TensorProto
    import onnxruntime as rt
    elem = {np.dtype(np.float32): TensorProto.FLOAT,
            np.dtype(np.uint8): TensorProto.UINT8,
            np.dtype(np.int64): TensorProto.INT64}
    names = [f"x{i}" for i in range(len(inputs))]
    node = helper.make_node(node_type, names, ["y"], **attrs)
    out_type = elem[np.dtype(output_dtype or inputs[0].dtype)]
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info(n, elem[x.dtype], list(x.shape))
         for n, x in zip(names, inputs)],
        [helper.make_tensor_value_info("y", out_type, None)])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = 9
    session = rt.InferenceSession(model.SerializeToString(),
                                  providers=["CPUExecutionProvider"])
    return session.run(None, dict(zip(names, inputs)))[0]


def erf(x):
    return f32([math.erf(float(v)) for v in x])


def softmax(x, axis):
    x64 = x.astype(np.float64)
    e = np.exp(x64 - x64.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(F32)


#===----------------------------------------------------------------------===#
# Cases
#===----------------------------------------------------------------------===#

def elementwise_cases():
    a21 = f32([[1.0], [2.0]])
    b3 = f32([0.0, 0.5, -1.0])
    ia = i32([7, -7, 7, -7, 5, -2147483648])
    ib = i32([2, 2, -2, -2, 0, -1])
    u8a = np.array([250, 7, 9], dtype=np.uint8)
    u8b = np.array([3, 2, 0], dtype=np.uint8)
    pa, pb = f32([2.0, 4.0, 9.0]), f32([3.0, 0.5, 0.5])
    ma, mb = f32([1.0, NAN, 3.0]), f32([2.0, 0.0, -INF])
    s8a = np.array([-5, 100], dtype=np.int8)
    s8b = np.array([3, -100], dtype=np.int8)
    mu8a = np.array([200, 1], dtype=np.uint8)
    mu8b = np.array([100, 2], dtype=np.uint8)
    x = f32([0.0, 1.0, -1.0])
    return [
        Case("add_broadcast", "add: [2,1] + [3] broadcasts to [2,3].",
             [a21, b3], "kiln.add {in0}, {in1} : {t0}, {t1} -> {rt}",
             a21 + b3),
        Case("sub_scalar", "sub: an i32 vector minus a rank-0 tensor.",
             [i32([3, -4, 10]), np.array(5, dtype=np.int32)],
             "kiln.sub {in0}, {in1} : {t0}, {t1} -> {rt}",
             i32([-2, -9, 5])),
        Case("mul_ui8_wraps", "mul: ui8 products wrap modulo 256.",
             [np.array([200, 3], dtype=np.uint8),
              np.array([2, 5], dtype=np.uint8)],
             "kiln.mul {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.array([144, 15], dtype=np.uint8)),
        Case("div_f32", "div: float division, 1/0 = inf.",
             [f32([1.0, -7.0, 1.0]), f32([2.0, 2.0, 0.0])],
             "kiln.div {in0}, {in1} : {t0}, {t1} -> {rt}",
             f32([0.5, -3.5, INF])),
        Case("div_i32",
             "div: signed integer division truncates toward zero; x/0 = 0\n"
             "and INT_MIN/-1 wraps (both undefined in arith, defined here).",
             [ia, ib], "kiln.div {in0}, {in1} : {t0}, {t1} -> {rt}",
             trunc_div(ia, ib)),
        Case("div_ui8", "div: ui8 divides unsigned (250/3 = 83, not -6/3).",
             [u8a, u8b], "kiln.div {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.array([83, 3, 0], dtype=np.uint8)),
        Case("pow", "pow: math.powf.", [pa, pb],
             "kiln.pow {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.power(pa, pb)),
        Case("max_nan", "max: floats propagate NaN (ONNX Max, numpy.maximum).",
             [ma, mb], "kiln.max {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.maximum(ma, mb)),
        Case("min_i8", "min: i8 compares signed.", [s8a, s8b],
             "kiln.min {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.minimum(s8a, s8b)),
        Case("max_ui8", "max: ui8 compares unsigned.", [mu8a, mu8b],
             "kiln.max {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.maximum(mu8a, mu8b)),
        Case("neg_f32", "neg: float.", [f32([1.5, -2.0, 0.0])],
             "kiln.neg {in0} : {t0}", f32([-1.5, 2.0, -0.0])),
        Case("neg_i32", "neg: integer.", [i32([3, -4])],
             "kiln.neg {in0} : {t0}", i32([-3, 4])),
        Case("abs_f32", "abs: float.", [f32([-1.5, 2.0, -0.0])],
             "kiln.abs {in0} : {t0}", f32([1.5, 2.0, 0.0])),
        Case("abs_i32", "abs: signed integer.", [i32([-3, 4])],
             "kiln.abs {in0} : {t0}", i32([3, 4])),
        Case("abs_ui8", "abs: ui8 is the identity (200 is not -56).",
             [np.array([200, 0], dtype=np.uint8)], "kiln.abs {in0} : {t0}",
             np.array([200, 0], dtype=np.uint8)),
        Case("exp", "exp.", [x], "kiln.exp {in0} : {t0}",
             np.exp(x.astype(np.float64)).astype(F32)),
        Case("log", "log.", [f32([1.0, 2.0, 10.0])], "kiln.log {in0} : {t0}",
             np.log(np.array([1.0, 2.0, 10.0])).astype(F32)),
        Case("sqrt", "sqrt.", [f32([4.0, 2.0, 0.0])], "kiln.sqrt {in0} : {t0}",
             np.sqrt(np.array([4.0, 2.0, 0.0])).astype(F32)),
        Case("tanh", "tanh.", [f32([0.0, 0.5, -3.0])],
             "kiln.tanh {in0} : {t0}",
             np.tanh(np.array([0.0, 0.5, -3.0])).astype(F32)),
        Case("erf", "erf.", [f32([0.0, 0.5, -1.0])], "kiln.erf {in0} : {t0}",
             erf([0.0, 0.5, -1.0])),
        Case("sigmoid", "sigmoid = 1 / (1 + exp(-x)).",
             [f32([0.0, 2.0, -20.0, 100.0])], "kiln.sigmoid {in0} : {t0}",
             (1.0 / (1.0 + np.exp(-np.array([0.0, 2.0, -20.0, 100.0]))))
             .astype(F32)),
        Case("relu_f32", "relu: float.", [f32([-1.0, 0.0, 2.5])],
             "kiln.relu {in0} : {t0}", f32([0.0, 0.0, 2.5])),
        Case("relu_i32", "relu: integer.", [i32([-3, 7])],
             "kiln.relu {in0} : {t0}", i32([0, 7])),
        Case("clip_f32", "clip: [0, 6] on floats; NaN stays NaN.",
             [f32([-1.0, 3.0, 7.0, NAN])],
             "kiln.clip {in0} {{max = 6.0 : f64, min = 0.0 : f64}} : {t0}",
             f32([0.0, 3.0, 6.0, NAN])),
        Case("clip_i8",
             "clip: i8 with max 6.5 (rounds down to 6) and min -200 (below\n"
             "the type: no lower clamp).",
             [np.array([-128, 7, 6, -3], dtype=np.int8)],
             "kiln.clip {in0} {{max = 6.5 : f64, min = -200.0 : f64}} : {t0}",
             np.array([-128, 6, 6, -3], dtype=np.int8)),
        Case("clip_ui8", "clip: ui8 with min 10.2 (rounds up to 11).",
             [np.array([5, 200], dtype=np.uint8)],
             "kiln.clip {in0} {{min = 10.2 : f64}} : {t0}",
             np.array([11, 200], dtype=np.uint8)),
    ]


def cast_cases():
    def cast(name, comment, x, to_dtype, expected, result_dtype=None):
        return Case(name, comment, [x], "kiln.cast {in0} : {t0} to {rt}",
                    np.asarray(expected, dtype=result_dtype or to_dtype),
                    result_dtype or to_dtype)
    return [
        cast("f32_to_i32", "float -> int truncates toward zero.",
             f32([1.7, -1.7, 0.5, -0.5]), np.int32, [1, -1, 0, 0]),
        cast("f32_to_ui8", "float -> ui8 (fptoui: 255.0 stays 255).",
             f32([3.9, 255.0]), np.uint8, [3, 255]),
        cast("f32_to_i1", "float -> bool: non-zero (NaN too) is true.",
             f32([0.0, -0.0, 2.5, NAN]), np.bool_, [0, 0, 1, 1]),
        cast("i1_to_f32", "bool -> float: true is 1.0.",
             np.array([True, False]), np.float32, [1.0, 0.0]),
        cast("i64_to_f32", "i64 -> float.",
             np.array([-3, 5000000000], dtype=np.int64), np.float32,
             [-3.0, 5e9]),
        cast("ui8_to_f32", "ui8 -> float is unsigned (255, not -1).",
             np.array([255, 1], dtype=np.uint8), np.float32, [255.0, 1.0]),
        cast("i8_to_i32", "i8 -> i32 sign-extends.",
             np.array([-1, 127], dtype=np.int8), np.int32, [-1, 127]),
        cast("ui8_to_i64", "ui8 -> i64 zero-extends.",
             np.array([255, 7], dtype=np.uint8), np.int64, [255, 7]),
        cast("i32_to_i8", "i32 -> i8 keeps the low bits.",
             i32([300, -129]), np.int8, [44, 127]),
        cast("i32_to_i1", "int -> bool: non-zero is true.",
             i32([0, 5, -1]), np.bool_, [0, 1, 1]),
        cast("f32_to_f16", "f32 -> f16 rounds to nearest.",
             f32([0.1, 65504.0, 1e-8]), np.float16,
             f32([0.1, 65504.0, 1e-8]).astype(np.float16)),
        cast("f16_to_f32", "f16 -> f32 is exact.",
             np.array([0.1, -2.5], dtype=np.float16), np.float32,
             np.array([0.1, -2.5], dtype=np.float16).astype(F32)),
        cast("f64_to_f32", "f64 -> f32.",
             np.array([0.1, 1e300], dtype=np.float64), np.float32,
             [np.float32(0.1), INF]),
        cast("i8_to_ui8", "i8 -> ui8 keeps the bits.",
             np.array([-1, 5], dtype=np.int8), np.uint8, [255, 5]),
    ]


def matmul_cases():
    rng = np.random.default_rng(7)

    def ints(shape):
        return rng.integers(-3, 4, size=shape).astype(F32)

    def mm(name, comment, a, b):
        return Case(name, comment, [a, b],
                    "kiln.matmul {in0}, {in1} : {t0}, {t1} -> {rt}",
                    np.matmul(a, b))
    ia = rng.integers(-50, 50, size=(2, 3)).astype(np.int32)
    ib = rng.integers(-50, 50, size=(3, 2)).astype(np.int32)
    return [
        mm("matmul_2d", "[2,3] x [3,4] -> linalg.matmul.",
           ints((2, 3)), ints((3, 4))),
        mm("dot", "[4] x [4] -> rank 0 (linalg.dot).",
           ints((4,)), ints((4,))),
        mm("vecmat", "[3] x [3,2] -> [2] (linalg.vecmat).",
           ints((3,)), ints((3, 2))),
        mm("matvec_batched", "[2,2,3] x [3] -> [2,2] (collapse + matvec).",
           ints((2, 2, 3)), ints((3,))),
        mm("matmul_3d_2d", "[2,2,3] x [3,2] -> [2,2,2] (collapse + matmul).",
           ints((2, 2, 3)), ints((3, 2))),
        mm("batch_matmul_4d",
           "[2,2,2,3] x [2,2,3,2] (collapse + batch_matmul).",
           ints((2, 2, 2, 3)), ints((2, 2, 3, 2))),
        mm("matmul_broadcast",
           "[2,1,2,3] x [3,3,2] -> [2,3,2,2] (generic, broadcast batch).",
           ints((2, 1, 2, 3)), ints((3, 3, 2))),
        mm("vec_3d", "[3] x [2,3,2] -> [2,2] (generic).",
           ints((3,)), ints((2, 3, 2))),
        Case("matmul_i32", "integer matmul.", [ia, ib],
             "kiln.matmul {in0}, {in1} : {t0}, {t1} -> {rt}",
             np.matmul(ia, ib)),
    ]


def data_movement_cases():
    x234 = np.arange(24, dtype=F32).reshape(2, 3, 4)
    x46 = np.arange(24, dtype=F32).reshape(4, 6)
    data = np.arange(60, dtype=F32).reshape(3, 4, 5)
    idx = np.array([[-1, 0], [2, -4]], dtype=np.int64)
    return [
        Case("reshape", "reshape [2,3,4] -> [4,6] (collapse + expand).",
             [x234], "kiln.reshape {in0} : {t0} -> {rt}",
             x234.reshape(4, 6)),
        Case("transpose", "transpose [2, 0, 1].", [x234],
             "kiln.transpose {in0} [2, 0, 1] : {t0} -> {rt}",
             np.transpose(x234, (2, 0, 1))),
        Case("concat", "concat along 1 with an empty input.",
             [f32([[1, 2], [3, 4]]), np.zeros((2, 0), F32),
              f32([[5], [6]])],
             "kiln.concat {in0}, {in1}, {in2} axis = 1 : {t0}, {t1}, {t2} "
             "-> {rt}", f32([[1, 2, 5], [3, 4, 6]])),
        Case("slice_forward", "slice with positive steps.", [x46],
             "kiln.slice {in0} starts [1, 1] sizes [2, 3] steps [2, 2] : "
             "{t0} -> {rt}", x46[1:4:2, 1:6:2]),
        Case("slice_backward", "slice with negative steps.", [x46],
             "kiln.slice {in0} starts [3, 5] sizes [2, 3] steps [-2, -1] : "
             "{t0} -> {rt}", x46[3::-2, 5:2:-1]),
        Case("slice_reverse", "slice reversing all of dimension 1.", [x46],
             "kiln.slice {in0} starts [0, 5] sizes [4, 6] steps [1, -1] : "
             "{t0} -> {rt}", x46[:, ::-1]),
        Case("gather_axis1", "gather along 1; negative indices count from "
             "the end.", [data, idx],
             "kiln.gather {in0}, {in1} axis = 1 : {t0}, {t1} -> {rt}",
             np.take(data, idx, axis=1)),
        Case("gather_scalar", "gather with a rank-0 i32 index.",
             [x46, np.array(-2, dtype=np.int32)],
             "kiln.gather {in0}, {in1} axis = 0 : {t0}, {t1} -> {rt}",
             x46[-2]),
    ]


def reduction_cases():
    x = f32([[[1, -2, 3, 4], [5, 6, -7, 8], [9, 10, 11, -12]],
             [[-1, 2, 3, 4], [0.5, 6, 7, 8], [9, 10, 11, 12]]])
    u = np.array([[3, 250, 7], [9, 1, 200]], dtype=np.uint8)
    m = i32([[-7, 0], [2, 5]])
    xn = x.copy()
    xn[1, 2, 1] = NAN
    e = np.zeros((2, 0), dtype=F32)
    a = f32([[1, 3, 3, 0], [NAN, 2, NAN, 5], [-INF, -INF, -INF, -INF]])
    t = f32([[2, 5, 5, 1], [-INF, 0, -INF, 7], [4, 4, 4, 4]])
    ti = i32([[3, -1, -1, 2], [-2147483648, 0, -2147483648, 9]])
    h = np.array([[2048, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5]],
                 dtype=np.float16)
    return [
        Case("reduce_sum_keep", "reduce_sum over 1, keep_dims.", [x],
             "kiln.reduce_sum {in0} axes = [1] keep_dims : {t0} -> {rt}",
             x.sum(axis=1, keepdims=True)),
        Case("reduce_mean", "reduce_mean over [0, 2].", [x],
             "kiln.reduce_mean {in0} axes = [0, 2] : {t0} -> {rt}",
             x.astype(np.float64).mean(axis=(0, 2)).astype(F32)),
        Case("reduce_max_all", "reduce_max over everything, keep_dims.", [x],
             "kiln.reduce_max {in0} axes = [0, 1, 2] keep_dims : {t0} -> {rt}",
             x.max(axis=(0, 1, 2), keepdims=True)),
        Case("reduce_max_ui8", "reduce_max of ui8 compares unsigned.", [u],
             "kiln.reduce_max {in0} axes = [1] : {t0} -> {rt}",
             u.max(axis=1)),
        Case("reduce_mean_i32", "integer mean truncates toward zero.", [m],
             "kiln.reduce_mean {in0} axes = [0] : {t0} -> {rt}",
             i32([int((-7 + 2) / 2), int((0 + 5) / 2)])),
        Case("reduce_sum_i32", "integer sum over 1.", [m],
             "kiln.reduce_sum {in0} axes = [1] : {t0} -> {rt}",
             m.sum(axis=1).astype(np.int32)),
        Case("reduce_min_keep", "reduce_min over 2, keep_dims (NaN wins).",
             [xn], "kiln.reduce_min {in0} axes = [2] keep_dims : {t0} -> {rt}",
             xn.min(axis=2, keepdims=True)),
        Case("reduce_prod", "reduce_prod over [0, 2].", [x],
             "kiln.reduce_prod {in0} axes = [0, 2] : {t0} -> {rt}",
             x.astype(np.float64).prod(axis=(0, 2)).astype(F32)),
        Case("reduce_min_ui8", "reduce_min of ui8 compares unsigned.", [u],
             "kiln.reduce_min {in0} axes = [1] : {t0} -> {rt}",
             u.min(axis=1)),
        Case("reduce_prod_i32", "integer product over 0.", [m],
             "kiln.reduce_prod {in0} axes = [0] : {t0} -> {rt}",
             m.prod(axis=0).astype(np.int32)),
        Case("reduce_prod_empty", "product over an empty dimension: 1.", [e],
             "kiln.reduce_prod {in0} axes = [1] : {t0} -> {rt}",
             e.prod(axis=1)),
        Case("reduce_min_empty", "minimum over an empty dimension: +inf.",
             [e], "kiln.reduce_min {in0} axes = [1] : {t0} -> {rt}",
             f32([INF, INF])),
        Case("reduce_max_empty", "maximum over an empty dimension: -inf.",
             [e], "kiln.reduce_max {in0} axes = [1] : {t0} -> {rt}",
             f32([-INF, -INF])),
        Case("arg_max", "arg_max along 1: first of ties, first NaN wins.",
             [a], "kiln.arg_max {in0} axis = 1 : {t0} -> {rt}",
             np.argmax(a, axis=1)),
        Case("arg_max_last", "arg_max along 1, select_last_index, keep_dims.",
             [t], "kiln.arg_max {in0} axis = 1 keep_dims select_last_index"
             " : {t0} -> {rt}",
             (t.shape[1] - 1 - np.argmax(np.flip(t, 1), axis=1))
             .reshape(3, 1)),
        Case("arg_min", "arg_min along 0: first of ties, -inf beats all.",
             [t], "kiln.arg_min {in0} axis = 0 : {t0} -> {rt}",
             np.argmin(t, axis=0)),
        Case("arg_min_last_i32", "arg_min of i32 along 1, last of ties.",
             [ti], "kiln.arg_min {in0} axis = 1 select_last_index"
             " : {t0} -> {rt}",
             ti.shape[1] - 1 - np.argmin(np.flip(ti, 1), axis=1)),
        Case("arg_max_ui8", "arg_max of ui8 compares unsigned.", [u],
             "kiln.arg_max {in0} axis = 1 : {t0} -> {rt}",
             np.argmax(u, axis=1)),
        Case("reduce_sum_f16", "f16 sums accumulate in f32 (2048 + 1 + 1 ...\n"
             "would stay 2048 in f16).", [h],
             "kiln.reduce_sum {in0} axes = [1] : {t0} -> {rt}",
             h.astype(np.float64).sum(axis=1).astype(np.float16)),
        Case("reduce_mean_f16", "f16 mean, accumulated in f32, rounded once.",
             [h], "kiln.reduce_mean {in0} axes = [1] : {t0} -> {rt}",
             h.astype(np.float64).mean(axis=1).astype(np.float16)),
    ]


def normalization_cases():
    s = f32([[1000.0, 1001.0, 1002.0], [-1.0, 0.0, 3.0]])
    h = np.array([[4.08203125, -5.11328125, 0.83642578125, -1.1357421875,
                   -0.9052734375, -0.43115234375, -4.0390625, -0.4638671875,
                   -1.73046875, 6.64453125, 0.45166015625, -0.705078125]],
                 dtype=np.float16)
    # ONNX BatchNormalization's documented example values.
    bx = f32([[[[-1, 0, 1]], [[2, 3, 4]]]])
    scale, bias = f32([1.0, 1.5]), f32([0.0, 1.0])
    mean, var = f32([0.0, 3.0]), f32([1.0, 1.5])
    eps = 1e-5
    bn = ((bx.astype(np.float64) - mean[None, :, None, None]) /
          np.sqrt(var[None, :, None, None].astype(np.float64) + np.float32(eps))
          * scale[None, :, None, None] + bias[None, :, None, None]).astype(F32)
    return [
        Case("softmax_axis1", "softmax along 1 (large values stay finite).",
             [s], "kiln.softmax {in0} axis = 1 : {t0}", softmax(s, 1)),
        Case("softmax_axis0", "softmax along 0.", [s],
             "kiln.softmax {in0} axis = 0 : {t0}", softmax(s, 0)),
        Case("softmax_f16", "f16 softmax computes in f32 and rounds once\n"
             "(an f16 sum of the exponentials is off by several ulps).", [h],
             "kiln.softmax {in0} axis = 1 : {t0}",
             softmax(h, 1).astype(np.float16)),
        Case("batch_norm", "batch_norm (ONNX BatchNormalization example).",
             [bx, scale, bias, mean, var],
             "kiln.batch_norm {in0}, {in1}, {in2}, {in3}, {in4} "
             "epsilon = 1.0e-05 : {t0}, {t1}, {t2}, {t3}, {t4} -> {rt}", bn),
    ]


def conv_cases():
    rng = np.random.default_rng(11)

    def ints(shape, lo=-2, hi=3):
        return rng.integers(lo, hi, size=shape).astype(F32)
    x5 = np.arange(25, dtype=F32).reshape(1, 1, 5, 5)
    w1 = np.ones((1, 1, 3, 3), F32)
    x = ints((1, 4, 6, 6))
    w = ints((4, 4, 3, 3))
    b = f32([0.5, -1.0, 2.0, 0.25])
    wg = ints((6, 2, 3, 3))
    bg = f32([1, 2, 3, 4, 5, 6])
    wd = ints((4, 1, 3, 3))

    x3 = ints((1, 4, 3, 4, 5))
    w3 = ints((4, 2, 2, 3, 2))
    b3 = f32([0.5, -1.0, 2.0, 0.25])
    w3p = ints((3, 4, 2, 2, 2))

    def conv3d(name, comment, inputs, strides, pads, dilations, groups):
        types = ", ".join("{t%d}" % i for i in range(len(inputs)))
        operands = ", ".join("{in%d}" % i for i in range(len(inputs)))
        op = (f"kiln.conv3d {operands} strides = {strides} padding = {pads} "
              f"dilations = {dilations} groups = {groups} : {types} -> {{rt}}")
        expected = ort("Conv", inputs, strides=strides, pads=pads,
                       dilations=dilations, group=groups)
        return Case(name, comment, inputs, op, expected)

    def transposed(name, comment, inputs, strides, pads, output_padding,
                   dilations, groups):
        types = ", ".join("{t%d}" % i for i in range(len(inputs)))
        operands = ", ".join("{in%d}" % i for i in range(len(inputs)))
        op = (f"kiln.conv_transpose {operands} strides = {strides} "
              f"padding = {pads} output_padding = {output_padding} "
              f"dilations = {dilations} groups = {groups} : {types} -> "
              "{rt}")
        expected = ort("ConvTranspose", inputs, strides=strides, pads=pads,
                       output_padding=output_padding, dilations=dilations,
                       group=groups)
        return Case(name, comment, inputs, op, expected)

    def conv(name, comment, inputs, strides, pads, dilations, groups):
        onnx_pads = [pads[0], pads[1], pads[2], pads[3]]
        types = ", ".join("{t%d}" % i for i in range(len(inputs)))
        operands = ", ".join("{in%d}" % i for i in range(len(inputs)))
        op = (f"kiln.conv2d {operands} strides = {strides} padding = {pads} "
              f"dilations = {dilations} groups = {groups} : {types} -> {{rt}}")
        expected = ort("Conv", inputs, strides=strides, pads=onnx_pads,
                       dilations=dilations, group=groups)
        return Case(name, comment, inputs, op, expected)
    return [
        conv("conv_same", "3x3 ones over 0..24, padding 1 (the ONNX Conv "
             "example).", [x5, w1], [1, 1], [1, 1, 1, 1], [1, 1], 1),
        conv("conv_strided_bias",
             "stride 2, asymmetric padding [1, 0, 2, 1], bias.",
             [x, w, b], [2, 2], [1, 0, 2, 1], [1, 1], 1),
        conv("conv_dilated", "dilation 2, stride [1, 2].",
             [x, w], [1, 2], [0, 0, 0, 0], [2, 2], 1),
        conv("conv_grouped", "groups = 2, 4 -> 6 channels, bias.",
             [x, wg, bg], [1, 1], [1, 1, 1, 1], [1, 1], 2),
        conv("conv_depthwise", "depthwise (groups = channels).",
             [x, wd], [2, 1], [1, 1, 0, 0], [1, 1], 4),
        conv3d("conv3d_grouped_bias",
               "conv3d: groups = 2, strides [1, 2, 1], padding\n"
               "[1, 0, 1, 0, 1, 1], dilations [1, 1, 2], bias.",
               [x3, w3, b3], [1, 2, 1], [1, 0, 1, 0, 1, 1], [1, 1, 2], 2),
        conv3d("conv3d_plain", "conv3d: groups = 1, no bias, no padding.",
               [x3, w3p], [1, 1, 1], [0, 0, 0, 0, 0, 0], [1, 1, 1], 1),
        transposed("conv_transpose_grouped",
                   "conv_transpose: groups = 2, strides [2, 3], dilations\n"
                   "[1, 2], pads [1, 0, 0, 2], output_padding [1, 1], bias.",
                   [ints((1, 4, 3, 4)), ints((4, 3, 3, 2)), bg], [2, 3],
                   [1, 0, 0, 2], [1, 1], [1, 2], 2),
        transposed("conv_transpose_1d", "conv_transpose 1-D, stride 3.",
                   [ints((2, 3, 5)), ints((3, 2, 4))], [3], [1, 2], [0],
                   [1], 1),
        transposed("conv_transpose_3d",
                   "conv_transpose 3-D, strides [2, 1, 2], output_padding.",
                   [ints((1, 2, 3, 3, 2)), ints((2, 2, 2, 3, 2)),
                    f32([0.5, -1.0])], [2, 1, 2], [0, 1, 0, 1, 1, 0],
                   [1, 0, 1], [1, 1, 1], 1),
    ]


def pool_cases():
    x4 = np.arange(1, 17, dtype=F32).reshape(1, 1, 4, 4)
    x5 = (np.arange(50, dtype=F32).reshape(1, 2, 5, 5) * 0.5 -
          7.0).astype(F32)
    x6 = np.arange(36, dtype=F32).reshape(1, 1, 6, 6)
    u = np.array([[[[1, 200, 3], [4, 5, 250], [7, 8, 9]]]], dtype=np.uint8)
    x3 = (np.arange(2 * 2 * 4 * 5 * 5, dtype=F32).reshape(2, 2, 4, 5, 5) *
          0.25 - 20.0).astype(F32)
    u3 = np.array([[[[[1, 200], [3, 4]], [[250, 5], [7, 8]],
                     [[9, 10], [11, 255]]]]], dtype=np.uint8)

    ut = np.array([[[[3, 7, 7], [7, 1, 200], [200, 0, 9]]]], dtype=np.uint8)
    x1 = np.array([[[3, -1, 4, 1, -5, 9, 2, 6]]], dtype=F32)

    def indices(name, comment, x, kernel, strides, pads, dilations,
                ceil=False, column_major=False):
        from onnx import helper, TensorProto
        import onnxruntime as rt
        elem = {np.dtype(np.float32): TensorProto.FLOAT,
                np.dtype(np.uint8): TensorProto.UINT8}[x.dtype]
        node = helper.make_node(
            "MaxPool", ["x"], ["y", "i"], kernel_shape=kernel,
            strides=strides, pads=pads, dilations=dilations,
            ceil_mode=int(ceil), storage_order=int(column_major))
        graph = helper.make_graph(
            [node], "g",
            [helper.make_tensor_value_info("x", elem, list(x.shape))],
            [helper.make_tensor_value_info("y", elem, None),
             helper.make_tensor_value_info("i", TensorProto.INT64, None)])
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 19)])
        model.ir_version = 9
        expected = rt.InferenceSession(
            model.SerializeToString(),
            providers=["CPUExecutionProvider"]).run(None, {"x": x})[1]
        text = (f"kiln.max_pool_indices {{in0}} kernel = {kernel} "
                f"strides = {strides} padding = {pads} "
                f"dilations = {dilations}")
        if ceil:
            text += " ceil_mode"
        if column_major:
            text += " column_major"
        text += " : {t0} -> {rt}"
        return Case(name, comment, [x], text, expected)

    def pool(name, comment, kind, x, kernel, strides, pads, dilations,
             ceil=False, include_pad=False):
        attrs = dict(kernel_shape=kernel, strides=strides, pads=pads,
                     ceil_mode=int(ceil))
        if kind == "max":
            attrs["dilations"] = dilations
            expected = ort("MaxPool", [x], **attrs)
            op = f"kiln.max_pool{len(kernel)}d"
        else:
            attrs["dilations"] = dilations
            attrs["count_include_pad"] = int(include_pad)
            expected = ort("AveragePool", [x], **attrs)
            op = f"kiln.avg_pool{len(kernel)}d"
        text = (f"{op} {{in0}} kernel = {kernel} strides = {strides} "
                f"padding = {pads} dilations = {dilations}")
        if ceil:
            text += " ceil_mode"
        if include_pad:
            text += " count_include_pad"
        text += " : {t0} -> {rt}"
        return Case(name, comment, [x], text, expected)
    return [
        pool("max_ceil", "max_pool ceil_mode (ONNX maxpool_2d_ceil).", "max",
             x4, [3, 3], [2, 2], [0, 0, 0, 0], [1, 1], ceil=True),
        pool("max_pad_dilated", "max_pool with padding and dilation 2.",
             "max", x5, [2, 2], [1, 1], [1, 1, 1, 1], [2, 2]),
        pool("max_ui8", "max_pool of ui8 compares unsigned.", "max", u,
             [2, 2], [1, 1], [0, 0, 0, 0], [1, 1]),
        pool("avg_exclude_pad", "avg_pool, padding not counted.", "avg", x5,
             [3, 3], [2, 2], [1, 1, 1, 1], [1, 1]),
        pool("avg_include_pad", "avg_pool, padding counted.", "avg", x5,
             [3, 3], [2, 2], [1, 1, 1, 1], [1, 1], include_pad=True),
        pool("avg_ceil_include_pad",
             "avg_pool ceil_mode + count_include_pad: the pads count but\n"
             "the ceil_mode overhang past them does not.", "avg", x6,
             [3, 3], [2, 2], [1, 1, 1, 1], [1, 1], ceil=True,
             include_pad=True),
        pool("avg_ceil_exclude_pad", "avg_pool ceil_mode, pads not counted.",
             "avg", x6, [3, 3], [2, 2], [0, 1, 0, 0], [1, 1], ceil=True),
        pool("avg_dilated", "avg_pool with dilation 2 and padding.", "avg",
             x6, [2, 2], [1, 2], [1, 0, 1, 1], [2, 2]),
        pool("max3d_ceil_dilated",
             "max_pool3d with ceil_mode, padding and dilation.", "max", x3,
             [2, 2, 2], [2, 1, 2], [1, 0, 0, 0, 1, 1], [1, 2, 1], ceil=True),
        pool("max3d_ui8", "max_pool3d of ui8 compares unsigned.", "max", u3,
             [2, 2, 2], [1, 1, 1], [0, 0, 0, 0, 0, 0], [1, 1, 1]),
        pool("avg3d_exclude_pad", "avg_pool3d, padding not counted.", "avg",
             x3, [3, 2, 3], [2, 2, 2], [1, 0, 1, 1, 1, 1], [1, 1, 1]),
        pool("avg3d_ceil_include_pad",
             "avg_pool3d ceil_mode + count_include_pad.", "avg", x3,
             [2, 3, 2], [2, 2, 2], [1, 1, 0, 1, 1, 0], [1, 1, 1], ceil=True,
             include_pad=True),
        pool("avg3d_uniform", "avg_pool3d with one divisor everywhere.",
             "avg", x3, [2, 2, 2], [1, 2, 2], [0, 0, 0, 0, 0, 0], [1, 1, 1]),
        indices("indices_pad_dilated",
                "max_pool_indices with padding and dilation 2.", x5,
                [2, 2], [1, 1], [1, 1, 1, 1], [2, 2]),
        indices("indices_ceil_column_major",
                "max_pool_indices ceil_mode, storage_order = 1.", x6,
                [3, 3], [2, 2], [0, 1, 0, 0], [1, 1], ceil=True,
                column_major=True),
        indices("indices_ties_ui8",
                "max_pool_indices of ui8 (unsigned), ties: the first wins.",
                ut, [2, 2], [1, 1], [0, 0, 0, 0], [1, 1]),
        indices("indices_3d", "max_pool_indices over 3 spatial dimensions.",
                x3, [2, 2, 3], [2, 1, 2], [1, 0, 1, 0, 1, 1], [1, 2, 1]),
        indices("indices_1d", "max_pool_indices over 1 spatial dimension.",
                x1, [3], [2], [1, 1], [1]),
        Case("global_avg_pool", "global_avg_pool.", [x5],
             "kiln.global_avg_pool {in0} : {t0} -> {rt}",
             ort("GlobalAveragePool", [x5])),
    ]


def ort_outputs(node_type, inputs, num_outputs=1, **attrs):
    """Runs one ONNX node with onnxruntime; all of its outputs."""

    from onnx import helper, TensorProto
    import onnxruntime as rt
    elem = {np.dtype(np.float32): TensorProto.FLOAT,
            np.dtype(np.int32): TensorProto.INT32,
            np.dtype(np.int64): TensorProto.INT64}
    names = [f"x{i}" for i in range(len(inputs))]
    outs = [f"y{i}" for i in range(num_outputs)]
    node = helper.make_node(node_type, names, outs, **attrs)
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info(n, elem[x.dtype], list(x.shape))
         for n, x in zip(names, inputs)],
        [helper.make_empty_tensor_value_info(o) for o in outs])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    session = rt.InferenceSession(model.SerializeToString(),
                                  providers=["CPUExecutionProvider"])
    return session.run(None, dict(zip(names, inputs)))


class TwoResultCase(Case):
    """A case whose op has two results; result `index` is checked."""

    def __init__(self, index, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index

    def function(self):
        text = super().function()
        text = text.replace("  %r = ", "  %r:2 = ")
        text = text.replace("return %r :", f"return %r#{self.index} :")
        return text.replace("kiln.cast %r :", f"kiln.cast %r#{self.index} :")


def indexed_data_movement_cases():
    i64 = np.int64
    x23 = np.arange(6, dtype=F32).reshape(2, 3)
    x33 = np.arange(9, dtype=F32).reshape(3, 3) + 1
    x234 = np.arange(24, dtype=F32).reshape(2, 3, 4)
    ge_idx = np.array([[-1, 0], [2, 1]], dtype=i64)
    se_idx = np.array([[1, 0, 2], [0, 2, 1]], dtype=i64)
    se_dup = np.array([[1, 1, -1], [1, 0, 2]], dtype=i64)
    upd = f32([[10, 20, 30], [40, 50, 60]])
    gnd_idx = np.array([[1, -1], [0, 2], [-2, 0]], dtype=i64)
    gnd_batch = np.array([[2], [-3]], dtype=i64)
    snd_idx = np.array([[3], [1], [-1]], dtype=i64)
    snd_upd = f32([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    x43 = np.arange(12, dtype=F32).reshape(4, 3)
    topk_x = f32([[3, 1, 3, 2], [0, 5, 5, -1], [2, 2, 2, 2]])
    topk_nan = f32([1, NAN, 3, NAN, -1, 3])

    def cumsum(x, axis, exclusive=0, reverse=0):
        return ort_outputs("CumSum", [x, np.array(axis, dtype=i64)],
                           exclusive=exclusive, reverse=reverse)[0]

    def se(reduction, idx, axis=0):
        return ort_outputs("ScatterElements", [x33, idx, upd], axis=axis,
                           reduction=reduction)[0]

    def snd(reduction):
        return ort_outputs("ScatterND", [x43, snd_idx, snd_upd],
                           reduction=reduction)[0]

    def scatter_op(kind, axis=0):
        return ("kiln.scatter_elements {in0}, {in1}, {in2} axis = " +
                str(axis) + " reduction = " + kind +
                " : {t0}, {t1}, {t2} -> {rt}")

    def snd_op(kind):
        return ("kiln.scatter_nd {in0}, {in1}, {in2} reduction = " + kind +
                " : {t0}, {t1}, {t2} -> {rt}")

    return [
        Case("broadcast_to", "broadcast_to [3, 1] -> [2, 3, 4].",
             [f32([[1], [2], [3]])],
             "kiln.broadcast_to {in0} : {t0} -> {rt}",
             np.broadcast_to(f32([[1], [2], [3]]), (2, 3, 4))),
        Case("broadcast_to_scalar_i32", "broadcast_to of an i32 scalar.",
             [np.array(7, dtype=np.int32)],
             "kiln.broadcast_to {in0} : {t0} -> {rt}",
             np.full((2, 2), 7, dtype=np.int32)),
        Case("gather_elements", "gather_elements along 1; negative indices "
             "count from the end.", [x23, ge_idx],
             "kiln.gather_elements {in0}, {in1} axis = 1 : {t0}, {t1} -> {rt}",
             ort_outputs("GatherElements", [x23, ge_idx], axis=1)[0]),
        Case("gather_elements_i32", "gather_elements along 0, i32 indices "
             "narrower than the data.",
             [x234, np.array([[[1, 0]], [[0, -1]]], dtype=np.int32)],
             "kiln.gather_elements {in0}, {in1} axis = 0 : {t0}, {t1} -> {rt}",
             ort_outputs("GatherElements",
                         [x234, np.array([[[1, 0]], [[0, -1]]],
                                         dtype=np.int32)], axis=0)[0]),
        Case("scatter_elements_none", "scatter_elements, replacing.",
             [x33, se_idx, upd], scatter_op("none"), se("none", se_idx)),
        Case("scatter_elements_add", "scatter_elements adding, with "
             "duplicate and negative indices.", [x33, se_dup, upd],
             scatter_op("add"), se("add", se_dup)),
        Case("scatter_elements_mul", "scatter_elements multiplying along 1.",
             [x33, se_dup, upd], scatter_op("mul", 1), se("mul", se_dup, 1)),
        Case("scatter_elements_max", "scatter_elements keeping the maximum.",
             [x33, se_dup, upd * -0.1], scatter_op("max"),
             ort_outputs("ScatterElements", [x33, se_dup, upd * F32(-0.1)],
                         reduction="max")[0]),
        Case("scatter_elements_min", "scatter_elements keeping the minimum.",
             [x33, se_dup, upd * 0.1], scatter_op("min"),
             ort_outputs("ScatterElements", [x33, se_dup, upd * F32(0.1)],
                         reduction="min")[0]),
        Case("gather_nd", "gather_nd of rows, negative indices.",
             [x234, gnd_idx],
             "kiln.gather_nd {in0}, {in1} batch_dims = 0 : {t0}, {t1} -> {rt}",
             ort_outputs("GatherND", [x234, gnd_idx])[0]),
        Case("gather_nd_batch", "gather_nd with batch_dims = 1.",
             [x234, gnd_batch],
             "kiln.gather_nd {in0}, {in1} batch_dims = 1 : {t0}, {t1} -> {rt}",
             ort_outputs("GatherND", [x234, gnd_batch], batch_dims=1)[0]),
        Case("scatter_nd_none", "scatter_nd replacing rows.",
             [x43, snd_idx, snd_upd], snd_op("none"), snd("none")),
        Case("scatter_nd_add", "scatter_nd adding rows.",
             [x43, np.array([[1], [1], [-4]], dtype=i64), snd_upd],
             snd_op("add"),
             ort_outputs("ScatterND",
                         [x43, np.array([[1], [1], [-4]], dtype=i64),
                          snd_upd], reduction="add")[0]),
        Case("scatter_nd_elements", "scatter_nd of single elements, max.",
             [x43, np.array([[0, 1], [3, 2], [0, 1]], dtype=i64),
              f32([5, -1, 0.5])], snd_op("max"),
             ort_outputs("ScatterND",
                         [x43, np.array([[0, 1], [3, 2], [0, 1]], dtype=i64),
                          f32([5, -1, 0.5])], reduction="max")[0]),
        Case("cumsum", "cumsum along 1.", [x234],
             "kiln.cumsum {in0} axis = 1 : {t0}", cumsum(x234, 1)),
        Case("cumsum_exclusive_reverse", "cumsum along 2, exclusive and "
             "reversed.", [x234],
             "kiln.cumsum {in0} axis = 2 exclusive reverse : {t0}",
             cumsum(x234, 2, 1, 1)),
        Case("cumsum_i32_reverse", "cumsum of i32 along 0, reversed.",
             [np.arange(6, dtype=np.int32).reshape(3, 2)],
             "kiln.cumsum {in0} axis = 0 reverse : {t0}",
             cumsum(np.arange(6, dtype=np.int32).reshape(3, 2), 0, 0, 1)),
        TwoResultCase(0, "top_k_values", "top_k values, ties in index order.", [topk_x],
             "kiln.top_k {in0} k = 3 axis = 1 : {t0} -> {rt}, "
             "tensor<3x3xi64>",
             ort_outputs("TopK", [topk_x, np.array([3], dtype=i64)], 2,
                         axis=1)[0]),
        TwoResultCase(
            1, "top_k_indices", "top_k indices: equal values keep index order.",
            [topk_x], "kiln.top_k {in0} k = 3 axis = 1 : {t0} -> "
            "tensor<3x3xf32>, {rt}",
            ort_outputs("TopK", [topk_x, np.array([3], dtype=i64)], 2,
                        axis=1)[1]),
        TwoResultCase(
            1, "top_k_smallest", "top_k smallest along 0 (indices).", [topk_x],
            "kiln.top_k {in0} k = 2 axis = 0 smallest : {t0} -> "
            "tensor<2x4xf32>, {rt}",
            ort_outputs("TopK", [topk_x, np.array([2], dtype=i64)], 2,
                        axis=0, largest=0)[1]),
        TwoResultCase(
            1, "top_k_nan_largest", "top_k indices: NaN ranks above every "
            "number.", [topk_nan], "kiln.top_k {in0} k = 6 axis = 0 : {t0} "
            "-> tensor<6xf32>, {rt}",
            ort_outputs("TopK", [topk_nan, np.array([6], dtype=i64)], 2)[1]),
        TwoResultCase(
            1, "top_k_nan_smallest", "top_k smallest indices: NaN last.",
            [topk_nan], "kiln.top_k {in0} k = 6 axis = 0 smallest : {t0} "
            "-> tensor<6xf32>, {rt}",
            ort_outputs("TopK", [topk_nan, np.array([6], dtype=i64)], 2,
                        largest=0)[1]),
    ]


FILES = {
    "run-elementwise.mlir": ("Elementwise ops, end to end.",
                             elementwise_cases),
    "run-cast.mlir": ("kiln.cast, end to end.", cast_cases),
    "run-matmul.mlir": ("kiln.matmul, end to end.", matmul_cases),
    "run-data-movement.mlir": ("Data movement ops, end to end.",
                               data_movement_cases),
    "run-reductions.mlir": ("Reductions, end to end.", reduction_cases),
    "run-normalization.mlir": ("softmax and batch_norm, end to end.",
                               normalization_cases),
    "run-conv.mlir": ("conv2d, conv3d and conv_transpose, end to end "
                      "(references: onnxruntime).",
                      conv_cases),
    "run-pool.mlir": ("Pooling, end to end (references: onnxruntime).",
                      pool_cases),
    "run-indexed-data-movement.mlir": (
        "broadcast_to, gathers, scatters, cumsum and top_k, end to end "
        "(references: numpy, onnxruntime).", indexed_data_movement_cases),
}


def parse_output(text):
    """The values printMemref printed, one list per call."""
    blocks = text.split("Unranked Memref")[1:]
    out = []
    for block in blocks:
        data = block.split("data =", 1)[1]
        values = re.findall(r"-?nan|-?inf|-?[0-9.]+(?:e[-+][0-9]+)?", data)
        out.append([float(v) for v in values])
    return out


def check(path, cases):
    lowered = subprocess.run(
        f"kiln-opt --convert-kiln-to-linalg {path} | mlir-opt "
        "--convert-elementwise-to-linalg "
        "--one-shot-bufferize=\"bufferize-function-boundaries "
        "function-boundary-type-conversion=identity-layout-map\" "
        "--convert-linalg-to-loops --convert-scf-to-cf "
        "--expand-strided-metadata --lower-affine --convert-math-to-llvm "
        "--convert-math-to-libm "
        "--convert-to-llvm --reconcile-unrealized-casts | mlir-cpu-runner "
        "-e main -entry-point-result=void -shared-libs="
        "/usr/lib/llvm-19/lib/libmlir_c_runner_utils.so,"
        "/usr/lib/llvm-19/lib/libmlir_runner_utils.so",
        shell=True, capture_output=True, text=True)
    if lowered.returncode != 0:
        print(f"{path}: FAILED\n{lowered.stderr}")
        return False
    results = parse_output(lowered.stdout)
    ok = True
    for case, got in zip(cases, results):
        want = case.result.astype(case.print_dtype()).astype(np.float64)
        want = want.reshape(-1)
        got = np.array(got)
        if got.shape != want.shape or not np.allclose(
                got, want, rtol=1e-5, atol=1e-6, equal_nan=True):
            print(f"{path}: {case.name}: got {got.tolist()}, "
                  f"want {want.tolist()}")
            ok = False
    if len(results) != len(cases):
        print(f"{path}: {len(results)} results for {len(cases)} cases")
        ok = False
    return ok


def main(argv):
    do_check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    out_dir = args[0] if args else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    ok = True
    for name, (title, make) in FILES.items():
        cases = make()
        path = os.path.join(out_dir, name)
        write_file(path, title, cases)
        if do_check:
            ok &= check(path, cases)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
