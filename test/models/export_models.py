#!/usr/bin/python3
"""Exports the public model suite: real architectures, seeded random weights.

Runs under Debian's /usr/bin/python3 with python3-torch and
python3-torchvision (scripts/install-deps installs them). For every model it
writes

  OUT/<model>/model.onnx         torch.onnx.export, opset 17, eval mode
  OUT/<model>/input_<i>.npy      the seeded example inputs
  OUT/<model>/output_<i>.npy     PyTorch's outputs for them (the reference)
  OUT/<model>/meta.json          input/output names, `kiln compile` options
                                 (symbolic dimensions to pin), description

Weights are torchvision's (or PyTorch's) default random initialization under
a fixed seed: no download, same architecture and operators as the trained
models. The sequence models are exported with symbolic batch and sequence
dimensions, so compiling them also exercises --dim pinning.

Usage: export_models.py -o OUT [--list] [NAME ...]
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

OPSET = 17
SEED = 20261125


# ---------------------------------------------------------------------------
# Small transformer models written out the way Hugging Face models export
# (explicit Q/K/V projections, head reshapes, softmax attention).


class SelfAttention(nn.Module):
    def __init__(self, dim, heads, causal, max_len):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.causal = causal
        if causal:
            mask = torch.tril(torch.ones(max_len, max_len, dtype=torch.bool))
            self.register_buffer("mask", mask.view(1, 1, max_len, max_len))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2)
                   for z in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(c // self.heads)
        if self.causal:
            scores = scores.masked_fill(~self.mask[:, :, :t, :t],
                                        float("-inf"))
        y = F.softmax(scores, dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class EncoderLayer(nn.Module):
    """BERT: post-norm, exact (erf) GELU."""

    def __init__(self, dim, heads, ffn, max_len):
        super().__init__()
        self.attn = SelfAttention(dim, heads, False, max_len)
        self.ln1 = nn.LayerNorm(dim, eps=1e-12)
        self.ff = nn.Sequential(nn.Linear(dim, ffn), nn.GELU(),
                                nn.Linear(ffn, dim))
        self.ln2 = nn.LayerNorm(dim, eps=1e-12)

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.ff(x))


class BertEncoder(nn.Module):
    def __init__(self, vocab=1000, dim=128, heads=4, ffn=512, layers=4,
                 max_len=128):
        super().__init__()
        self.tokens = nn.Embedding(vocab, dim)
        self.positions = nn.Embedding(max_len, dim)
        self.types = nn.Embedding(2, dim)
        self.ln = nn.LayerNorm(dim, eps=1e-12)
        self.layers = nn.ModuleList(
            EncoderLayer(dim, heads, ffn, max_len) for _ in range(layers))
        self.pooler = nn.Linear(dim, dim)

    def forward(self, input_ids, token_type_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.ln(self.tokens(input_ids) + self.positions(pos) +
                    self.types(token_type_ids))
        for layer in self.layers:
            x = layer(x)
        return x, torch.tanh(self.pooler(x[:, 0]))


class DecoderBlock(nn.Module):
    """GPT-2: pre-norm, tanh-approximated GELU, causal attention."""

    def __init__(self, dim, heads, max_len):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads, True, max_len)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim),
                                 nn.GELU(approximate="tanh"),
                                 nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Gpt2Decoder(nn.Module):
    def __init__(self, vocab=1000, dim=128, heads=4, layers=4, max_len=128):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(
            DecoderBlock(dim, heads, max_len) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(pos)
        for block in self.blocks:
            x = block(x)
        # Tied input/output embeddings, as in GPT-2.
        return self.ln_f(x) @ self.wte.weight.t()


class RecurrentClassifier(nn.Module):
    def __init__(self, cell, features=32, hidden=64, classes=10):
        super().__init__()
        self.rnn = cell(features, hidden, num_layers=2, batch_first=True,
                        bidirectional=True)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1])


# ---------------------------------------------------------------------------
# The suite. Each entry: a constructor, example inputs, input/output names,
# dynamic axes for export, and what pins them at compile time.


def image(shape=(1, 3, 224, 224)):
    return [torch.randn(*shape)]


def vit_small():
    model = torchvision.models.VisionTransformer(
        image_size=64, patch_size=8, num_layers=4, num_heads=4,
        hidden_dim=128, mlp_dim=512, num_classes=100)
    # torchvision zero-initializes the classifier (and the class token):
    # random values keep the outputs from being trivially zero.
    nn.init.normal_(model.heads.head.weight, std=0.02)
    nn.init.normal_(model.class_token, std=0.02)
    return model


def tokens(batch, seq, with_types=False):
    ids = torch.randint(0, 1000, (batch, seq))
    if not with_types:
        return [ids]
    return [ids, torch.randint(0, 2, (batch, seq))]


MODELS = {
    "resnet50": dict(
        make=lambda: torchvision.models.resnet50(weights=None),
        inputs=image, input_names=["image"], output_names=["logits"],
        doc="torchvision ResNet-50 (bottleneck residual CNN)"),
    "mobilenet_v3_small": dict(
        make=lambda: torchvision.models.mobilenet_v3_small(weights=None),
        inputs=image, input_names=["image"], output_names=["logits"],
        doc="torchvision MobileNetV3-Small (depthwise convs, SE, hardswish)"),
    "googlenet": dict(
        make=lambda: torchvision.models.googlenet(
            weights=None, aux_logits=False, init_weights=True),
        inputs=image, input_names=["image"], output_names=["logits"],
        doc="torchvision GoogLeNet / Inception v1 (ceil-mode pools, concat)"),
    "convnext_tiny": dict(
        make=lambda: torchvision.models.convnext_tiny(weights=None),
        inputs=image, input_names=["image"], output_names=["logits"],
        doc="torchvision ConvNeXt-Tiny (7x7 depthwise, LayerNorm, GELU)"),
    "regnet_y_400mf": dict(
        make=lambda: torchvision.models.regnet_y_400mf(weights=None),
        inputs=image, input_names=["image"], output_names=["logits"],
        doc="torchvision RegNetY-400MF (grouped convs, squeeze-excitation)"),
    "vit": dict(
        make=vit_small, inputs=lambda: image((1, 3, 64, 64)),
        input_names=["image"], output_names=["logits"],
        doc="torchvision VisionTransformer, 64x64 images, 8x8 patches, "
            "4 layers of 128 wide"),
    "bert_encoder": dict(
        make=BertEncoder, inputs=lambda: tokens(2, 32, with_types=True),
        input_names=["input_ids", "token_type_ids"],
        output_names=["hidden_states", "pooled"],
        dynamic={"input_ids": {0: "batch", 1: "seq"},
                 "token_type_ids": {0: "batch", 1: "seq"}},
        dims={"batch": 2, "seq": 32},
        doc="BERT-style encoder: 4 post-norm layers, 128 wide, 4 heads"),
    "gpt2_decoder": dict(
        make=Gpt2Decoder, inputs=lambda: tokens(1, 48),
        input_names=["input_ids"], output_names=["logits"],
        dynamic={"input_ids": {0: "batch", 1: "seq"}},
        dims={"batch": 1, "seq": 48},
        doc="GPT-2-style decoder: 4 pre-norm causal blocks, tied embeddings"),
    "lstm": dict(
        make=lambda: RecurrentClassifier(nn.LSTM),
        inputs=lambda: [torch.randn(3, 20, 32)], input_names=["sequence"],
        output_names=["logits"], dynamic={"sequence": {0: "batch"}},
        dims={"batch": 3},
        doc="2-layer bidirectional LSTM classifier"),
    "gru": dict(
        make=lambda: RecurrentClassifier(nn.GRU),
        inputs=lambda: [torch.randn(3, 20, 32)], input_names=["sequence"],
        output_names=["logits"], dynamic={"sequence": {0: "batch"}},
        dims={"batch": 3},
        doc="2-layer bidirectional GRU classifier"),
}


def calibrate_batchnorm(model, inputs):
    """Sets BatchNorm running statistics from a few random batches.

    With fresh running statistics (mean 0, variance 1) activations of a
    random-weight CNN vanish or explode layer by layer (MobileNetV3's logits
    come out near 1e-9), which makes a weak test. Estimating the statistics
    like training does gives activations of a trained network's scale."""
    norms = [m for m in model.modules()
             if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(*[torch.randn(2, *x.shape[1:]) for x in inputs])


def export(name, spec, out_dir):
    torch.manual_seed(SEED)
    model = spec["make"]()
    inputs = spec["inputs"]()
    calibrate_batchnorm(model, inputs)
    model.eval()
    with torch.no_grad():
        outputs = model(*inputs)
    if isinstance(outputs, torch.Tensor):
        outputs = (outputs,)
    model_dir = os.path.join(out_dir, name)
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    torch.onnx.export(model, tuple(inputs), path, opset_version=OPSET,
                      input_names=spec["input_names"],
                      output_names=spec["output_names"],
                      dynamic_axes=spec.get("dynamic"),
                      do_constant_folding=True)
    for i, value in enumerate(inputs):
        np.save(os.path.join(model_dir, f"input_{i}.npy"), value.numpy())
    for i, value in enumerate(outputs):
        np.save(os.path.join(model_dir, f"output_{i}.npy"), value.numpy())
    compile_args = [f"--dim={d}={v}" for d, v in spec.get("dims", {}).items()]
    meta = dict(name=name, doc=spec["doc"], opset=OPSET,
                torch=torch.__version__, torchvision=torchvision.__version__,
                inputs=spec["input_names"], outputs=spec["output_names"],
                compile_args=compile_args)
    with open(os.path.join(model_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output-dir")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args()
    if args.list:
        print("\n".join(MODELS))
        return 0
    if not args.output_dir:
        parser.error("-o DIR is required")
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; one of "
                     f"{', '.join(MODELS)}")
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    for name in args.names or MODELS:
        export(name, MODELS[name], args.output_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
