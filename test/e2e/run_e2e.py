#!/usr/bin/env python3
"""Compiles an ONNX model with Kiln, runs it, and checks it (test/e2e).

Every check compiles MODEL with `kiln compile MODEL -o WORKDIR --name m`
(WORKDIR/m.o, libm.a, libm.so, m.h), then:

  compare   loads libm.so with ctypes, discovers the inputs and outputs from
            m_info(), runs the model on seeded random inputs through m_run()
            and through the generic kiln_model_run(), and compares both with
            onnxruntime (CPU execution provider): every element must satisfy
            |kiln - ort| <= atol + rtol * |ort| (rtol 1e-4, atol 1e-5;
            equal values, infinities included, always match). The
            maximum absolute and relative error of each output is printed,
            and on failure the worst elements too.
  errors    checks that bad calls are rejected with the documented status and
            a kiln_last_error() message naming the argument: NULL inputs,
            outputs and workspace (KILN_ERROR_NULL_POINTER), a misaligned
            workspace (KILN_ERROR_MISALIGNED), and through kiln_model_run a
            workspace one byte too small (KILN_ERROR_WORKSPACE_TOO_SMALL); and
            that a failed call leaves a later good call working.
  threads   builds test/e2e/threads.c against libm.a and libkiln_runtime.a
            (-pthread) and runs it: two threads run the model at once with two
            workspaces, many times, and every result must be bitwise equal to
            a single-threaded run's.
  bisect    (a debugging aid, not a test) compares the first output of every
            node: each prefix of the graph is cut out as its own model
            (onnx.utils.Extractor), compiled and compared as above, and the
            first node that differs is named.

Usage:
  run_e2e.py {compare,errors,threads,bisect} MODEL.onnx --workdir DIR
             [--kiln-src DIR] [--kiln-build DIR] [--seed N]

Needs numpy and onnxruntime (scripts/install-deps installs them) and, for
`threads`, a C compiler (`cc`, or $CC).
"""

import argparse
import ctypes
import os
import shutil
import subprocess
import sys

try:
    import numpy as np
except ImportError as e:
    sys.exit("run_e2e.py: error: %s; scripts/install-deps installs numpy, onnx "
             "and onnxruntime for %s" % (e, sys.executable))

RTOL = 1e-4
ATOL = 1e-5

# kiln/runtime.h
KILN_ABI_VERSION = 1
KILN_WORKSPACE_ALIGNMENT = 64
KILN_OK = 0
KILN_ERROR_NULL_POINTER = 1
KILN_ERROR_WORKSPACE_TOO_SMALL = 2
KILN_ERROR_MISALIGNED = 3
KILN_FLOAT32 = 1

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_NAME = "m"


class TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p),
                ("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64))]


RunFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                         ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p)


class ModelInfo(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint32),
                ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32),
                ("reserved", ctypes.c_uint32),
                ("name", ctypes.c_char_p),
                ("inputs", ctypes.POINTER(TensorInfo)),
                ("outputs", ctypes.POINTER(TensorInfo)),
                ("workspace_size", ctypes.c_uint64),
                ("workspace_alignment", ctypes.c_uint64),
                ("run", RunFn)]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def compile_model(args, model=None, workdir=None, quiet=False):
    """Runs `kiln compile`; returns the output directory."""
    kiln = os.path.join(args.kiln_build, "bin", "kiln")
    out = os.path.join(workdir or args.workdir, "lib")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    cmd = [kiln, "compile", model or args.model, "-o", out, "--name",
           MODEL_NAME] + args.compile_arg
    if not quiet:
        print("$ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise Failure("kiln compile failed with status %d:\n%s"
                      % (result.returncode, result.stdout.rstrip()))
    for f in ["m.o", "libm.a", "libm.so", "m.h"]:
        check(os.path.isfile(os.path.join(out, f)),
              "kiln compile did not write %s" % f)
    return out


class Model:
    """libm.so loaded with ctypes, described by m_info()."""

    def __init__(self, libdir):
        # A path (not a bare name): the dynamic loader takes this file, not
        # the system's libm.
        try:
            self.lib = ctypes.CDLL(os.path.join(libdir, "libm.so"))
        except OSError as e:
            raise Failure("cannot load the compiled library: %s" % e)
        lib = self.lib
        lib.m_info.restype = ctypes.POINTER(ModelInfo)
        lib.m_workspace_size.restype = ctypes.c_size_t
        lib.m_run.restype = ctypes.c_int
        lib.kiln_last_error.restype = ctypes.c_char_p
        lib.kiln_model_run.restype = ctypes.c_int
        lib.kiln_model_run.argtypes = [
            ctypes.POINTER(ModelInfo), ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p, ctypes.c_size_t]
        lib.kiln_aligned_alloc.restype = ctypes.c_void_p
        lib.kiln_aligned_alloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
        lib.kiln_aligned_free.argtypes = [ctypes.c_void_p]

        self.info_ptr = lib.m_info()
        check(bool(self.info_ptr), "m_info() returned NULL")
        info = self.info_ptr.contents
        check(info.abi_version == KILN_ABI_VERSION,
              "m_info()->abi_version is %d, expected %d"
              % (info.abi_version, KILN_ABI_VERSION))
        check(info.name == MODEL_NAME.encode(),
              "m_info()->name is %r" % info.name)
        self.inputs = [self._tensor(info.inputs[i])
                       for i in range(info.num_inputs)]
        self.outputs = [self._tensor(info.outputs[i])
                        for i in range(info.num_outputs)]
        self.workspace_size = info.workspace_size
        check(lib.m_workspace_size() == info.workspace_size,
              "m_workspace_size() is %d but m_info()->workspace_size is %d"
              % (lib.m_workspace_size(), info.workspace_size))
        check(info.workspace_alignment == KILN_WORKSPACE_ALIGNMENT,
              "m_info()->workspace_alignment is %d"
              % info.workspace_alignment)
        lib.m_run.argtypes = [ctypes.c_void_p] * (
            len(self.inputs) + len(self.outputs) + 1)

    @staticmethod
    def _tensor(t):
        check(t.dtype == KILN_FLOAT32,
              "tensor '%s' has dtype %d; only float32 is tested"
              % (t.name.decode(), t.dtype))
        return t.name.decode(), tuple(t.shape[d] for d in range(t.rank))

    def last_error(self):
        return self.lib.kiln_last_error().decode()

    def alloc_workspace(self, extra=0):
        size = max(self.workspace_size + extra, 1)
        ptr = self.lib.kiln_aligned_alloc(size, KILN_WORKSPACE_ALIGNMENT)
        check(ptr, "kiln_aligned_alloc(%d, 64) returned NULL" % size)
        check(ptr % KILN_WORKSPACE_ALIGNMENT == 0,
              "kiln_aligned_alloc returned a misaligned pointer")
        return ptr

    def new_outputs(self):
        # NaN everywhere: an element the model never writes shows up.
        return [np.full(shape, np.nan, np.float32) for _, shape in self.outputs]

    def run(self, inputs, outputs, workspace):
        """m_run(inputs..., outputs..., workspace); returns the status."""
        args = [a.ctypes.data if a is not None else None
                for a in list(inputs) + list(outputs)]
        return self.lib.m_run(*args, workspace)

    def run_generic(self, inputs, outputs, workspace, size):
        """kiln_model_run(m_info(), ...); returns the status."""
        ins = (ctypes.c_void_p * max(len(inputs), 1))(
            *[a.ctypes.data if a is not None else None for a in inputs])
        outs = (ctypes.c_void_p * max(len(outputs), 1))(
            *[a.ctypes.data if a is not None else None for a in outputs])
        return self.lib.kiln_model_run(self.info_ptr, ins, outs, workspace,
                                       size)


def random_inputs(model, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(np.float32)
            for _, shape in model.inputs]


def onnxruntime_outputs(path, names, inputs, output_names):
    try:
        import onnxruntime as ort
    except ImportError as e:
        raise Failure("%s; scripts/install-deps installs onnxruntime for %s"
                      % (e, sys.executable))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(path, options,
                                   providers=["CPUExecutionProvider"])
    feed = dict(zip(names, inputs))
    return session.run(output_names, feed)


def compare_one(name, got, want):
    """Returns (ok, report lines) for one output."""
    lines = []
    if got.shape != want.shape:
        return False, ["  %s: shape %s, onnxruntime's %s"
                       % (name, got.shape, want.shape)]
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    # Equal values (infinities of the same sign included) have no error; an
    # infinite reference gives no relative tolerance to anything else.
    scale = np.abs(want64)
    with np.errstate(invalid="ignore"):
        diff = np.where(got64 == want64, 0.0, np.abs(got64 - want64))
        rel = diff / np.maximum(scale, np.finfo(np.float32).tiny)
    tolerance = ATOL + RTOL * np.where(np.isfinite(scale), scale, 0.0)
    bad = ~(diff <= tolerance)  # NaN counts as bad
    max_abs = float(np.nanmax(diff)) if diff.size else 0.0
    max_rel = float(np.nanmax(rel)) if rel.size else 0.0
    ok = not bad.any()
    lines.append("  %s %s: max abs error %.3g, max rel error %.3g, %s"
                 % (name, list(got.shape), max_abs, max_rel,
                    "ok" if ok else "%d of %d elements out of tolerance"
                    % (int(bad.sum()), bad.size)))
    if not ok:
        order = np.argsort(np.where(bad, np.nan_to_num(diff, nan=np.inf),
                                    -1).ravel())[::-1]
        for flat in order[:5]:
            idx = np.unravel_index(flat, got.shape)
            lines.append("    at %s: kiln %r, onnxruntime %r"
                         % (list(map(int, idx)), float(got[idx]),
                            float(want[idx])))
    return ok, lines


def compare(args, path, workdir, quiet=False):
    """Compiles and runs `path`; returns (ok, report lines)."""
    model = Model(compile_model(args, path, workdir, quiet))
    lines = ["model: inputs %s, outputs %s, workspace %d bytes"
             % (model.inputs, model.outputs, model.workspace_size)]
    inputs = random_inputs(model, args.seed)
    originals = [a.copy() for a in inputs]
    want = onnxruntime_outputs(path, [n for n, _ in model.inputs],
                               inputs, [n for n, _ in model.outputs])

    ws = model.alloc_workspace()
    try:
        got = model.new_outputs()
        status = model.run(inputs, got, ws)
        check(status == KILN_OK, "m_run returned %d: %s"
              % (status, model.last_error()))
        generic = model.new_outputs()
        status = model.run_generic(inputs, generic, ws, model.workspace_size)
        check(status == KILN_OK, "kiln_model_run returned %d: %s"
              % (status, model.last_error()))
    finally:
        model.lib.kiln_aligned_free(ws)

    for (name, _), a, b in zip(model.inputs, inputs, originals):
        check(np.array_equal(a, b), "the model wrote to input '%s'" % name)
    for (name, _), a, b in zip(model.outputs, got, generic):
        check(np.array_equal(a, b, equal_nan=True),
              "output '%s' differs between m_run and kiln_model_run" % name)

    lines.append("kiln vs onnxruntime (rtol %g, atol %g):" % (RTOL, ATOL))
    all_ok = True
    for (name, _), g, w in zip(model.outputs, got, want):
        ok, more = compare_one(name, g, w)
        all_ok &= ok
        lines += more
    return all_ok, lines


def cmd_compare(args):
    ok, lines = compare(args, args.model, args.workdir)
    print("\n".join(lines))
    check(ok, "%s: outputs differ from onnxruntime's"
          % os.path.basename(args.model))
    print("PASS: %s matches onnxruntime" % os.path.basename(args.model))


def cmd_bisect(args):
    """Compares every node's first output: which node goes wrong first."""
    import onnx
    from onnx import shape_inference, utils
    full = shape_inference.infer_shapes(onnx.load(args.model))
    graph_inputs = [i.name for i in full.graph.input
                    if i.name not in {t.name for t in full.graph.initializer}]
    first_bad = None
    for index, node in enumerate(full.graph.node):
        value = node.output[0]
        sub = utils.Extractor(full).extract_model(graph_inputs, [value])
        # The extractor writes the newest IR version; keep the model's.
        sub.ir_version = full.ir_version
        del sub.opset_import[:]
        sub.opset_import.extend(full.opset_import)
        workdir = os.path.join(args.workdir, "node%03d" % index)
        os.makedirs(workdir, exist_ok=True)
        path = os.path.join(workdir, "model.onnx")
        onnx.save(sub, path)
        label = "node %d '%s' (%s)" % (index, node.name, node.op_type)
        try:
            ok, lines = compare(args, path, workdir, quiet=True)
            detail = [l.strip() for l in lines if "max abs" in l]
        except Failure as e:
            ok, detail = False, [str(e).splitlines()[0]]
        print("%s %s: %s" % ("ok  " if ok else "FAIL", label,
                             "; ".join(detail)), flush=True)
        if not ok and first_bad is None:
            first_bad = label
    check(first_bad is None, "first node that differs: %s" % first_bad)
    print("PASS: every node matches onnxruntime")


def expect_error(model, what, status, expected, words):
    message = model.last_error()
    check(status == expected, "%s: status %d, expected %d (message: %r)"
          % (what, status, expected, message))
    for w in words:
        check(w in message, "%s: kiln_last_error() %r does not name %r"
              % (what, message, w))
    print("  %s -> %d: %s" % (what, status, message))


def cmd_errors(args):
    model = Model(compile_model(args))
    inputs = random_inputs(model, args.seed)
    ws = model.alloc_workspace(extra=KILN_WORKSPACE_ALIGNMENT)
    size = model.workspace_size
    check(size > 0, "the model needs no workspace; pick one that does")
    print("rejected calls:")
    try:
        for i, (name, _) in enumerate(model.inputs):
            ins = list(inputs)
            ins[i] = None
            expect_error(model, "m_run with input '%s' NULL" % name,
                         model.run(ins, model.new_outputs(), ws),
                         KILN_ERROR_NULL_POINTER, [name])
            expect_error(model, "kiln_model_run with input '%s' NULL" % name,
                         model.run_generic(ins, model.new_outputs(), ws, size),
                         KILN_ERROR_NULL_POINTER, [name])
        for i, (name, _) in enumerate(model.outputs):
            outs = model.new_outputs()
            outs[i] = None
            expect_error(model, "m_run with output '%s' NULL" % name,
                         model.run(inputs, outs, ws),
                         KILN_ERROR_NULL_POINTER, [name])
            expect_error(model, "kiln_model_run with output '%s' NULL" % name,
                         model.run_generic(inputs, outs, ws, size),
                         KILN_ERROR_NULL_POINTER, [name])
        expect_error(model, "m_run with workspace NULL",
                     model.run(inputs, model.new_outputs(), None),
                     KILN_ERROR_NULL_POINTER, ["workspace"])
        expect_error(model, "kiln_model_run with workspace NULL",
                     model.run_generic(inputs, model.new_outputs(), None,
                                       size),
                     KILN_ERROR_NULL_POINTER, ["workspace"])
        for offset in [1, 4, 32]:
            expect_error(model, "m_run with workspace at +%d" % offset,
                         model.run(inputs, model.new_outputs(), ws + offset),
                         KILN_ERROR_MISALIGNED, ["workspace"])
            expect_error(model,
                         "kiln_model_run with workspace at +%d" % offset,
                         model.run_generic(inputs, model.new_outputs(),
                                           ws + offset, size),
                         KILN_ERROR_MISALIGNED, ["workspace"])
        expect_error(model, "kiln_model_run with %d-byte workspace" % (size - 1),
                     model.run_generic(inputs, model.new_outputs(), ws,
                                       size - 1),
                     KILN_ERROR_WORKSPACE_TOO_SMALL, ["workspace"])
        expect_error(model, "kiln_model_run with 0-byte workspace",
                     model.run_generic(inputs, model.new_outputs(), ws, 0),
                     KILN_ERROR_WORKSPACE_TOO_SMALL, ["workspace"])

        # Nothing sticks: good calls still work, and agree.
        a, b = model.new_outputs(), model.new_outputs()
        status = model.run(inputs, a, ws)
        check(status == KILN_OK, "m_run after the errors returned %d: %s"
              % (status, model.last_error()))
        status = model.run_generic(inputs, b, ws, size)
        check(status == KILN_OK,
              "kiln_model_run after the errors returned %d: %s"
              % (status, model.last_error()))
        for (name, _), x, y in zip(model.outputs, a, b):
            check(not np.isnan(x).any(), "output '%s' has NaNs" % name)
            check(np.array_equal(x, y), "output '%s' differs" % name)
        # A larger workspace than needed is fine.
        status = model.run_generic(inputs, b, ws, size + 64)
        check(status == KILN_OK, "kiln_model_run with a larger workspace "
              "returned %d: %s" % (status, model.last_error()))
    finally:
        model.lib.kiln_aligned_free(ws)
    print("PASS: bad calls rejected, good calls unaffected")


def sanitizer_flags(build_dir):
    """-fsanitize flags when build_dir's runtime is instrumented."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("KILN_ENABLE_SANITIZERS:"):
                    value = line.split("=", 1)[1].strip().upper()
                    if value in ("ON", "TRUE", "YES", "Y", "1"):
                        return ["-fsanitize=address,undefined"]
    except OSError:
        pass
    return []


def cmd_threads(args):
    libdir = compile_model(args)
    cc = os.environ.get("CC", "cc")
    exe = os.path.join(args.workdir, "threads")
    cmd = [cc] + sanitizer_flags(args.kiln_build) + [
           "-std=c11", "-O2", "-Wall", "-Werror", "-pthread",
           "-I", libdir, "-I", os.path.join(args.kiln_src, "runtime", "include"),
           os.path.join(HERE, "threads.c"), "-o", exe,
           os.path.join(libdir, "libm.a"),
           os.path.join(args.kiln_build, "lib", "libkiln_runtime.a"),
           "-lstdc++", "-lm"]
    print("$ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    check(result.returncode == 0, "building threads.c failed:\n" +
          result.stdout)
    print("$ " + exe, flush=True)
    result = subprocess.run([exe], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    print(result.stdout.rstrip())
    check(result.returncode == 0, "threads exited with status %d"
          % result.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command",
                        choices=["compare", "errors", "threads", "bisect"])
    parser.add_argument("model", help="the .onnx model")
    parser.add_argument("--workdir", required=True,
                        help="scratch directory (created)")
    parser.add_argument("--kiln-src", default=os.path.dirname(
        os.path.dirname(HERE)), help="the source tree (runtime headers)")
    parser.add_argument("--kiln-build", default=None,
                        help="the build tree (bin/kiln, lib/); default: "
                        "<kiln-src>/build")
    parser.add_argument("--compile-arg", action="append", default=[],
                        help="an extra `kiln compile` argument (repeatable)")
    parser.add_argument("--seed", type=int, default=1234,
                        help="seed of the random inputs")
    args = parser.parse_args()
    if args.kiln_build is None:
        args.kiln_build = os.path.join(args.kiln_src, "build")
    os.makedirs(args.workdir, exist_ok=True)
    try:
        {"compare": cmd_compare, "errors": cmd_errors,
         "threads": cmd_threads, "bisect": cmd_bisect}[args.command](args)
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
