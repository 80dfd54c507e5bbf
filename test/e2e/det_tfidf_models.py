#!/usr/bin/env python3
"""Writes the ONNX models of Kiln's Det and TfIdfVectorizer end-to-end tests
(test/e2e).

Built with models.py's Builder (opset 17); run_e2e.py compares Kiln with onnxruntime on
seeded standard-normal float32 inputs (every output is float32).

  det     x f32[4,6,6] (opset 17) ->
            det       Det of the batch of random matrices (pivoting happens)
            det_zero  Det with the [0, 0] entries zeroed (a swap is forced)
            det_sing  Det of matrices whose rows 0 and 1 are equal (0)
            det_1x1   Det of x[:, :1, :1]
  tfidf   x f32[3,12] (opset 17): tokens = Cast(Floor(|x| * 3)) as int64
          (values 0..~9, so n-grams repeat) ->
            tf        TF, unigrams and bigrams, max_skip_count 2
            idf       IDF with weights, bigrams only, no skips
            tfidf     TFIDF with weights, unigrams to trigrams, 1-D input
                      (the first row), max_skip_count 1

Usage:
    det_tfidf_models.py -o DIR [NAME...]   write DIR/NAME.onnx
"""

import os
import sys

import numpy as np
from onnx import TensorProto

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import SEED, Builder, write_models  # noqa: E402


def _slice(b, x, starts, ends, axes):
    return b.op("Slice", [x, b.const(b.fresh("s"), np.array(starts)),
                          b.const(b.fresh("e"), np.array(ends)),
                          b.const(b.fresh("a"), np.array(axes))])


def det():
    b = Builder("det", SEED + 301)
    b.output("Det", ["x"], "det")
    mask = np.ones([1, 6, 6], np.float32)
    mask[0, 0, 0] = 0
    zeroed = b.op("Mul", ["x", b.const("mask", mask)])
    b.output("Det", [zeroed], "det_zero")
    row0 = _slice(b, "x", [0], [1], [1])
    rest = _slice(b, "x", [1], [5], [1])
    singular = b.op("Concat", [row0, row0, rest], axis=1)
    b.output("Det", [singular], "det_sing")
    b.output("Det", [_slice(b, "x", [0, 0], [1, 1], [1, 2])], "det_1x1")
    return b.model([("x", [4, 6, 6])],
                   [("det", [4]), ("det_zero", [4]), ("det_sing", [4]),
                    ("det_1x1", [4])],
                   "Det with pivoting, a forced swap and singular matrices")


def tfidf():
    b = Builder("tfidf", SEED + 302)
    scaled = b.op("Mul", [b.op("Abs", ["x"]),
                          b.const("three", np.float32(3.0))])
    tokens = b.op("Cast", [b.op("Floor", [scaled])], to=TensorProto.INT64)
    # Pool: unigrams 0..4, bigrams (0,1) (1,0) (2,2) (3,1), trigram (0,1,0).
    pool = [0, 1, 2, 3, 4, 0, 1, 1, 0, 2, 2, 3, 1, 0, 1, 0]
    counts = [0, 5, 13]
    indexes = [4, 3, 2, 1, 0, 5, 6, 7, 8, 9]
    weights = [0.5, 1.5, 2.0, 0.25, 1.0, 3.0, 0.75, 1.25, 2.5, 0.1]
    common = dict(pool_int64s=pool, ngram_counts=counts,
                  ngram_indexes=indexes)
    tf = b.op("TfIdfVectorizer", [tokens], mode="TF", min_gram_length=1,
              max_gram_length=2, max_skip_count=2, **common)
    b.output("Identity", [tf], "tf")
    idf = b.op("TfIdfVectorizer", [tokens], mode="IDF", min_gram_length=2,
               max_gram_length=2, max_skip_count=0, weights=weights,
               **common)
    b.output("Identity", [idf], "idf")
    row = b.op("Reshape", [_slice(b, tokens, [0], [1], [0]),
                           b.const("flat", np.array([12]))])
    b.output("TfIdfVectorizer", [row], "tfidf", mode="TFIDF",
         min_gram_length=1, max_gram_length=3, max_skip_count=1,
         weights=weights, **common)
    return b.model([("x", [3, 12])],
                   [("tf", [3, 10]), ("idf", [3, 10]), ("tfidf", [10])],
                   "TfIdfVectorizer in TF, IDF and TFIDF modes with skips")


MODELS = {"det": det, "tfidf": tfidf}


if __name__ == "__main__":
    sys.exit(write_models(MODELS, __doc__))
