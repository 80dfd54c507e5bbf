#!/usr/bin/env python3
"""Compiles and runs ONNX backend test models with Kiln; compares outputs.

For every test directory (model.onnx + test_data_set_*/input_N.pb,
output_N.pb) of one or more suites, the runner

  1. compiles the model with `kiln compile --emit=shared`,
  2. loads the library in a child process (ctypes), feeds each data set's
     inputs through kiln_model_run() and compares every output with the
     reference shipped with the test (numpy.testing's allclose with the ONNX
     backend runner's tolerances: rtol 1e-3, atol 1e-7; exact for integers
     and bools),

and classifies the test as one of

  pass         every output of every data set matches
  mismatch     an output differs (the report gives the largest error)
  unsupported  kiln reports an "unsupported ONNX ..." diagnostic
  error        kiln fails with another diagnostic, or the run returns an error
  crash        kiln or the compiled code dies (signal, sanitizer report,
               timeout)

Kiln compiles static shapes. When a model fails to compile because an
operand that must be known at compile time (a Reshape shape, Slice starts,
reduction axes, ...) is a graph input, the runner compiles it again with
every integer and bool graph input that has the same value in all data sets
bound to that value (`kiln compile --bind-input NAME=FILE.npy`, a
user-visible option), then if need be with float inputs of at most 8
elements bound too (Range bounds, OneHot depths, Resize scales), and says so in the report ("with
--bind-input NAME").

Tests listed in --out-of-scope (scope.py's list: training, random, string,
sequence and other-domain tests, each with its reason) are not run; they are
reported as `out-of-scope`. For each suite the runner prints how many
in-scope tests pass.

It writes a Markdown table (--report), prints counts per outcome, and exits
non-zero when a test in the --expect-pass list does not pass. The list only
grows: --update-pass-list adds newly passing tests to it. With
--known-failures, every in-scope test that does not pass must be listed
there with its reason (`suite/test  # reason`), and a listed test that now
passes must be taken off; --update-known-failures rewrites the list, keeping
the reasons written by hand (those not starting with an outcome such as
`unsupported:`) and refreshing the others from the run's diagnostics.
"""

import argparse
import collections
import concurrent.futures
import ctypes
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile

OUTCOMES = ("pass", "mismatch", "unsupported", "error", "crash")
OUT_OF_SCOPE = "out-of-scope"
RTOL, ATOL = 1e-3, 1e-7
CRASH_MARKERS = ("Sanitizer", "runtime error:", "PLEASE submit a bug report",
                 "Stack dump", "LLVM ERROR:", "Assertion")


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


def run_one(library, test_dir, skip_inputs=()):
    """Child process: runs every data set; prints one result line. Inputs
    whose indices are in `skip_inputs` were bound at compile time."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    dtypes = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16,
              5: np.int16, 6: np.int32, 7: np.int64, 9: np.bool_,
              10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64,
              16: np.uint16,  # bfloat16 travels as its bit pattern
              # 8-bit floats as their bit patterns; 4-bit types one per
              # byte, the code in the low nibble (the C ABI's layout, which
              # is also how ml_dtypes stores them).
              17: np.uint8, 18: np.uint8, 19: np.uint8, 20: np.uint8,
              21: np.uint8, 22: np.uint8, 23: np.uint8}
    low_precision = {17, 18, 19, 20, 21, 22, 23}

    def bf16_bits(array):
        """bfloat16 (ml_dtypes) or float values as bfloat16 bit patterns."""
        if array.dtype == np.uint16:
            return array
        if array.dtype.name == "bfloat16":
            return array.view(np.uint16)
        bits = np.asarray(array, np.float32).view(np.uint32)
        return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)

    def bf16_values(bits):
        return (bits.astype(np.uint32) << 16).view(np.float32)

    def bf16_ulp(values):
        """The spacing of bfloat16 numbers at each of `values`."""
        exponent = np.frexp(np.abs(values))[1]
        return np.ldexp(1.0, np.maximum(exponent, -125) - 8)
    lib = ctypes.CDLL(library)
    lib.m_info.restype = ctypes.POINTER(ModelInfo)
    lib.kiln_model_run.restype = ctypes.c_int
    lib.kiln_last_error.restype = ctypes.c_char_p
    info = lib.m_info().contents
    worst = ""
    for data_set in sorted(glob.glob(os.path.join(test_dir, "test_data_set_*"))):
        def load(kind):
            files = glob.glob(os.path.join(data_set, f"{kind}_*.pb"))
            files.sort(key=lambda f: int(f.rsplit("_", 1)[1].split(".")[0]))
            return [numpy_helper.to_array(onnx.load_tensor(f)) for f in files]
        inputs, references = load("input"), load("output")
        inputs = [v for i, v in enumerate(inputs) if i not in skip_inputs]
        if len(inputs) != info.num_inputs or len(references) != info.num_outputs:
            print(f"error: data set has {len(inputs)} inputs and "
                  f"{len(references)} outputs; the model takes "
                  f"{info.num_inputs} and makes {info.num_outputs}")
            return
        arrays = []
        for i, value in enumerate(inputs):
            t = info.inputs[i]
            shape = tuple(t.shape[d] for d in range(t.rank))
            if t.dtype not in dtypes or value.shape != shape:
                print(f"error: input {i} is {value.dtype}{list(value.shape)}, "
                      f"the model wants dtype {t.dtype} {list(shape)}")
                return
            if t.dtype == 16:
                value = bf16_bits(value)
            if t.dtype in low_precision:
                if value.dtype.itemsize != 1:
                    print(f"error: input {i} is {value.dtype}, the model "
                          f"wants dtype {t.dtype}")
                    return
                value = np.ascontiguousarray(value).view(np.uint8)
            arrays.append(np.ascontiguousarray(value, dtype=dtypes[t.dtype]))
        outputs = []
        for i in range(info.num_outputs):
            t = info.outputs[i]
            outputs.append(np.zeros([t.shape[d] for d in range(t.rank)],
                                    dtype=dtypes.get(t.dtype, np.uint8)))
        workspace = np.zeros(info.workspace_size + 64, dtype=np.uint8)
        aligned = (workspace.ctypes.data + 63) // 64 * 64
        ins = (ctypes.c_void_p * max(1, len(arrays)))(
            *[a.ctypes.data for a in arrays])
        outs = (ctypes.c_void_p * max(1, len(outputs)))(
            *[a.ctypes.data for a in outputs])
        status = lib.kiln_model_run(ctypes.byref(info), ins, outs,
                                    ctypes.c_void_p(aligned),
                                    ctypes.c_size_t(info.workspace_size))
        if status != 0:
            print(f"error: kiln_model_run returned {status}: "
                  f"{lib.kiln_last_error().decode(errors='replace')}")
            return
        for i, (out, ref) in enumerate(zip(outputs, references)):
            if info.outputs[i].dtype == 16:
                out, ref = bf16_values(out), bf16_values(bf16_bits(ref))
            if out.shape != ref.shape:
                print(f"mismatch: output {i} has shape {list(out.shape)}, "
                      f"expected {list(ref.shape)}")
                return
            if info.outputs[i].dtype in low_precision:
                # Bit-exact (so -0 differs from 0), except that any NaN
                # matches any NaN.
                ref = np.ascontiguousarray(ref)
                if ref.dtype.itemsize != 1:
                    print(f"mismatch: output {i} is dtype "
                          f"{info.outputs[i].dtype}, expected {ref.dtype}")
                    return
                o, r = out.view(ref.dtype), ref
                same = out == ref.view(np.uint8)
                if ref.dtype.kind not in "biu" and "int" not in ref.dtype.name:
                    same |= (np.isnan(o.astype(np.float32)) &
                             np.isnan(r.astype(np.float32)))
                if not same.all():
                    print(f"mismatch: output {i}: {int((~same).sum())} of "
                          f"{ref.size} elements differ")
                    return
                continue
            if ref.dtype.kind in "biu":
                if not np.array_equal(out, ref):
                    bad = int(np.sum(out != ref))
                    print(f"mismatch: output {i}: {bad} of {ref.size} "
                          f"elements differ")
                    return
                continue
            o, r = out.astype(np.float64), ref.astype(np.float64)
            # Equal infinities and NaN pairs match; any other NaN or
            # infinity is an infinite error.
            same = (o == r) | (np.isnan(o) & np.isnan(r))
            err = np.where(same, 0.0, np.abs(o - r))
            err[np.isnan(err)] = np.inf
            allowed = ATOL + RTOL * np.abs(r)
            if info.outputs[i].dtype == 16:
                # rtol 1e-3 is finer than bfloat16 resolves (8 significant
                # bits): one bfloat16 step of the reference is also allowed.
                with np.errstate(invalid="ignore"):
                    allowed = np.maximum(allowed, bf16_ulp(r))
            bad = ~(same | (err <= allowed))
            if bad.any():
                print(f"mismatch: output {i}: max abs error {err.max():.3g}"
                      f" ({int(bad.sum())} of {bad.size} elements differ)")
                return
            finite = np.isfinite(r) & np.isfinite(o)
            if finite.any():
                worst = f"max abs error {np.abs(o - r)[finite].max():.3g}"
    print(f"pass: {worst}")


def first_line(text):
    """The first error line of `text` (else its first line), shortened."""
    for line in text.splitlines():
        if "error:" in line:
            return line.strip()[:200]
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def classify_process(proc, default):
    """Maps a finished process to a crash outcome, or None."""
    if proc.returncode < 0:
        return "crash", f"killed by signal {-proc.returncode}"
    if any(m in proc.stderr for m in CRASH_MARKERS):
        return "crash", first_line(
            [l for l in proc.stderr.splitlines()
             if any(m in l for m in CRASH_MARKERS)][0])
    return None


def bindable_inputs(test_dir, tmp, with_float_scalars=False):
    """[(index, name, file.npy)] of the integer and bool graph inputs (and
    with `with_float_scalars` the float inputs of at most 8 elements: Range
    bounds, a OneHot depth, Resize scales and roi) whose values are the same in every data set (shapes,
    axes, conditions a test passes as inputs), written to .npy files in
    `tmp`; [] when there are none."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(os.path.join(test_dir, "model.onnx"),
                      load_external_data=False)
    initializers = {t.name for t in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in initializers]
    data_sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
    integer_types = {2, 3, 4, 5, 6, 7, 9, 12, 13}
    float_types = {1, 10, 11}
    result = []
    for index, value_info in enumerate(graph_inputs):
        elem_type = value_info.type.tensor_type.elem_type
        is_float = elem_type in float_types
        if elem_type not in integer_types and not (
                with_float_scalars and is_float):
            continue
        values = []
        for data_set in data_sets:
            path = os.path.join(data_set, f"input_{index}.pb")
            if not os.path.exists(path):
                return []
            values.append(numpy_helper.to_array(onnx.load_tensor(path)))
        if any(not np.array_equal(values[0], v) for v in values[1:]):
            continue
        if is_float and values[0].size > 8:
            continue
        npy = os.path.join(tmp, f"bound_{index}.npy")
        np.save(npy, values[0])
        result.append((index, value_info.name, npy))
    return result


def compile_model(kiln, test_dir, library, timeout, bound=()):
    """Runs kiln compile; on failure returns (outcome, detail, whether an
    operand must be known at compile time), else None."""
    cmd = [kiln, "compile", os.path.join(test_dir, "model.onnx"),
           "--name", "m", "--emit=shared", "-o", library]
    for _, name, npy in bound:
        cmd.append(f"--bind-input={name}={npy}")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return "crash", f"kiln compile timed out after {timeout} s", False
    except OSError as error:
        return "error", f"cannot run {kiln}: {error}", False
    crash = classify_process(proc, "error")
    if crash:
        return crash + (False,)
    if proc.returncode != 0:
        outcome = ("unsupported" if "unsupported ONNX" in proc.stderr
                   else "error")
        return outcome, first_line(proc.stderr), \
            "known at compile time" in proc.stderr
    return None


def check_test(kiln, test_dir, timeout):
    with tempfile.TemporaryDirectory(prefix="kiln-conformance-") as tmp:
        library = os.path.join(tmp, "libm.so")
        failure = compile_model(kiln, test_dir, library, timeout)
        bound = []
        # Kiln compiles static shapes: a test that passes a shape or axes as
        # a graph input compiles with that input bound to its (fixed) test
        # value, as a user would with --bind-input. The report says so.
        for with_float_scalars in (False, True):
            if not (failure and failure[2]):
                break
            bound = bindable_inputs(test_dir, tmp, with_float_scalars)
            if bound:
                failure = compile_model(kiln, test_dir, library, timeout,
                                        bound)
        if failure:
            return failure[:2]
        skip = ",".join(str(index) for index, _, _ in bound)
        try:
            run = subprocess.run(
                [sys.executable, __file__, "--run-one", library, test_dir,
                 "--skip-inputs", skip],
                capture_output=True, text=True, errors="replace",
                timeout=timeout)
        except subprocess.TimeoutExpired:
            return "crash", f"the compiled model timed out after {timeout} s"
        crash = classify_process(run, "error")
        if crash:
            return crash
        line = first_line(run.stdout)
        outcome, _, detail = line.partition(":")
        detail = detail.strip()
        if run.returncode != 0 or outcome not in OUTCOMES:
            return "error", first_line(run.stderr) or line or "no result"
        if bound:
            names = ", ".join(name for _, name, _ in bound)
            detail = f"with --bind-input {names}; {detail}"
        return outcome, detail


def read_reasons(path):
    """{suite/test: reason} from a `suite/test  # reason` list."""
    tests = {}
    if not os.path.exists(path):
        return tests
    with open(path) as f:
        for line in f:
            name, _, reason = line.partition("#")
            if name.strip():
                tests[name.strip()] = reason.strip()
    return tests


def print_suite_summary(results):
    """Per suite: passing in-scope tests of all in-scope tests."""
    suites = collections.OrderedDict()
    for name in sorted(results):
        suite = name.split("/")[0]
        passed, in_scope, total = suites.get(suite, (0, 0, 0))
        outcome = results[name][0]
        suites[suite] = (passed + (outcome == "pass"),
                         in_scope + (outcome != OUT_OF_SCOPE), total + 1)
    for suite, (passed, in_scope, total) in suites.items():
        percent = 100.0 * passed / in_scope if in_scope else 100.0
        print(f"{suite}: {passed} of {in_scope} in-scope tests pass "
              f"({percent:.1f}%); {total - in_scope} out of scope")


def concise_reason(outcome, detail):
    """`unsupported: node '#0' (Conv): ...` without the file path."""
    detail = re.sub(r"^kiln: error: \S*model\.onnx: ", "", detail)
    return f"{outcome}: {detail}"


def check_known_failures(args, results):
    """Every in-scope failure is listed, every listed test still fails.
    True when the list is not right (and not rewritten)."""
    known = read_reasons(args.known_failures)
    failing = {n: r for n, r in results.items()
               if r[0] not in ("pass", OUT_OF_SCOPE)}
    unlisted = sorted(n for n in failing if n not in known)
    fixed = sorted(n for n in known
                   if n in results and n not in failing)
    if args.update_known_failures:
        # A reason written by hand (one that does not start with an
        # outcome) is kept; generated ones are refreshed from this run.
        def is_generated(reason):
            return reason.split(":", 1)[0] in OUTCOMES
        merged = {n: known[n] if n in known and not is_generated(known[n])
                  else concise_reason(*failing[n]) for n in failing}
        # Tests not run this time (--filter) keep their entries.
        merged.update({n: r for n, r in known.items() if n not in results})
        width = max((len(n) for n in merged), default=0)
        with open(args.known_failures, "w") as f:
            f.write("# In-scope ONNX backend tests that Kiln does not pass "
                    "yet, with the reason.\n# Checked by run_node_suite.py "
                    "--known-failures; rewritten by --update-known-failures"
                    "\n# (reasons written by hand, not starting with an "
                    "outcome, are kept).\n")
            for name in sorted(merged):
                f.write(f"{name.ljust(width)}  # {merged[name]}\n")
        print(f"known failures: {len(merged)} tests")
        return False
    for name in unlisted:
        print(f"UNLISTED FAILURE {name}: {failing[name][0]}: "
              f"{failing[name][1]}")
    for name in fixed:
        print(f"FIXED {name}: passes now; take it off {args.known_failures}")
    return bool(unlisted or fixed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kiln", default="kiln")
    parser.add_argument("--data", action="append", default=[],
                        help="a suite directory (repeatable)")
    parser.add_argument("--report", help="Markdown table to write")
    parser.add_argument("--expect-pass", help="tests that must pass")
    parser.add_argument("--update-pass-list", action="store_true",
                        help="add newly passing tests to --expect-pass")
    parser.add_argument("--out-of-scope", metavar="FILE",
                        help="tests not to run (scope.py's list)")
    parser.add_argument("--known-failures", metavar="FILE",
                        help="in-scope tests that fail, with reasons")
    parser.add_argument("--update-known-failures", action="store_true",
                        help="rewrite --known-failures from this run")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--filter", default="", help="substring of test names")
    parser.add_argument("--run-one", nargs=2, metavar=("LIB", "DIR"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--skip-inputs", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        skip = {int(i) for i in args.skip_inputs.split(",") if i}
        run_one(*args.run_one, skip_inputs=skip)
        return 0

    tests = []
    for suite in args.data:
        for d in sorted(glob.glob(os.path.join(suite, "*", "model.onnx"))):
            test_dir = os.path.dirname(d)
            name = f"{os.path.basename(suite.rstrip('/'))}/{os.path.basename(test_dir)}"
            if args.filter in name:
                tests.append((name, test_dir))
    out_of_scope = read_reasons(args.out_of_scope) if args.out_of_scope else {}
    results = {n: (OUT_OF_SCOPE, out_of_scope[n]) for n, _ in tests
               if n in out_of_scope}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(check_test, args.kiln, d, args.timeout): n
                   for n, d in tests if n not in out_of_scope}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()

    counts = {o: 0 for o in OUTCOMES + (OUT_OF_SCOPE,)}
    for outcome, _ in results.values():
        counts[outcome] += 1
    print_suite_summary(results)
    if args.report:
        with open(args.report, "w") as f:
            f.write("| test | outcome | detail |\n|---|---|---|\n")
            for name in sorted(results):
                outcome, detail = results[name]
                f.write(f"| {name} | {outcome} | "
                        f"{detail.replace('|', '/')} |\n")
    print(", ".join(f"{counts[o]} {o}" for o in OUTCOMES + (OUT_OF_SCOPE,)),
          f"of {len(results)} tests")

    status = 0
    if args.expect_pass:
        with open(args.expect_pass) as f:
            expected = [l.split("#")[0].strip() for l in f]
        expected = [e for e in expected if e]
        # The list covers several suites: only those run here are checked.
        suites_run = {os.path.basename(d.rstrip("/")) for d in args.data}
        for name in expected:
            if name not in results:
                if args.filter in name and name.split("/")[0] in suites_run:
                    print(f"MISSING {name}: listed as passing but not found")
                    status = 1
            elif results[name][0] != "pass":
                print(f"REGRESSION {name}: {results[name][0]}: "
                      f"{results[name][1]}")
                status = 1
        if args.update_pass_list:
            passing = {n for n, (o, _) in results.items() if o == "pass"}
            merged = sorted(set(expected) | passing)
            with open(args.expect_pass, "w") as f:
                f.write("# ONNX backend tests that must pass (compile, run, "
                        "match the reference).\n# Generated by "
                        "run_node_suite.py --update-pass-list; may only grow."
                        "\n")
                f.write("\n".join(merged) + "\n")
            print(f"pass list: {len(merged)} tests "
                  f"({len(merged) - len(expected)} new)")
    if args.known_failures and check_known_failures(args, results):
        status = 1
    for name in sorted(results):
        if results[name][0] == "crash":
            print(f"CRASH {name}: {results[name][1]}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
