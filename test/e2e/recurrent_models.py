#!/usr/bin/env python3
"""Writes the ONNX models of Kiln's recurrent end-to-end tests (test/e2e).

Built like models.py (its Builder, opset 17, IR version 8, seeded weights,
onnx.checker full_check); run_e2e.py compares Kiln with onnxruntime:

  lstm_bidirectional  x f32[5,3,4] -> LSTM bidirectional, hidden 6, with B,
                      initial_h, initial_c, peepholes P, clip 2.5 and constant
                      sequence_lens [5, 2, 4] (masked steps)
                      -> y f32[5,2,3,6], y_h f32[2,3,6], y_c f32[2,3,6]
  gru_batch           x f32[5,3,4] (batch 3) -> GRU forward with
                      linear_before_reset, B, initial_h -> GRU reverse
                      (linear_before_reset 0) on the first GRU's output
                      -> y f32[5,1,3,6], y_h f32[1,3,6], z f32[5,1,3,6]
                      (onnxruntime does not implement layout 1; the ONNX
                      *_batchwise conformance tests cover it)
  rnn_activations     x f32[4,2,3] -> RNN bidirectional with LeakyRelu and
                      ScaledTanh (activation_alpha / activation_beta), LSTM
                      with HardSigmoid/Elu/Softsign and input_forget, GRU with
                      Affine/ThresholdedRelu and Softplus/Relu
                      -> the three layers' Y and Y_h
  einsum_mix          q f32[2,3,4,5], k f32[2,3,6,5], m f32[3,4,4],
                      n f32[4,2,4] -> Einsum
                      'bhqd,bhkd->bhqk' (batched matmul), '...ii->...i'
                      (diagonal), 'bhqd,de,hq->beh' (three operands, two of
                      them weights), 'bhqd' (implicit transpose to 'bdhq'),
                      'i...i' on n (trace over the ends, '...' kept)
  lens_runtime        x f32[4,3,2], lens i32[3] (a graph input, so masked at
                      run time) -> bidirectional LSTM and GRU with B and
                      initial_h -> lstm_y, lstm_h, gru_y, gru_h; written with
                      DIR/lens_runtime.x.npy and DIR/lens_runtime.lens.npy
                      (lengths 4, 1, 2)

Usage:
    recurrent_models.py -o DIR [NAME...]   write DIR/NAME.onnx
    recurrent_models.py --compare MODEL INPUT_DIR OUTPUT_DIR
        runs MODEL in onnxruntime on INPUT_DIR/<model>.<input>.npy and
        compares every output with OUTPUT_DIR/<output>.npy (kiln run's
        files; rtol 1e-4, atol 1e-5); run_e2e.py feeds float inputs only
"""

import argparse
import os
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import SEED, Builder  # noqa: E402


def _layer(b, op, prefix, x, n_in, hidden, gates, directions, outputs,
           extra_inputs=(), **attrs):
    w = b.around(prefix + ".W", [directions, gates * hidden, n_in], 0.0, 0.5)
    r = b.around(prefix + ".R", [directions, gates * hidden, hidden], 0.0, 0.5)
    node = onnx.helper.make_node(op, [x, w, r] + list(extra_inputs),
                                 outputs, name=prefix, hidden_size=hidden,
                                 **attrs)
    b.nodes.append(node)


def lstm_bidirectional():
    b = Builder("lstm_bidirectional", SEED + 101)
    seq, batch, n_in, hidden = 5, 3, 4, 6
    bias = b.around("lstm.B", [2, 8 * hidden], 0.0, 0.3)
    lens = b.const("lstm.sequence_lens", np.array([5, 2, 4], np.int32))
    h0 = b.around("lstm.initial_h", [2, batch, hidden], 0.0, 0.5)
    c0 = b.around("lstm.initial_c", [2, batch, hidden], 0.0, 0.5)
    p = b.around("lstm.P", [2, 3 * hidden], 0.0, 0.5)
    _layer(b, "LSTM", "lstm", "x", n_in, hidden, 4, 2, ["y", "y_h", "y_c"],
           [bias, lens, h0, c0, p], direction="bidirectional", clip=2.5)
    return b.model([("x", [seq, batch, n_in])],
                   [("y", [seq, 2, batch, hidden]),
                    ("y_h", [2, batch, hidden]), ("y_c", [2, batch, hidden])],
                   "bidirectional LSTM with peepholes, clip, sequence_lens")


def gru_batch():
    b = Builder("gru_batch", SEED + 102)
    seq, batch, n_in, hidden = 5, 3, 4, 6
    bias = b.around("gru0.B", [1, 6 * hidden], 0.0, 0.3)
    h0 = b.around("gru0.initial_h", [1, batch, hidden], 0.0, 0.5)
    _layer(b, "GRU", "gru0", "x", n_in, hidden, 3, 1, ["y", "y_h"],
           [bias, "", h0], linear_before_reset=1)
    flat = b.op("Reshape", ["y", b.const("shape", np.array(
        [seq, batch, hidden], np.int64))], "flat")
    _layer(b, "GRU", "gru1", flat, hidden, hidden, 3, 1, ["z", ""],
           direction="reverse")
    return b.model([("x", [seq, batch, n_in])],
                   [("y", [seq, 1, batch, hidden]), ("y_h", [1, batch, hidden]),
                    ("z", [seq, 1, batch, hidden])],
                   "two GRUs, batch 3")


def rnn_activations():
    b = Builder("rnn_activations", SEED + 103)
    seq, batch, n_in, hidden = 4, 2, 3, 5
    _layer(b, "RNN", "rnn", "x", n_in, hidden, 1, 2, ["rnn_y", "rnn_h"],
           direction="bidirectional", activations=["LeakyRelu", "ScaledTanh"],
           activation_alpha=[0.2, 0.7], activation_beta=[1.5])
    _layer(b, "LSTM", "lstm", "x", n_in, hidden, 4, 1, ["lstm_y", "lstm_h"],
           activations=["HardSigmoid", "Elu", "Softsign"],
           activation_alpha=[0.3, 0.9], activation_beta=[0.4], input_forget=1)
    _layer(b, "GRU", "gru", "x", n_in, hidden, 3, 2, ["gru_y", "gru_h"],
           direction="bidirectional",
           activations=["Affine", "ThresholdedRelu", "Softplus", "Relu"],
           activation_alpha=[0.5, 0.1], activation_beta=[0.25])
    return b.model([("x", [seq, batch, n_in])],
                   [("rnn_y", [seq, 2, batch, hidden]),
                    ("rnn_h", [2, batch, hidden]),
                    ("lstm_y", [seq, 1, batch, hidden]),
                    ("lstm_h", [1, batch, hidden]),
                    ("gru_y", [seq, 2, batch, hidden]),
                    ("gru_h", [2, batch, hidden])],
                   "parameterized activations of RNN, LSTM and GRU")


def einsum_mix():
    b = Builder("einsum_mix", SEED + 104)
    w = b.around("w", [5, 7], 0.0, 0.5)
    v = b.around("v", [3, 4], 0.0, 0.5)
    for eq, ins, out in [("bhqd,bhkd->bhqk", ["q", "k"], "scores"),
                         ("...ii->...i", ["m"], "diagonal"),
                         ("bhqd,de,hq->beh", ["q", w, v], "mixed"),
                         ("bhqd", ["q"], "implicit"),
                         ("i...i", ["n"], "trace")]:
        b.nodes.append(onnx.helper.make_node("Einsum", ins, [out], name=out,
                                             equation=eq))
    return b.model([("q", [2, 3, 4, 5]), ("k", [2, 3, 6, 5]), ("m", [3, 4, 4]),
                    ("n", [4, 2, 4])],
                   [("scores", [2, 3, 4, 6]), ("diagonal", [3, 4]),
                    ("mixed", [2, 7, 3]), ("implicit", [2, 5, 3, 4]),
                    ("trace", [2])],
                   "Einsum equations")


def lens_runtime(output_dir=None):
    b = Builder("lens_runtime", SEED + 105)
    seq, batch, n_in, hidden = 4, 3, 2, 3
    for op, gates in [("LSTM", 4), ("GRU", 3)]:
        p = op.lower()
        bias = b.around(p + ".B", [2, 2 * gates * hidden], 0.0, 0.5)
        h0 = b.around(p + ".initial_h", [2, batch, hidden], 0.0, 0.5)
        _layer(b, op, p, "x", n_in, hidden, gates, 2, [p + "_y", p + "_h"],
               [bias, "lens", h0], direction="bidirectional")
    graph = onnx.helper.make_graph(
        b.nodes, b.name,
        [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT,
                                            [seq, batch, n_in]),
         onnx.helper.make_tensor_value_info("lens", onnx.TensorProto.INT32,
                                            [batch])],
        [onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, s)
         for n, s in [("lstm_y", [seq, 2, batch, hidden]),
                      ("lstm_h", [2, batch, hidden]),
                      ("gru_y", [seq, 2, batch, hidden]),
                      ("gru_h", [2, batch, hidden])]],
        initializer=b.initializers)
    model = onnx.helper.make_model(
        graph, opset_imports=[onnx.helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model, full_check=True)
    if output_dir:
        np.save(os.path.join(output_dir, "lens_runtime.x.npy"),
                b.rng.standard_normal([seq, batch, n_in]).astype(np.float32))
        np.save(os.path.join(output_dir, "lens_runtime.lens.npy"),
                np.array([4, 1, 2], np.int32))
    return model


def compare(model_path, input_dir, output_dir):
    import onnxruntime as ort
    stem = os.path.splitext(os.path.basename(model_path))[0]
    session = ort.InferenceSession(model_path,
                                   providers=["CPUExecutionProvider"])
    feed = {i.name: np.load(os.path.join(input_dir,
                                         "%s.%s.npy" % (stem, i.name)))
            for i in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    ok = True
    for name, want in zip(names, session.run(names, feed)):
        got = np.load(os.path.join(output_dir, name + ".npy"))
        good = got.shape == want.shape and np.all(
            np.abs(got - want) <= 1e-5 + 1e-4 * np.abs(want))
        ok &= bool(good)
        print("%s %s: max abs error %.3g, %s"
              % (name, list(want.shape),
                 np.abs(got - want).max() if got.shape == want.shape
                 else float("inf"), "ok" if good else "MISMATCH"))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


MODELS = {
    "lstm_bidirectional": lstm_bidirectional,
    "gru_batch": gru_batch,
    "rnn_activations": rnn_activations,
    "einsum_mix": einsum_mix,
    "lens_runtime": lens_runtime,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output-dir")
    parser.add_argument("--compare", nargs=3,
                        metavar=("MODEL", "INPUT_DIR", "OUTPUT_DIR"))
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.output_dir:
        parser.error("-o DIR is required")
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        parser.error("unknown model(s) %s; one of %s"
                     % (", ".join(unknown), ", ".join(MODELS)))
    os.makedirs(args.output_dir, exist_ok=True)
    for name in args.names or MODELS:
        path = os.path.join(args.output_dir, name + ".onnx")
        model = (lens_runtime(args.output_dir) if name == "lens_runtime"
                 else MODELS[name]())
        onnx.save(model, path)
        print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
