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

Usage: gen_onnx_node_suite.py -o OUT
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
    args = parser.parse_args()
    out_dir = os.path.join(args.output, "onnx-node")
    os.makedirs(out_dir, exist_ok=True)
    with warnings.catch_warnings():
        # Some generators divide by zero on purpose (inf/nan references).
        warnings.simplefilter("ignore")
        cases = node_cases.collect_testcases()
    for case in cases:
        write_case(case, out_dir)
    print(f"wrote {len(cases)} node tests of onnx {onnx.__version__} "
          f"to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
