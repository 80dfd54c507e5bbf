#!/usr/bin/env python3
"""Which ONNX backend tests are out of Kiln's scope, and why.

Kiln compiles inference graphs of tensors in the default ONNX domain. A test
is out of scope, for the reason given, when its model (subgraphs included)

  training   uses an ai.onnx.preview.training operator, or runs
             BatchNormalization / Dropout in training mode
  random     draws random numbers (Bernoulli, RandomNormal[Like],
             RandomUniform[Like], Multinomial): the reference values come
             from one particular generator and cannot be matched
  strings    has string tensors (graph values or string operators)
  sequences  has sequence, optional or map values (Sequence*, Optional*,
             SplitToSequence, ConcatFromSequence, ...)
  domain     uses an operator of another domain (ai.onnx.ml, com.microsoft,
             ...)

Everything else is in scope: a goal, passing or listed in
known-failures.txt with its reason.

`scope.py --write FILE --data SUITE...` writes the checked-in list
(out-of-scope.txt: `suite/test  # reason` lines); run_node_suite.py reads it
and skips those tests, and `scope.py --check FILE --data SUITE...` fails
when the list is not what the rules give (a test of scope-current.test).
"""

import argparse
import glob
import os
import sys

import onnx

DEFAULT_DOMAINS = ("", "ai.onnx")
TRAINING_DOMAIN = "ai.onnx.preview.training"
RANDOM_OPS = {"Bernoulli", "RandomNormal", "RandomNormalLike",
              "RandomUniform", "RandomUniformLike", "Multinomial"}
STRING_OPS = {"StringNormalizer", "StringConcat", "StringSplit",
              "RegexFullMatch"}
SEQUENCE_OPS = {"SequenceAt", "SequenceConstruct", "SequenceEmpty",
                "SequenceErase", "SequenceInsert", "SequenceLength",
                "SequenceMap", "SplitToSequence", "ConcatFromSequence",
                "Optional", "OptionalGetElement", "OptionalHasElement"}
REASONS = {
    "training": "training: optimizer/gradient operators or training mode",
    "random": "random: the reference comes from one random generator",
    "strings": "strings: string tensors",
    "sequences": "sequences: sequence, optional or map values",
    "domain": "domain: operators outside the default ONNX domain",
}


def graphs(graph):
    """`graph` and every subgraph of its nodes' attributes."""
    yield graph
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("g"):
                yield from graphs(attr.g)
            for g in attr.graphs:
                yield from graphs(g)


def value_kind(type_proto):
    kind = type_proto.WhichOneof("value")
    if kind == "tensor_type":
        if type_proto.tensor_type.elem_type == onnx.TensorProto.STRING:
            return "strings"
        return None
    if kind in ("sequence_type", "optional_type", "map_type"):
        return "sequences"
    return None


def is_training_mode(node):
    if node.op_type == "BatchNormalization":
        return any(a.name == "training_mode" and a.i for a in node.attribute)
    if node.op_type == "Dropout":
        # Opset 12+: the third input is training_mode.
        return len(node.input) > 2 and node.input[2] != ""
    return False


def classify(model):
    """The out-of-scope category of `model`, or None."""
    found = set()
    for graph in graphs(model.graph):
        for value in list(graph.input) + list(graph.output) + list(
                graph.value_info):
            kind = value_kind(value.type)
            if kind:
                found.add(kind)
        for tensor in graph.initializer:
            if tensor.data_type == onnx.TensorProto.STRING:
                found.add("strings")
        for node in graph.node:
            if node.domain == TRAINING_DOMAIN or is_training_mode(node):
                found.add("training")
            elif node.domain not in DEFAULT_DOMAINS:
                found.add("domain")
            elif node.op_type in RANDOM_OPS:
                found.add("random")
            elif node.op_type in STRING_OPS:
                found.add("strings")
            elif node.op_type in SEQUENCE_OPS:
                found.add("sequences")
            elif node.op_type in ("Cast", "CastLike") and any(
                    a.name == "to" and a.i == onnx.TensorProto.STRING
                    for a in node.attribute):
                found.add("strings")
    for kind in REASONS:  # the first in REASONS order
        if kind in found:
            return kind
    return None


def collect(suites):
    """{suite/test: category} of the out-of-scope tests of `suites`."""
    result = {}
    for suite in suites:
        suite_name = os.path.basename(suite.rstrip("/"))
        for path in sorted(glob.glob(os.path.join(suite, "*", "model.onnx"))):
            name = f"{suite_name}/{os.path.basename(os.path.dirname(path))}"
            try:
                model = onnx.load(path, load_external_data=False)
            except Exception as error:  # a broken model is in scope
                print(f"note: {name}: cannot load: {error}", file=sys.stderr)
                continue
            kind = classify(model)
            if kind:
                result[name] = kind
    return result


def format_list(tests):
    lines = ["# ONNX backend tests outside Kiln's scope, with the reason.",
             "# Generated by test/conformance/scope.py --write (see its rules);"
             " do not edit."]
    width = max((len(n) for n in tests), default=0)
    for name in sorted(tests):
        lines.append(f"{name.ljust(width)}  # {REASONS[tests[name]]}")
    return "\n".join(lines) + "\n"


def read_list(path):
    """{suite/test: reason} from an out-of-scope.txt."""
    tests = {}
    with open(path) as f:
        for line in f:
            name, _, reason = line.partition("#")
            if name.strip():
                tests[name.strip()] = reason.strip()
    return tests


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[],
                        help="a suite directory (repeatable)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="FILE")
    group.add_argument("--check", metavar="FILE")
    args = parser.parse_args()
    text = format_list(collect(args.data))
    if args.write:
        with open(args.write, "w") as f:
            f.write(text)
        print(f"wrote {args.write}")
        return 0
    with open(args.check) as f:
        current = f.read()
    if current != text:
        print(f"{args.check} is not what scope.py's rules give; run "
              f"scope.py --write {args.check} with the same --data")
        return 1
    print(f"{args.check} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
