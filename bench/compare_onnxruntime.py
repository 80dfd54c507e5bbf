#!/usr/bin/env python3
"""Times a model compiled by Kiln against onnxruntime, in one process.

  bench/compare_onnxruntime.py MODEL.onnx [--kiln build/bin/kiln]
      [--threads N] [--iterations N] [--warmup N]

Both run the same random inputs with the same number of threads; the script
checks that the outputs agree (rtol 1e-3, atol 1e-4) before timing, then
prints the median latency of each and the ratio. It is a benchmark program,
not a test: numbers depend on the machine and its load.
"""

import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 6: np.int32, 7: np.int64,
          9: np.bool_, 10: np.float16, 11: np.float64}


class TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64))]


class ModelInfo(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint32),
                ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32),
                ("reserved", ctypes.c_uint32), ("name", ctypes.c_char_p),
                ("inputs", ctypes.POINTER(TensorInfo)),
                ("outputs", ctypes.POINTER(TensorInfo)),
                ("workspace_size", ctypes.c_uint64),
                ("workspace_alignment", ctypes.c_uint64),
                ("run", ctypes.c_void_p)]


def tensors(table, count):
    return [(table[i].name.decode(), DTYPES[table[i].dtype],
             tuple(table[i].shape[d] for d in range(table[i].rank)))
            for i in range(count)]


def median_ms(fn, iterations, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--kiln", default=os.path.join(
        os.path.dirname(__file__), "..", "build", "bin", "kiln"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    os.environ["KILN_NUM_THREADS"] = str(args.threads)
    tmp = tempfile.mkdtemp(prefix="kiln-bench-")
    library = os.path.join(tmp, "libm.so")
    subprocess.run([args.kiln, "compile", args.model, "--name", "m",
                    "--emit=shared", "-o", library], check=True)
    lib = ctypes.CDLL(library)
    lib.m_info.restype = ctypes.POINTER(ModelInfo)
    lib.kiln_model_run.restype = ctypes.c_int
    info = lib.m_info().contents
    lib.kiln_set_num_threads(args.threads)

    rng = np.random.default_rng(0)
    inputs, feeds = [], {}
    for name, dtype, shape in tensors(info.inputs, info.num_inputs):
        value = (rng.uniform(-1, 1, shape).astype(dtype)
                 if np.issubdtype(dtype, np.floating)
                 else rng.integers(0, 4, shape).astype(dtype))
        inputs.append(np.ascontiguousarray(value))
        feeds[name] = value
    outputs = [np.zeros(shape, dtype) for _, dtype, shape in
               tensors(info.outputs, info.num_outputs)]
    workspace = np.zeros(info.workspace_size + 64, np.uint8)
    aligned = (workspace.ctypes.data + 63) // 64 * 64
    ins = (ctypes.c_void_p * max(1, len(inputs)))(
        *[a.ctypes.data for a in inputs])
    outs = (ctypes.c_void_p * max(1, len(outputs)))(
        *[a.ctypes.data for a in outputs])

    def run_kiln():
        status = lib.kiln_model_run(ctypes.byref(info), ins, outs,
                                    ctypes.c_void_p(aligned),
                                    ctypes.c_size_t(info.workspace_size))
        if status:
            sys.exit(f"kiln_model_run failed with status {status}")

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(args.model, options,
                                   providers=["CPUExecutionProvider"])

    run_kiln()
    references = session.run(None, feeds)
    for out, ref in zip(outputs, references):
        if not np.allclose(out, ref, rtol=1e-3, atol=1e-4):
            sys.exit("outputs differ from onnxruntime; not timing")

    kiln_ms = median_ms(run_kiln, args.iterations, args.warmup)
    ort_ms = median_ms(lambda: session.run(None, feeds), args.iterations,
                       args.warmup)
    print(f"{os.path.basename(args.model)}: kiln {kiln_ms:.3f} ms, "
          f"onnxruntime {ort_ms:.3f} ms, ratio kiln/onnxruntime "
          f"{kiln_ms / ort_ms:.2f} ({args.threads} thread(s), median of "
          f"{args.iterations})")


if __name__ == "__main__":
    main()
