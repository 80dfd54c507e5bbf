#!/usr/bin/env python3
"""onnxruntime's answer for the tiny_cnn example program (main.c).

Builds the same input as main.c (a fixed pattern of multiples of 1/32), runs
tiny_cnn.onnx with onnxruntime (CPU), and prints the probabilities in
main.c's format. With --check, reads main.c's output instead (a file, or '-'
for stdin) and compares it numerically: every probability within
rtol 1e-4 + atol 1e-5 of onnxruntime's, and the same argmax.

Needs numpy and onnxruntime (scripts/install-deps installs them).

Usage:
    reference.py MODEL.onnx                 print onnxruntime's probabilities
    reference.py MODEL.onnx --check OUTPUT  compare main.c's OUTPUT with them
"""

import argparse
import re
import sys

import numpy as np

RTOL = 1e-4
ATOL = 1e-5
SHAPE = (1, 3, 16, 16)


def test_pattern():
    """main.c's image: ((i * 37) % 64 - 32) / 32, exact in float32."""
    i = np.arange(np.prod(SHAPE), dtype=np.int64)
    return (((i * 37) % 64 - 32) / 32.0).astype(np.float32).reshape(SHAPE)


def onnxruntime_probabilities(model):
    import onnxruntime as ort
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return session.run(None, {name: test_pattern()})[0].reshape(-1)


def parse(text):
    """The probabilities and argmax main.c printed."""
    probs = {int(c): float(p) for c, p in
             re.findall(r"^\s*class (\d+): (\S+)\s*$", text, re.M)}
    argmax = re.search(r"^argmax: class (\d+)", text, re.M)
    if sorted(probs) != list(range(len(probs))) or not probs or not argmax:
        raise ValueError("no 'class N: P' lines and 'argmax: class N' line")
    return np.array([probs[c] for c in sorted(probs)]), int(argmax.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="tiny_cnn.onnx")
    parser.add_argument("--check", metavar="OUTPUT",
                        help="main.c's output to compare ('-' for stdin)")
    args = parser.parse_args()

    want = onnxruntime_probabilities(args.model)
    if not args.check:
        print("onnxruntime: probabilities of the %d classes" % want.size)
        for c, p in enumerate(want):
            print("  class %d: %.9g" % (c, p))
        print("argmax: class %d (p = %.4f)" % (int(want.argmax()),
                                               want.max()))
        return 0

    text = (sys.stdin.read() if args.check == "-"
            else open(args.check, encoding="utf-8").read())
    try:
        got, argmax = parse(text)
    except ValueError as e:
        print("reference.py: error: %s in:\n%s" % (e, text), file=sys.stderr)
        return 1
    ok = True
    if got.shape != want.shape:
        print("reference.py: error: %d probabilities, onnxruntime has %d"
              % (got.size, want.size), file=sys.stderr)
        return 1
    diff = np.abs(got - want)
    for c in np.flatnonzero(diff > ATOL + RTOL * np.abs(want)):
        print("class %d: %.9g, onnxruntime %.9g" % (c, got[c], want[c]),
              file=sys.stderr)
        ok = False
    if argmax != int(want.argmax()):
        print("argmax: class %d, onnxruntime's class %d"
              % (argmax, int(want.argmax())), file=sys.stderr)
        ok = False
    print("tiny_cnn vs onnxruntime: max abs error %.3g, max rel error %.3g, "
          "argmax %d: %s" % (diff.max(), (diff / np.abs(want)).max(), argmax,
                             "ok" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
