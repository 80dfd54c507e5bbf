#!/usr/bin/env python3
"""Compiles and runs the public model suite with Kiln; compares with PyTorch.

For every model directory written by export_models.py, runs

  kiln run MODEL.onnx --input NAME=input_<i>.npy ... --output-dir DIR
           [the model's compile options, e.g. --dim batch=2]

and compares each output with PyTorch's (output_<i>.npy): every element must
satisfy |kiln - torch| <= atol + rtol * |torch| with rtol 1e-3 and atol
1e-4 times the largest |torch| of that output (deep networks with random
weights have outputs of very different scales). onnxruntime runs the same
model and inputs for context; its error against PyTorch is printed next to
Kiln's but does not decide the outcome.

Prints one line per model (and compile/run times) and exits non-zero when a
model fails.

Usage: run_model_suite.py MODELS_DIR [--kiln KILN] [--work DIR] [NAME ...]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

RTOL, ATOL_SCALE = 1e-3, 1e-4


def onnxruntime_outputs(model_dir, meta, inputs):
    try:
        import onnxruntime
    except ImportError:
        return None
    session = onnxruntime.InferenceSession(
        os.path.join(model_dir, "model.onnx"),
        providers=["CPUExecutionProvider"])
    return session.run(meta["outputs"], dict(zip(meta["inputs"], inputs)))


def max_error(got, ref):
    return float(np.max(np.abs(got.astype(np.float64) - ref))) if ref.size \
        else 0.0


def check_model(kiln, model_dir, work_dir):
    with open(os.path.join(model_dir, "meta.json")) as f:
        meta = json.load(f)
    inputs = [np.load(os.path.join(model_dir, f"input_{i}.npy"))
              for i in range(len(meta["inputs"]))]
    refs = [np.load(os.path.join(model_dir, f"output_{i}.npy"))
            for i in range(len(meta["outputs"]))]
    out_dir = os.path.join(work_dir, meta["name"])
    cmd = [kiln, "run", os.path.join(model_dir, "model.onnx"),
           "--cache-dir", os.path.join(work_dir, "cache"),
           "--output-dir", out_dir] + meta["compile_args"]
    for i, name in enumerate(meta["inputs"]):
        cmd += ["--input", f"{name}={os.path.join(model_dir, f'input_{i}.npy')}"]
    start = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.time() - start
    if proc.returncode != 0:
        return False, f"kiln run failed ({seconds:.0f} s): " + \
            (proc.stderr.strip().splitlines() or ["no message"])[0]
    ort = onnxruntime_outputs(model_dir, meta, inputs)
    ok, notes = True, []
    for i, (name, ref) in enumerate(zip(meta["outputs"], refs)):
        got = np.load(os.path.join(out_dir, name + ".npy"))
        if got.shape != ref.shape:
            return False, f"{name}: shape {got.shape}, torch {ref.shape}"
        ref64 = ref.astype(np.float64)
        atol = ATOL_SCALE * float(np.max(np.abs(ref64))) if ref.size else 0
        good = np.abs(got - ref64) <= atol + RTOL * np.abs(ref64)
        note = f"{name} max abs error {max_error(got, ref64):.3g}"
        if ort is not None:
            note += f" (onnxruntime {max_error(ort[i], ref64):.3g})"
        if not good.all():
            ok = False
            note += f", {int((~good).sum())} of {ref.size} elements off"
        notes.append(note)
    return ok, f"{seconds:.0f} s compile+run; " + "; ".join(notes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models_dir")
    parser.add_argument("--kiln", default="kiln")
    parser.add_argument("--work", help="work directory (default: a temporary "
                        "one)")
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args()
    names = args.names or sorted(
        d for d in os.listdir(args.models_dir)
        if os.path.exists(os.path.join(args.models_dir, d, "meta.json")))
    work = args.work or tempfile.mkdtemp(prefix="kiln-models-")
    failures = 0
    for name in names:
        ok, detail = check_model(args.kiln, os.path.join(args.models_dir, name),
                                 work)
        failures += not ok
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    print(f"{len(names) - failures} of {len(names)} models match PyTorch")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
