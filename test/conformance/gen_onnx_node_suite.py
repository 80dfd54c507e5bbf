#!/usr/bin/env python3
"""Writes the ONNX node test suite of the installed `onnx` package to disk.

The `onnx` wheel on PyPI ships the node tests as Python generators
(onnx/backend/test/case/node/*.py, each computing its reference outputs with
numpy or onnx.reference) rather than as data files, and it is newer than
Debian's libonnx-testdata. This script materializes every case in the layout
run_node_suite.py reads:

  OUT/onnx-node/<test>/model.onnx
  OUT/onnx-node/<test>/test_data_set_<k>/input_<i>.pb, output_<i>.pb

Inputs and outputs that are not tensors (sequences, optionals, maps) are
written with numpy_helper's from_list / from_optional / from_dict; Kiln does
not support them and such tests are out of scope (see scope.py).

With --skip-identical-to DIR (Debian's node suite), a test whose model.onnx
is byte-identical to DIR/<test>/model.onnx is not written: it is the same
test, already run there (about a quarter of the suite).

Usage: gen_onnx_node_suite.py -o OUT [--skip-identical-to DIR]
"""

import argparse
import os
import shutil
import sys
import warnings

import onnx
from onnx import numpy_helper
import onnx.backend.test.case.node as node_cases


def to_proto(value, value_info):
    """The protobuf message for one input or output value."""
    kind = value_info.type.WhichOneof("value")
    if kind == "sequence_type":
        return numpy_helper.from_list(value, value_info.name)
    if kind == "optional_type":
        return numpy_helper.from_optional(value, value_info.name)
    if kind == "map_type":
        return numpy_helper.from_dict(value, value_info.name)
    if isinstance(value, onnx.TensorProto):
        return value
    return numpy_helper.from_array(value, value_info.name)


def is_identical(case, other_dir):
    """True when other_dir holds the same model (byte for byte)."""
    path = os.path.join(other_dir, "model.onnx")
    if not os.path.exists(path):
        return False
    with open(path, "rb") as f:
        return f.read() == case.model.SerializeToString()


def write_case(case, out_dir):
    test_dir = os.path.join(out_dir, case.name)
    if os.path.exists(test_dir):
        shutil.rmtree(test_dir)
    os.makedirs(test_dir)
    with open(os.path.join(test_dir, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    graph = case.model.graph
    for k, (inputs, outputs) in enumerate(case.data_sets):
        data_dir = os.path.join(test_dir, f"test_data_set_{k}")
        os.makedirs(data_dir)
        for kind, values, infos in (("input", inputs, graph.input),
                                    ("output", outputs, graph.output)):
            for i, value in enumerate(values):
                path = os.path.join(data_dir, f"{kind}_{i}.pb")
                with open(path, "wb") as f:
                    f.write(to_proto(value, infos[i]).SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True,
                        help="directory to write OUT/onnx-node into")
    parser.add_argument("--skip-identical-to", metavar="DIR",
                        help="leave out tests whose model is the same as "
                             "DIR/<test>/model.onnx")
    args = parser.parse_args()
    out_dir = os.path.join(args.output, "onnx-node")
    os.makedirs(out_dir, exist_ok=True)
    with warnings.catch_warnings():
        # Some generators divide by zero on purpose (inf/nan references).
        warnings.simplefilter("ignore")
        cases = node_cases.collect_testcases()
    written = 0
    for case in cases:
        if args.skip_identical_to and is_identical(
                case, os.path.join(args.skip_identical_to, case.name)):
            continue
        write_case(case, out_dir)
        written += 1
    print(f"wrote {written} of the {len(cases)} node tests of onnx "
          f"{onnx.__version__} to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
