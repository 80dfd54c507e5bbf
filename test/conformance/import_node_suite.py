#!/usr/bin/env python3
"""Imports every model of an ONNX backend test suite with `kiln compile`.

For each test directory under --data DIR (one holding a model.onnx, as in
Debian's libonnx-testdata: /usr/share/libonnx-testdata/data/{node,simple,...})
it runs

    kiln compile DIR/<test>/model.onnx --emit=kiln -o /dev/null

and classifies the outcome:

  imported     exit status 0
  unsupported  exit status 1, and stderr says "unsupported ONNX ..." (operators,
               data types, value kinds Kiln does not handle)
  error        exit status 1 with another diagnostic
  crash        killed by a signal, any other exit status, a timeout, or stderr
               showing an assertion, a stack dump, a sanitizer report or an
               LLVM fatal error (even with exit status 0 or 1)

It writes a Markdown table (test, outcome, first line of stderr) to --report,
prints counts, and exits 1 if any test crashed or reported an `error` that is
not listed in --allow-errors. That file holds one test name per line followed
by the reason it is expected to fail; lines starting with `#` are comments.

Exit status: 0 clean, 1 crash or unexpected error, 2 bad usage.
Python 3 standard library only.
"""

import argparse
import concurrent.futures
import os
import shutil
import signal
import subprocess
import sys

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"
OUTCOMES = ("imported", "unsupported", "error", "crash")
# Every "valid ONNX, but not supported by Kiln" diagnostic starts with this
# phrase (kUnsupportedPrefix in compiler/frontends/onnx/OnnxImporter.h):
# "unsupported ONNX operators: Foo (nodes: a, b), ...", "unsupported ONNX data
# type string", ...
UNSUPPORTED_MARKER = "unsupported ONNX"
# Text that means the compiler died rather than diagnosed: LLVM's crash
# handler, assert(), sanitizers (ASan exits with status 1 by default, so the
# status alone does not show it), report_fatal_error, llvm_unreachable.
CRASH_MARKERS = (
    "PLEASE submit a bug report",
    "Assertion",
    "Stack dump",
    "Sanitizer",
    "LLVM ERROR:",
    "UNREACHABLE executed",
)


class Result:
    def __init__(self, name, outcome, detail):
        self.name = name
        self.outcome = outcome
        self.detail = detail


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def classify(returncode, stderr, timed_out=False):
    """Returns (outcome, detail) for one finished `kiln compile`."""
    if timed_out:
        return "crash", "timed out"
    for marker in CRASH_MARKERS:
        if marker in stderr:
            # The marker line says more than the first line does.
            line = next(l for l in stderr.splitlines() if marker in l)
            return "crash", line.strip()
    if returncode < 0:
        try:
            sig = signal.Signals(-returncode).name
        except ValueError:
            sig = "signal %d" % -returncode
        return "crash", "killed by %s" % sig
    if returncode == 0:
        return "imported", first_line(stderr)
    if returncode == 1:
        if UNSUPPORTED_MARKER in stderr:
            return "unsupported", first_line(stderr)
        return "error", first_line(stderr) or "exit status 1, no diagnostic"
    detail = first_line(stderr)
    return "crash", "exit status %d%s" % (returncode,
                                          ": " + detail if detail else "")


def run_one(kiln, data, name, timeout):
    model = os.path.join(data, name, "model.onnx")
    cmd = [kiln, "compile", model, "--emit=kiln", "-o", os.devnull]
    # Own process group, so a timeout also ends anything kiln started (an
    # llvm-symbolizer, say) that would otherwise hold stderr open.
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, stderr = proc.communicate()
        timed_out = True
    stderr = stderr.decode("utf-8", "replace")
    return Result(name, *classify(proc.returncode, stderr, timed_out))


def find_tests(data):
    return sorted(entry for entry in os.listdir(data)
                  if os.path.isfile(os.path.join(data, entry, "model.onnx")))


def read_allow_list(path):
    """Maps test name -> reason from an expectations file."""
    allowed = {}
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            # Whole-line comments only: reasons may quote node names like '#0'.
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(None, 1)
            if len(fields) < 2:
                raise ValueError("%s:%d: '%s' needs a reason after the test "
                                 "name" % (path, lineno, fields[0]))
            allowed[fields[0]] = fields[1]
    return allowed


def md_cell(text):
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")


def write_report(path, data, results):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Import of %s\n\n" % data)
        counts = count(results)
        f.write(", ".join("%s: %d" % (o, counts[o]) for o in OUTCOMES))
        f.write(" (of %d)\n\n" % len(results))
        f.write("| test | outcome | stderr: first line (for a crash, the line showing it) |\n")
        f.write("|---|---|---|\n")
        for r in results:
            f.write("| %s | %s | %s |\n" % (r.name, r.outcome, md_cell(r.detail)))


def count(results):
    counts = dict.fromkeys(OUTCOMES, 0)
    for r in results:
        counts[r.outcome] += 1
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--data", default=DEFAULT_DATA, metavar="DIR",
                        help="directory of test_* dirs (default: %(default)s)")
    parser.add_argument("--kiln", required=True,
                        help="the kiln binary (a path or a name on PATH)")
    parser.add_argument("--report", metavar="FILE",
                        help="write the Markdown table here")
    parser.add_argument("--allow-errors", metavar="FILE",
                        help="tests whose `error` outcome is expected")
    parser.add_argument("--jobs", type=int, default=2,
                        help="models imported in parallel (default: 2)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds per model (default: 60)")
    args = parser.parse_args(argv)
    data = args.data
    prog = "import_node_suite"

    kiln = shutil.which(args.kiln)
    if not kiln:
        print("%s: error: kiln binary '%s' not found" % (prog, args.kiln),
              file=sys.stderr)
        return 2
    if not os.path.isdir(data):
        print("%s: error: no test data directory %s" % (prog, data),
              file=sys.stderr)
        return 2
    allowed = {}
    if args.allow_errors:
        try:
            allowed = read_allow_list(args.allow_errors)
        except (OSError, ValueError) as e:
            print("%s: error: %s" % (prog, e), file=sys.stderr)
            return 2

    tests = find_tests(data)
    if not tests:
        print("%s: error: no */model.onnx under %s" % (prog, data),
              file=sys.stderr)
        return 2

    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(
            lambda name: run_one(kiln, data, name, args.timeout), tests))

    if args.report:
        write_report(args.report, data, results)

    crashes = [r for r in results if r.outcome == "crash"]
    unexpected = [r for r in results
                  if r.outcome == "error" and r.name not in allowed]
    # Allow-list entries for tests that no longer fail with `error` (or do
    # not exist here) are stale; say so, so the list can shrink.
    outcome_of = {r.name: r.outcome for r in results}
    stale = sorted(n for n in allowed if outcome_of.get(n, "error") != "error")

    counts = count(results)
    print("%s: %s: %d tests: %s" % (
        prog, data, len(results),
        ", ".join("%d %s" % (counts[o], o) for o in OUTCOMES)))
    for r in crashes:
        print("CRASH: %s: %s" % (r.name, r.detail))
    for r in unexpected:
        print("UNEXPECTED ERROR: %s: %s" % (r.name, r.detail))
    for name in stale:
        print("note: %s is in the allow list but outcome is %s; remove it"
              % (name, outcome_of[name]))
    if crashes or unexpected:
        print("%s: FAILED: %d crash, %d unexpected error" % (
            prog, len(crashes), len(unexpected)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
