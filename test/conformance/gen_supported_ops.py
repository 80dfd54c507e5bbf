#!/usr/bin/env python3
"""Writes docs/supported-ops.md from the conformance results.

Counts in-scope tests (out-of-scope.txt excluded) of Debian's backend suites
(libonnx-testdata) and of the `onnx` package's node suite: per suite, how
many pass (run-pass-list.txt: they compile, run and match their
references); per operator, how many of the tests using it pass, the opsets
and input element types of the passing ones, and the known-failures.txt
reasons that name it.

  gen_supported_ops.py --data DIR [--onnx-node DIR] --pass-list FILE
                       [--out-of-scope FILE] [--known-failures FILE]
                       [--output FILE]
"""

import argparse
import collections
import os
import re
import sys

import onnx

DEBIAN_SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")
DTYPE_NAMES = {1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16",
               6: "int32", 7: "int64", 8: "string", 9: "bool", 10: "float16",
               11: "float64", 12: "uint32", 13: "uint64", 16: "bfloat16"}


def model_facts(path):
    model = onnx.load(path, load_external_data=False)
    ops = {n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"
           for n in model.graph.node}
    opset = max((o.version for o in model.opset_import
                 if o.domain in ("", "ai.onnx")), default=0)
    initializers = {t.name for t in model.graph.initializer}
    dtypes = {DTYPE_NAMES.get(i.type.tensor_type.elem_type, "other")
              for i in model.graph.input if i.name not in initializers
              and i.type.HasField("tensor_type")}
    return ops, opset, dtypes


def read_reasons(path):
    """{suite/test: reason} from a `suite/test  # reason` list."""
    tests = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                name, _, reason = line.partition("#")
                if name.strip():
                    tests[name.strip()] = reason.strip()
    return tests


def suite_dirs(args):
    """(suite name, directory) of every suite to count."""
    dirs = [(s, os.path.join(args.data, s)) for s in DEBIAN_SUITES]
    if args.onnx_node:
        dirs.append(("onnx-node", args.onnx_node))
    return dirs


def is_generated(reason):
    """A reason the runner wrote from a diagnostic (`unsupported: ...`)."""
    return reason.split(":", 1)[0] in ("unsupported", "mismatch", "error",
                                       "crash")


def names_op(test, op):
    """Whether the test is about `op`: test_<op> or test_<op>_..."""
    return re.fullmatch(r"test_%s(_.*)?" % re.escape(op.lower()), test) is not None


def limits_of(op, failing):
    """Distinct known-failure reasons that name `op`, or were written by hand
    for a test of `op` (at most three)."""
    found = []
    for reason in failing:
        if is_generated(reason) and \
                not re.search(r"\b%s\b" % re.escape(op), reason):
            continue
        reason = re.sub(r"\s*\(nodes: [^)]*\)", "", reason)
        reason = re.sub(r"node '[^']*' ", "", reason)
        if re.fullmatch(r"unsupported: unsupported ONNX operators: .*", reason):
            reason = "not implemented" if reason.endswith(": " + op) else \
                "used with " + reason.split(": ", 2)[2]
        if reason not in found:
            found.append(reason)
    text = "; ".join(r[:100] for r in found[:3])
    if len(found) > 3:
        text += f"; and {len(found) - 3} more"
    return text.replace("|", "/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True,
                        help="libonnx-testdata data directory")
    parser.add_argument("--onnx-node",
                        help="the onnx package's node suite "
                             "(gen_onnx_node_suite.py's OUT/onnx-node)")
    parser.add_argument("--pass-list", required=True)
    parser.add_argument("--out-of-scope", help="scope.py's list")
    parser.add_argument("--known-failures",
                        help="in-scope failures with reasons")
    parser.add_argument("--output", default="-")
    args = parser.parse_args()
    with open(args.pass_list) as f:
        passing = {l.split("#")[0].strip() for l in f} - {""}
    out_of_scope = read_reasons(args.out_of_scope)
    known = read_reasons(args.known_failures)

    total = collections.Counter()
    passed = collections.Counter()
    opsets = collections.defaultdict(set)
    dtypes = collections.defaultdict(set)
    failing = collections.defaultdict(list)
    suite_counts = collections.OrderedDict()
    for suite, suite_dir in suite_dirs(args):
        counts = [0, 0, 0]  # passing, in scope, all
        for test in sorted(os.listdir(suite_dir)):
            path = os.path.join(suite_dir, test, "model.onnx")
            if not os.path.exists(path):
                continue
            name = f"{suite}/{test}"
            counts[2] += 1
            if name in out_of_scope:
                continue
            counts[1] += 1
            ops, opset, types = model_facts(path)
            ok = name in passing
            counts[0] += ok
            for op in ops:
                total[op] += 1
                if ok:
                    passed[op] += 1
                    opsets[op].add(opset)
                    dtypes[op] |= types
                elif name in known:
                    reason = known[name]
                    # A reason written by hand is about the test's own
                    # operator (test_<op>...), not every op of its model.
                    if is_generated(reason) or names_op(test, op):
                        failing[op].append(reason)
        suite_counts[suite] = counts

    lines = [
        "# Supported ONNX operators",
        "",
        "Generated by `test/conformance/gen_supported_ops.py` from "
        "`test/conformance/run-pass-list.txt`, `known-failures.txt` and "
        "`out-of-scope.txt`; do not edit. A test counts when Kiln compiles "
        "its model, runs it and matches every reference output (the ONNX "
        "backend tolerances). Tests come from Debian's libonnx-testdata "
        "(`node`, `pytorch-converted`, `pytorch-operator`, `simple`) and from "
        "the node suite of the pinned `onnx` PyPI package (`onnx-node`, its tests "
        "whose model is not byte-identical to Debian's); a "
        "model using several operators counts for each. Tests out of scope "
        "(training, random, string, sequence/optional and other-domain "
        "tests; see `test/conformance/scope.py`) are not counted.",
        "",
        "| suite | in-scope tests passing | out of scope |",
        "|---|---|---|",
    ]
    for suite, (ok, in_scope, all_tests) in suite_counts.items():
        percent = 100.0 * ok / in_scope if in_scope else 100.0
        lines.append(f"| {suite} | {ok} / {in_scope} ({percent:.1f}%) | "
                     f"{all_tests - in_scope} |")
    lines += [
        "",
        "Operators with at least one passing test. Known limits are the "
        "reasons recorded in `known-failures.txt` for failing tests whose "
        "diagnostic names the operator, or written by hand for the "
        "operator's own tests.",
        "",
        "| operator | tests passing | opsets (passing) | input types (passing) "
        "| known limits |",
        "|---|---|---|---|---|",
    ]
    for op in sorted(o for o in total if passed[o]):
        lines.append(f"| {op} | {passed[op]} / {total[op]} | "
                     f"{', '.join(map(str, sorted(opsets[op])))} | "
                     f"{', '.join(sorted(dtypes[op]))} | "
                     f"{limits_of(op, failing[op])} |")
    lines += ["", "Operators used by in-scope tests that no passing test "
              "covers yet:", ""]
    for op in sorted(o for o in total if not passed[o]):
        limits = limits_of(op, failing[op])
        lines.append(f"- {op}" + (f": {limits}" if limits else ""))
    lines.append("")
    text = "\n".join(lines)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
