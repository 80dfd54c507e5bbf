#!/usr/bin/env python3
"""Reference results for test/compiler/codegen/cpu from onnxruntime.

  onnx_reference.py inputs MODEL.onnx [--seed N] > INPUTS
      writes seeded random float32 inputs, uniform in [-1, 1), in the text
      form run_model.c reads: `input <name> <count>` and one value a line.
  onnx_reference.py compare MODEL.onnx INPUTS OUTPUTS
      runs MODEL on INPUTS with onnxruntime (CPU) and compares each output
      run_model.c printed in OUTPUTS with it: every element must satisfy
      |kiln - ort| <= atol + rtol * |ort| (rtol 1e-4, atol 1e-5). Prints one
      line per output, `<name>: <count> values match onnxruntime ...`, or the
      worst mismatches and exits 1.

The references come from onnxruntime, never from Kiln. Needs numpy and
onnxruntime (scripts/install-deps installs them).
"""

import argparse
import sys

import numpy as np

RTOL = 1e-4
ATOL = 1e-5


def session(model):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(model, options,
                                providers=["CPUExecutionProvider"])


def read_sections(path, keyword):
    """{name: float32 array} from `<keyword> <name> <count>` sections."""
    sections = {}
    with open(path) as f:
        tokens = f.read().split()
    i = 0
    while i < len(tokens):
        if tokens[i] != keyword:
            i += 1  # other lines, e.g. `arch: aarch64`
            continue
        name, count = tokens[i + 1], int(tokens[i + 2])
        values = tokens[i + 3:i + 3 + count]
        if len(values) != count:
            sys.exit(f"{path}: {keyword} '{name}': expected {count} values, "
                     f"found {len(values)}")
        sections[name] = np.array([float(v) for v in values], np.float32)
        i += 3 + count
    return sections


def cmd_inputs(args):
    rng = np.random.default_rng(args.seed)
    for tensor in session(args.model).get_inputs():
        if tensor.type != "tensor(float)":
            sys.exit(f"input '{tensor.name}': only float32 is supported")
        count = int(np.prod(tensor.shape))
        values = rng.uniform(-1, 1, size=count).astype(np.float32)
        print(f"input {tensor.name} {count}")
        # repr of a float32 is its shortest round-tripping decimal form.
        print("\n".join(repr(float(v)) for v in values.tolist()))


def cmd_compare(args):
    sess = session(args.model)
    given = read_sections(args.inputs, "input")
    feeds = {t.name: given[t.name].reshape(t.shape) for t in sess.get_inputs()}
    names = [t.name for t in sess.get_outputs()]
    expected = dict(zip(names, sess.run(names, feeds)))
    actual = read_sections(args.outputs, "output")
    ok = True
    for name in names:
        want = np.asarray(expected[name], np.float32).ravel()
        if name not in actual:
            print(f"{name}: missing from {args.outputs}")
            ok = False
            continue
        got = actual[name]
        if got.shape != want.shape:
            print(f"{name}: {got.size} values, expected {want.size}")
            ok = False
            continue
        err = np.abs(got.astype(np.float64) - want)
        bad = ~(err <= ATOL + RTOL * np.abs(want))
        worst = float(err.max()) if err.size else 0.0
        if bad.any():
            ok = False
            print(f"{name}: {int(bad.sum())} of {want.size} values differ from "
                  f"onnxruntime (max abs err {worst:.3g})")
            for j in [j for j in np.argsort(-err) if bad[j]][:5]:
                print(f"  [{j}] kiln {float(got[j])!r} "
                      f"onnxruntime {float(want[j])!r}")
        else:
            print(f"{name}: {want.size} values match onnxruntime "
                  f"(max abs err {worst:.3g})")
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("inputs")
    p.add_argument("model")
    p.add_argument("--seed", type=int, default=0)
    p = sub.add_parser("compare")
    p.add_argument("model")
    p.add_argument("inputs")
    p.add_argument("outputs")
    args = parser.parse_args()
    return cmd_inputs(args) if args.command == "inputs" else cmd_compare(args)


if __name__ == "__main__":
    sys.exit(main())
