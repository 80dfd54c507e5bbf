#!/usr/bin/python3
"""Sweeps PyTorch-exported models through Kiln and compares with PyTorch.

Runs under Debian's /usr/bin/python3 (python3-torch 1.13, torchvision 0.14),
like export_models.py. For every model in the sweep and every opset asked
for (13 and 17 by default; 11 as well with --opsets 11,13,17, where only
models whose opset-11 graph differs from the opset-13 one are compiled) it

  1. builds the model with seeded random weights (BatchNorm statistics
     estimated from random batches, as export_models.py does), runs it in
     PyTorch and exports it with torch.onnx.export;
  2. compiles and runs it with `kiln run` (symbolic dimensions pinned with
     --dim or --input-shape, as a user would);
  3. compares every output with PyTorch's: |kiln - torch| <= atol + rtol *
     |torch|, rtol 1e-3, atol 1e-4 x the output's largest magnitude (the
     model suite's tolerance).

Prints one line per model and opset:

  PASS name@opN: ...            every output within tolerance
  MISMATCH name@opN: ...        kiln ran, some element is off
  COMPILE-ERROR name@opN: ...   `kiln run` failed: its first error line
  TIMEOUT name@opN: ...         compile+run took longer than --timeout
  EXPORT-ERROR name@opN: ...    PyTorch could not export the model
  SAME-AS-13 name@op11          (--opsets with 11) nothing to compile

and exits non-zero when any model fails.

Usage: sweep_models.py [--kiln KILN] [--work DIR] [--opsets 13,17]
                       [--timeout S] [--list] [NAME ...]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import calibrate_batchnorm  # noqa: E402

SEED = 20261125
RTOL, ATOL_SCALE = 1e-3, 1e-4

# Operators whose signature or semantics changed between opsets 11 and 13
# (attributes that became inputs, Softmax's axis): an opset-11 export that
# uses one of them is compiled even when its operator list matches 13's.
CHANGED_SINCE_11 = {"Squeeze", "Unsqueeze", "Split", "ReduceSum", "Softmax",
                    "LogSoftmax", "Hardmax", "Resize", "Pad", "Clip"}


def image(*shape):
    return lambda: [torch.randn(*shape)]


class Segmentation(nn.Module):
    """torchvision's segmentation models return a dict; export its 'out'."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def vision(name, shape=(1, 3, 64, 64), **kwargs):
    make = getattr(torchvision.models, name)
    return dict(make=lambda: make(weights=None, **kwargs), inputs=image(*shape),
                doc=f"torchvision {name}, {'x'.join(map(str, shape))}")


def segmentation(name, shape=(1, 3, 64, 64)):
    make = getattr(torchvision.models.segmentation, name)
    return dict(make=lambda: Segmentation(make(weights=None,
                                               weights_backbone=None)),
                inputs=image(*shape),
                doc=f"torchvision segmentation {name}, "
                    f"{'x'.join(map(str, shape))}")


def vit_b_16():
    model = torchvision.models.vit_b_16(weights=None)
    # The classifier head is zero-initialized: random values keep the
    # logits from being trivially zero.
    nn.init.normal_(model.heads.head.weight, std=0.02)
    nn.init.normal_(model.class_token, std=0.02)
    return model


# ---------------------------------------------------------------------------
# torch.nn building blocks.


class Transformer(nn.Module):
    def __init__(self, batch_first, decoder):
        super().__init__()
        self.decoder = decoder
        if decoder:
            layer = nn.TransformerDecoderLayer(64, 4, 128, dropout=0.0,
                                               batch_first=batch_first)
            self.net = nn.TransformerDecoder(layer, 2)
        else:
            layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0,
                                               batch_first=batch_first)
            self.net = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

        # The causal mask as a constant (torch.triu exports only from
        # opset 14 on).
        self.register_buffer("causal", torch.triu(
            torch.full((10, 10), float("-inf")), diagonal=1))

    def forward(self, x, memory=None):
        if self.decoder:
            return self.net(x, memory, tgt_mask=self.causal)
        return self.net(x)


def transformer(batch_first, decoder):
    def inputs():
        shape = (2, 10, 64) if batch_first else (10, 2, 64)
        mem = (2, 12, 64) if batch_first else (12, 2, 64)
        return [torch.randn(*shape)] + ([torch.randn(*mem)] if decoder else [])
    return dict(make=lambda: Transformer(batch_first, decoder), inputs=inputs,
                input_names=["x", "memory"][:1 + decoder],
                doc=f"nn.Transformer{'Decoder' if decoder else 'Encoder'} "
                    f"(2 layers, 64 wide, 4 heads), batch_first={batch_first}")


class MhaPadding(nn.Module):
    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(32, 4, batch_first=True)

    def forward(self, x, pad):
        y, w = self.mha(x, x, x, key_padding_mask=pad)
        return y, w


def mha_inputs():
    pad = torch.zeros(2, 7, dtype=torch.bool)
    pad[0, 5:] = True
    pad[1, 3:] = True
    return [torch.randn(2, 7, 32), pad]


class Embeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16, padding_idx=0)
        self.bag_sum = nn.EmbeddingBag(100, 16, mode="sum")
        self.bag_mean = nn.EmbeddingBag(100, 16, mode="mean")

    def forward(self, ids, offsets):
        return (self.emb(ids), self.bag_sum(ids.flatten(), offsets),
                self.bag_mean(ids.flatten(), offsets))


class Embedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16, padding_idx=0)
        self.bag = nn.EmbeddingBag(100, 16, mode="mean")

    def forward(self, ids):
        # A 2-D input to EmbeddingBag: fixed-size bags, no offsets.
        return self.emb(ids), self.bag(ids)


class Convs(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1d = nn.Conv1d(4, 8, 3, stride=2, padding=1)
        self.deconv = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1,
                                         output_padding=1)
        self.shuffle = nn.PixelShuffle(2)
        self.unshuffle = nn.PixelUnshuffle(2)

    def forward(self, seq, img):
        return (self.conv1d(seq), self.deconv(img), self.shuffle(img),
                self.unshuffle(img))


class Upsamples(nn.Module):
    def forward(self, x):
        return (F.interpolate(x, scale_factor=2, mode="bilinear",
                              align_corners=False),
                F.interpolate(x, scale_factor=2, mode="bilinear",
                              align_corners=True),
                F.interpolate(x, size=(13, 7), mode="bilinear",
                              align_corners=False),
                F.interpolate(x, scale_factor=3, mode="nearest"),
                F.interpolate(x, scale_factor=1.5, mode="nearest"),
                F.interpolate(x, scale_factor=2, mode="bicubic",
                              align_corners=False))


class UpsampleModules(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Upsample(scale_factor=2, mode="bilinear",
                             align_corners=False)
        self.b = nn.Upsample(scale_factor=2, mode="bilinear",
                             align_corners=True)
        self.c = nn.UpsamplingNearest2d(scale_factor=2)

    def forward(self, x):
        return self.a(x), self.b(x), self.c(x)


class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm([8, 8])
        self.gn = nn.GroupNorm(2, 6)
        self.inorm = nn.InstanceNorm2d(6, affine=True)
        self.inorm_plain = nn.InstanceNorm2d(6)
        self.inorm1d = nn.InstanceNorm1d(6)
        with torch.no_grad():
            for m in (self.ln, self.gn, self.inorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)

    def forward(self, x):
        return (self.ln(x), self.gn(x), self.inorm(x), self.inorm_plain(x),
                self.inorm1d(x.flatten(2)))


class Masking(nn.Module):
    def forward(self, x, y):
        return (torch.where(x > 0, x, y), x.masked_fill(y < 0, -1e4),
                torch.where(x > y, x, torch.zeros_like(x)))


class Scans(nn.Module):
    def forward(self, x):
        values, indices = torch.topk(x, 3, dim=1)
        smallest, small_idx = torch.topk(x, 2, dim=-1, largest=False)
        return (torch.cumsum(x, dim=1), torch.cumsum(x, dim=-1), values,
                indices, smallest, small_idx, torch.argmax(x, dim=1),
                torch.argmax(x, dim=-1, keepdim=True), torch.argmin(x, dim=0))


class Indexing(nn.Module):
    def forward(self, x, index, rows):
        src = torch.ones_like(x[:, :2]) * 7
        return (torch.gather(x, 1, index),
                torch.scatter(x, 1, index, src),
                torch.index_select(x, 0, rows),
                x.scatter_add(1, index, src),
                x[rows])


def indexing_inputs():
    return [torch.randn(5, 6), torch.randint(0, 6, (5, 2)),
            torch.tensor([4, 0, 2, 2])]


class Einsums(nn.Module):
    def forward(self, a, b, c):
        return (torch.einsum("bij,bjk->bik", a, b),
                torch.einsum("bhqd,bhkd->bhqk", c, c),
                torch.einsum("bij->bji", a),
                torch.einsum("bii->bi", a[:, :, :3]),
                torch.einsum("bij,bij->b", a, a),
                torch.einsum("i,j->ij", a[0, 0], b[0, 0]))


class Recurrent(nn.Module):
    def __init__(self, cell, **kwargs):
        super().__init__()
        self.rnn = cell(16, 24, **kwargs)

    def forward(self, x):
        out = self.rnn(x)
        y, state = out
        if isinstance(state, tuple):
            return (y,) + state
        return y, state


class DynamicCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        y = F.relu(self.bn(self.conv(x)))
        y = F.adaptive_avg_pool2d(y, 1).flatten(1)
        return F.softmax(self.fc(y), dim=-1)


class DynamicSeq(nn.Module):
    """Shape-dependent code: sequence length read at run time."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 16)
        self.pos = nn.Embedding(64, 16)
        self.ln = nn.LayerNorm(16)

    def forward(self, ids):
        t = ids.shape[1]
        pos = torch.arange(t).unsqueeze(0).expand(ids.shape[0], t)
        x = self.ln(self.emb(ids) + self.pos(pos))
        return x.mean(dim=1), x.reshape(ids.shape[0], -1)


MODELS = {
    # torchvision classifiers.
    "alexnet": vision("alexnet", (1, 3, 224, 224)),
    "vgg11_bn": vision("vgg11_bn", (1, 3, 224, 224)),
    "squeezenet1_0": vision("squeezenet1_0"),
    "densenet121": vision("densenet121"),
    "shufflenet_v2_x0_5": vision("shufflenet_v2_x0_5"),
    "mnasnet0_5": vision("mnasnet0_5"),
    "efficientnet_b0": vision("efficientnet_b0"),
    "inception_v3": vision("inception_v3", (1, 3, 96, 96), aux_logits=False,
                           init_weights=True),
    "mobilenet_v2": vision("mobilenet_v2"),
    "resnext50_32x4d": vision("resnext50_32x4d"),
    "wide_resnet50_2": vision("wide_resnet50_2"),
    "swin_t": dict(make=lambda: torchvision.models.swin_t(weights=None), inputs=image(1, 3, 64, 64),
                   doc="torchvision swin_t, 1x3x64x64"),
    "vit_b_16": dict(make=vit_b_16, inputs=image(1, 3, 224, 224),
                     doc="torchvision vit_b_16, 1x3x224x224"),
    # Segmentation and video.
    "fcn_resnet50": segmentation("fcn_resnet50"),
    "deeplabv3_mobilenet_v3_large": segmentation(
        "deeplabv3_mobilenet_v3_large"),
    "lraspp_mobilenet_v3_large": segmentation("lraspp_mobilenet_v3_large"),
    "r3d_18": dict(make=lambda: torchvision.models.video.r3d_18(weights=None),
                   inputs=image(1, 3, 8, 32, 32),
                   doc="torchvision video r3d_18, 1x3x8x32x32 clip"),
    # torch.nn modules.
    "transformer_encoder": transformer(False, False),
    "transformer_encoder_bf": transformer(True, False),
    "transformer_decoder": transformer(False, True),
    "transformer_decoder_bf": transformer(True, True),
    "mha_key_padding": dict(
        make=MhaPadding, inputs=mha_inputs, input_names=["x", "pad"],
        doc="nn.MultiheadAttention with key_padding_mask, attention weights"),
    "embedding_bag": dict(
        make=Embeddings,
        inputs=lambda: [torch.randint(0, 100, (3, 5)),
                        torch.tensor([0, 4, 9])],
        input_names=["ids", "offsets"], bind=["offsets"],
        doc="nn.Embedding (padding_idx) + EmbeddingBag sum/mean with offsets "
            "(a Loop over the bags; offsets bound at compile time)"),
    "embedding_bag_2d": dict(
        make=Embedding, inputs=lambda: [torch.randint(0, 100, (3, 5))],
        input_names=["ids"],
        doc="nn.Embedding + EmbeddingBag mean over a 2-D input"),
    "convs": dict(
        make=Convs,
        inputs=lambda: [torch.randn(2, 4, 15), torch.randn(1, 4, 6, 6)],
        input_names=["seq", "img"],
        doc="Conv1d, ConvTranspose2d (output_padding), PixelShuffle/Unshuffle"),
    "interpolate": dict(
        make=Upsamples, inputs=image(1, 2, 5, 6),
        doc="F.interpolate: bilinear (align_corners both), sizes, nearest "
            "with integer and fractional scale, bicubic"),
    "upsample": dict(
        make=UpsampleModules, inputs=image(1, 3, 4, 5),
        doc="nn.Upsample bilinear (align_corners both), UpsamplingNearest2d"),
    "norms": dict(
        make=Norms, inputs=image(2, 6, 8, 8),
        doc="LayerNorm over 2 dims, GroupNorm, InstanceNorm2d/1d"),
    "where_masked_fill": dict(
        make=Masking, inputs=lambda: [torch.randn(3, 4), torch.randn(3, 4)],
        input_names=["x", "y"], doc="torch.where, masked_fill"),
    "cumsum_topk_argmax": dict(
        make=Scans, inputs=image(3, 7),
        doc="cumsum, topk (largest and smallest), argmax/argmin"),
    "gather_scatter": dict(
        make=Indexing, inputs=indexing_inputs,
        input_names=["x", "index", "rows"],
        doc="gather, scatter, scatter_add, index_select, integer indexing"),
    "einsum": dict(
        make=Einsums,
        inputs=lambda: [torch.randn(2, 3, 4), torch.randn(2, 4, 5),
                        torch.randn(2, 2, 3, 4)],
        input_names=["a", "b", "c"],
        doc="torch.einsum: batched matmul, attention scores, transpose, "
            "diagonal, full contraction, outer product"),
    "lstm_bidir_bf": dict(
        make=lambda: Recurrent(nn.LSTM, num_layers=2, bidirectional=True,
                               batch_first=True),
        inputs=image(3, 9, 16), input_names=["x"],
        doc="nn.LSTM, 2 layers, bidirectional, batch_first, final states"),
    "gru": dict(
        make=lambda: Recurrent(nn.GRU, num_layers=2), inputs=image(9, 3, 16),
        input_names=["x"], doc="nn.GRU, 2 layers, sequence-first"),
    "gru_bidir_bf": dict(
        make=lambda: Recurrent(nn.GRU, num_layers=1, bidirectional=True,
                               batch_first=True),
        inputs=image(3, 9, 16), input_names=["x"],
        doc="nn.GRU, bidirectional, batch_first"),
    # Dynamic axes.
    "dynamic_cnn": dict(
        make=DynamicCnn, inputs=image(2, 3, 16, 16), input_names=["image"],
        dynamic={"image": {0: "batch", 2: "height", 3: "width"}},
        compile_args=["--dim=batch=2", "--dim=height=16", "--dim=width=16"],
        doc="small CNN with dynamic batch/height/width, pinned with --dim"),
    "dynamic_seq": dict(
        make=DynamicSeq, inputs=lambda: [torch.randint(0, 50, (2, 11))],
        input_names=["ids"], dynamic={"ids": {0: "batch", 1: "seq"}},
        compile_args=["--input-shape=ids=2x11"],
        doc="embedding + positions with dynamic batch/seq (arange of the run "
            "time length), pinned with --input-shape"),
    "dynamic_lstm": dict(
        make=lambda: Recurrent(nn.LSTM, num_layers=1, batch_first=True),
        inputs=image(2, 6, 16), input_names=["x"],
        dynamic={"x": {0: "batch", 1: "seq"}},
        compile_args=["--dim=batch=2", "--dim=seq=6"],
        doc="nn.LSTM with dynamic batch and sequence length"),
}


def export(name, spec, opset, model_dir):
    """Exports one model; returns (meta, inputs, outputs)."""
    torch.manual_seed(SEED)
    model = spec["make"]()
    inputs = spec["inputs"]()
    calibrate_batchnorm(model, [x for x in inputs if x.is_floating_point()])
    model.eval()
    with torch.no_grad():
        outputs = model(*inputs)
    if isinstance(outputs, torch.Tensor):
        outputs = (outputs,)
    input_names = spec.get("input_names", ["input"])
    output_names = [f"output_{i}" for i in range(len(outputs))]
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    torch.onnx.export(model, tuple(inputs), path, opset_version=opset,
                      input_names=input_names, output_names=output_names,
                      dynamic_axes=spec.get("dynamic"),
                      do_constant_folding=True)
    for i, value in enumerate(inputs):
        np.save(os.path.join(model_dir, f"input_{i}.npy"), value.numpy())
    for i, value in enumerate(outputs):
        np.save(os.path.join(model_dir, f"output_{i}.npy"), value.numpy())
    meta = dict(name=f"{name}@op{opset}", doc=spec["doc"], opset=opset,
                inputs=input_names, outputs=output_names,
                compile_args=spec.get("compile_args", []),
                bind=spec.get("bind", []))
    with open(os.path.join(model_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    return meta


def operators(kiln, path):
    """The `kiln inspect` operator table of a model (type -> count)."""
    proc = subprocess.run([kiln, "inspect", path], capture_output=True,
                          text=True)
    lines = proc.stdout.split("operators:", 1)[-1].splitlines()[1:]
    return dict(line.split() for line in lines if len(line.split()) == 2)


def first_error(stderr):
    lines = stderr.strip().splitlines() or ["no message"]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines)[0]


def check(kiln, model_dir, meta, timeout, work):
    """Compiles and runs with kiln; returns (status, detail)."""
    out_dir = os.path.join(work, "out", meta["name"])
    model = os.path.join(model_dir, "model.onnx")
    commands = []
    if meta["bind"]:
        # Inputs that must be known at compile time (sizes, offsets) are
        # bound with `kiln compile --bind-input`; the library runs on the
        # rest.
        lib_dir = os.path.join(work, "lib", meta["name"])
        compile_cmd = [kiln, "compile", model, "-o", lib_dir] + \
            meta["compile_args"]
        for i, name in enumerate(meta["inputs"]):
            if name in meta["bind"]:
                compile_cmd.append(f"--bind-input={name}=" +
                                   os.path.join(model_dir, f"input_{i}.npy"))
        commands.append(compile_cmd)
        model = os.path.join(lib_dir, "libmodel.so")
    run_cmd = [kiln, "run", model, "--output-dir", out_dir]
    if not meta["bind"]:
        run_cmd += ["--cache-dir", os.path.join(work, "cache")] + \
            meta["compile_args"]
    for i, name in enumerate(meta["inputs"]):
        if name not in meta["bind"]:
            run_cmd += ["--input",
                        f"{name}={os.path.join(model_dir, f'input_{i}.npy')}"]
    commands.append(run_cmd)
    start = time.time()
    for cmd in commands:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return "TIMEOUT", f"compile+run over {timeout} s"
        except OSError as e:
            return "COMPILE-ERROR", f"cannot run {kiln}: {e}"
        seconds = time.time() - start
        if proc.returncode != 0:
            return "COMPILE-ERROR", \
                f"({seconds:.0f} s) {first_error(proc.stderr)}"
    status, notes = "PASS", []
    for i, name in enumerate(meta["outputs"]):
        ref = np.load(os.path.join(model_dir, f"output_{i}.npy"))
        got = np.load(os.path.join(out_dir, name + ".npy"))
        if got.shape != ref.shape:
            status = "MISMATCH"
            notes.append(f"{name}: shape {got.shape}, torch {ref.shape}")
            continue
        if ref.dtype == np.bool_ or np.issubdtype(ref.dtype, np.integer):
            bad = int((got != ref).sum())
            notes.append(f"{name} {bad} of {ref.size} differ" if bad
                         else f"{name} exact")
            status = "MISMATCH" if bad else status
            continue
        ref64 = ref.astype(np.float64)
        atol = ATOL_SCALE * float(np.max(np.abs(ref64))) if ref.size else 0
        diff = np.abs(got - ref64)
        good = diff <= atol + RTOL * np.abs(ref64)
        note = f"{name} max abs error {float(diff.max()) if ref.size else 0:.3g}"
        if not good.all():
            status = "MISMATCH"
            note += f", {int((~good).sum())} of {ref.size} elements off"
        notes.append(note)
    return status, f"{seconds:.0f} s compile+run; " + "; ".join(notes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiln", default="kiln")
    parser.add_argument("--work", help="work directory (default: a temporary "
                        "one)")
    parser.add_argument("--opsets", default="13,17",
                        help="comma-separated opsets (default 13,17)")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds allowed for one compile+run")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args()
    if args.list:
        for name, spec in MODELS.items():
            print(f"{name}: {spec['doc']}")
        return 0
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}")
    # Opset 11 last: whether it is worth compiling depends on the opset-13
    # export.
    opsets = sorted((int(o) for o in args.opsets.split(",")),
                    key=lambda o: (o == 11, o))
    work = args.work or tempfile.mkdtemp(prefix="kiln-sweep-")
    torch.set_num_threads(1)
    counts = {}
    for name in args.names or MODELS:
        ops13 = None
        for opset in opsets:
            label = f"{name}@op{opset}"
            model_dir = os.path.join(work, "models", label)
            try:
                meta = export(name, MODELS[name], opset, model_dir)
            except Exception as e:  # noqa: BLE001 - report and go on
                status, detail = "EXPORT-ERROR", str(e).splitlines()[0]
            else:
                path = os.path.join(model_dir, "model.onnx")
                if opset == 11 and 13 in opsets:
                    ops11 = operators(args.kiln, path)
                    ops13 = operators(args.kiln, os.path.join(
                        work, "models", f"{name}@op13", "model.onnx")) \
                        if ops13 is None else ops13
                    if ops11 == ops13 and not CHANGED_SINCE_11 & set(ops11):
                        print(f"SAME-AS-13 {label}", flush=True)
                        continue
                status, detail = check(args.kiln, model_dir, meta,
                                       args.timeout, work)
            counts[status] = counts.get(status, 0) + 1
            print(f"{status} {label}: {detail}", flush=True)
    # A model PyTorch cannot export at some opset is not Kiln's failure.
    unexported = counts.pop("EXPORT-ERROR", 0)
    total = sum(counts.values())
    print(f"{counts.get('PASS', 0)} of {total} models match PyTorch"
          + (f" ({unexported} could not be exported)" if unexported else ""))
    return 0 if counts.get("PASS", 0) == total else 1


if __name__ == "__main__":
    sys.exit(main())
