//===- AttentionRule.cpp - ONNX Attention ---------------------------------===//
//
// Part of Kiln. Attention (opsets 23-25) as an exact composition of kiln ops,
// following the ONNX reference implementation step for step:
//
//   3-D Q/K/V [batch, seq, heads * size] are split into heads and moved to
//   [batch, heads, seq, size]; past_key/past_value are concatenated in front
//   along the sequence axis (the present outputs); K/V heads are repeated
//   (h0, h0, h1, h1, ...) for grouped-query attention; Q and K are each
//   scaled by sqrt(scale) (in Q's type); scores = Q K^T, softcapped as
//   c * tanh(s / c) when softcap > 0; the additive bias (attn_mask, with
//   bool false = -inf, padded with -inf to the key length, plus the causal,
//   sliding-window and nonpad_kv_seqlen masks as 0 / -inf) is added; softmax
//   runs in softmax_precision; rows whose bias is all -inf are zeroed; the
//   probabilities, in Q's type, multiply V.
//
// The causal mask lets query i attend key j iff j <= i + offset, where
// offset is the past length (0 without a cache): top-left aligned without
// past, bottom-right aligned with one. Without nonpad_kv_seqlen it is an
// import-time constant; with it (offset[b] = nonpad_kv_seqlen[b] - q_len)
// it is computed at run time from a constant (i - j - q_len) grid.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/OnnxModel.h"

#include "dialects/kiln/IR/KilnOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::kiln::onnx;

namespace {
enum AttentionInput {
  kQ = 0,
  kK = 1,
  kV = 2,
  kMask = 3,
  kPastKey = 4,
  kPastValue = 5,
  kNonpad = 6,
};
} // namespace

static RankedTensorType getType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// [batch, seq, heads * size] -> [batch, heads, seq, size].
static Value splitHeads(NodeContext &ctx, Value x, int64_t heads) {
  RankedTensorType type = getType(x);
  int64_t batch = type.getDimSize(0), seq = type.getDimSize(1);
  int64_t size = type.getDimSize(2) / heads;
  Value reshaped = ctx.createReshape(x, {batch, seq, heads, size});
  if (!reshaped)
    return {};
  return ctx.create<kiln::TransposeOp>(reshaped, ArrayRef<int64_t>{0, 2, 1, 3});
}

/// Repeats each head of [batch, heads, seq, size] `reps` times, interleaved.
static Value repeatHeads(NodeContext &ctx, Value x, int64_t reps) {
  if (reps == 1 || !x)
    return x;
  RankedTensorType type = getType(x);
  int64_t b = type.getDimSize(0), h = type.getDimSize(1),
          s = type.getDimSize(2), d = type.getDimSize(3);
  Value expanded = ctx.createReshape(x, {b, h, 1, s, d});
  if (!expanded)
    return {};
  auto broadcastType =
      RankedTensorType::get({b, h, reps, s, d}, type.getElementType());
  Value broadcast =
      ctx.createWithType<kiln::BroadcastToOp>(broadcastType, expanded);
  if (!broadcast)
    return {};
  return ctx.createReshape(broadcast, {b, h * reps, s, d});
}

/// a @ b; for f16 and bf16 the products are summed in f32 and rounded once,
/// as numpy's (and so the ONNX reference's) half-precision matmul does.
static Value createMatMul(NodeContext &ctx, Value a, Value b) {
  if (!a || !b)
    return {};
  Type element = getType(a).getElementType();
  if (!element.isF16() && !element.isBF16())
    return ctx.create<kiln::MatMulOp>(a, b);
  Type f32 = Float32Type::get(ctx.getContext());
  auto widen = [&](Value x) {
    return ctx.createWithType<kiln::CastOp>(
        RankedTensorType::get(getType(x).getShape(), f32), x);
  };
  Value wide = ctx.create<kiln::MatMulOp>(widen(a), widen(b));
  if (!wide)
    return {};
  return ctx.createWithType<kiln::CastOp>(
      RankedTensorType::get(getType(wide).getShape(), element), wide);
}

/// Softmax over the last axis of a rank-4 tensor. For f16 and bf16 each
/// step rounds to the element type as the ONNX reference (numpy) does:
/// exp(x - max), a sum accumulated in f32, then the division.
static Value createSoftmax(NodeContext &ctx, Value x) {
  Type element = getType(x).getElementType();
  if (!element.isF16() && !element.isBF16())
    return ctx.create<kiln::SoftmaxOp>(x, int64_t(3));
  SmallVector<int64_t> axes = {3};
  Value max = ctx.create<kiln::ReduceMaxOp>(x, axes, /*keep_dims=*/true);
  Value exp = ctx.create<kiln::ExpOp>(ctx.create<kiln::SubOp>(x, max));
  Value sum = ctx.create<kiln::ReduceSumOp>(exp, axes, /*keep_dims=*/true);
  return ctx.create<kiln::DivOp>(exp, sum);
}

/// The float type an ONNX data type number names, or null.
static FloatType getFloatType(NodeContext &ctx, int64_t dataType) {
  return dyn_cast_or_null<FloatType>(
      getElementType(ctx.getContext(), static_cast<int32_t>(dataType)));
}

static void importAttention(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 7))
    return;
  RankedTensorType qType = ctx.getInputType(kQ);
  RankedTensorType kType = ctx.getInputType(kK);
  RankedTensorType vType = ctx.getInputType(kV);
  if (!qType || !kType || !vType)
    return;
  auto floatType = dyn_cast<FloatType>(qType.getElementType());
  int64_t rank = qType.getRank();
  if (!floatType || (rank != 3 && rank != 4) || kType.getRank() != rank ||
      vType.getRank() != rank || kType.getElementType() != floatType ||
      vType.getElementType() != floatType)
    return (void)(ctx.emitError()
                  << "Q, K and V must be float tensors of one type, all of "
                     "rank 3 or all of rank 4, not "
                  << qType << ", " << kType << " and " << vType);
  if (!qType.hasStaticShape() || !kType.hasStaticShape() ||
      !vType.hasStaticShape())
    return (void)(ctx.emitUnsupported() << "Q, K and V with dynamic shapes");

  // Attributes.
  int64_t isCausal = ctx.getInt("is_causal", 0);
  int64_t mode = ctx.getInt("qk_matmul_output_mode", 0);
  float softcap = ctx.getFloat("softcap", 0.0f);
  int64_t leftWindow = ctx.getInt("left_window_size", -1);
  int64_t rightWindow = ctx.getInt("right_window_size", -1);
  if (ctx.hasFailed())
    return;
  if (mode < 0 || mode > 3)
    return (void)(ctx.emitError() << "qk_matmul_output_mode must be 0, 1, 2 "
                                     "or 3, not "
                                  << mode);
  if (leftWindow < -1 || rightWindow < -1)
    return (void)(ctx.emitError()
                  << "left_window_size and right_window_size must be -1 or "
                     "non-negative");
  FloatType softmaxType = floatType;
  if (ctx.hasAttr("softmax_precision")) {
    int64_t precision = ctx.getInt("softmax_precision", 1);
    if (ctx.hasFailed())
      return;
    softmaxType = getFloatType(ctx, precision);
    if (!softmaxType)
      return (void)(ctx.emitError() << "softmax_precision must name a float "
                                       "type, not data type "
                                    << precision);
  }

  // Q, K, V as [batch, heads, seq, size].
  Value q = ctx.getInput(kQ), k = ctx.getInput(kK), v = ctx.getInput(kV);
  if (!q || !k || !v)
    return;
  int64_t batch = qType.getDimSize(0);
  if (kType.getDimSize(0) != batch || vType.getDimSize(0) != batch)
    return (void)(ctx.emitError()
                  << "Q, K and V must have the same batch "
                     "size, not "
                  << qType << ", " << kType << " and " << vType);
  if (rank == 3) {
    if (!ctx.hasAttr("q_num_heads") || !ctx.hasAttr("kv_num_heads"))
      return (void)(ctx.emitError() << "3-D inputs need the q_num_heads and "
                                       "kv_num_heads attributes");
    int64_t qHeads = ctx.getInt("q_num_heads", 0);
    int64_t kvHeads = ctx.getInt("kv_num_heads", 0);
    if (ctx.hasFailed())
      return;
    if (qHeads <= 0 || kvHeads <= 0 || qType.getDimSize(2) % qHeads != 0 ||
        kType.getDimSize(2) % kvHeads != 0 ||
        vType.getDimSize(2) % kvHeads != 0)
      return (void)(ctx.emitError()
                    << "the hidden sizes of Q (" << qType.getDimSize(2)
                    << "), K (" << kType.getDimSize(2) << ") and V ("
                    << vType.getDimSize(2)
                    << ") must be positive multiples of q_num_heads (" << qHeads
                    << "), kv_num_heads (" << kvHeads << ") and kv_num_heads");
    if (kType.getDimSize(1) != vType.getDimSize(1))
      return (void)(ctx.emitError()
                    << "K and V must have the same sequence length, not "
                    << kType << " and " << vType);
    q = splitHeads(ctx, q, qHeads);
    k = splitHeads(ctx, k, kvHeads);
    v = splitHeads(ctx, v, kvHeads);
    if (!q || !k || !v)
      return;
  }
  qType = getType(q);
  kType = getType(k);
  vType = getType(v);
  int64_t qHeads = qType.getDimSize(1), kvHeads = kType.getDimSize(1);
  int64_t qLen = qType.getDimSize(2), headSize = qType.getDimSize(3);
  if (kType.getDimSize(3) != headSize || vType.getDimSize(1) != kvHeads ||
      vType.getDimSize(2) != kType.getDimSize(2) || kvHeads <= 0 ||
      qHeads % kvHeads != 0)
    return (void)(ctx.emitError()
                  << "with Q as " << qType << ", K as " << kType << " and V as "
                  << vType
                  << " [batch, heads, seq, size]: K needs Q's head size, V "
                     "K's heads and length, and K's heads must divide Q's");

  // The key/value cache.
  bool hasPast = ctx.hasInput(kPastKey) || ctx.hasInput(kPastValue);
  int64_t pastLen = 0;
  if (hasPast) {
    if (!ctx.hasInput(kPastKey) || !ctx.hasInput(kPastValue))
      return (void)(ctx.emitError()
                    << "past_key and past_value must be given together");
    if (ctx.hasInput(kNonpad))
      return (void)(ctx.emitError() << "nonpad_kv_seqlen cannot be combined "
                                       "with past_key and past_value");
    RankedTensorType pkType = ctx.getInputType(kPastKey);
    RankedTensorType pvType = ctx.getInputType(kPastValue);
    if (!pkType || !pvType)
      return;
    if (pkType.getRank() != 4 || pvType.getRank() != 4 ||
        !pkType.hasStaticShape() || !pvType.hasStaticShape() ||
        pkType.getElementType() != floatType ||
        pvType.getElementType() != floatType || pkType.getDimSize(0) != batch ||
        pkType.getDimSize(1) != kvHeads || pkType.getDimSize(3) != headSize ||
        pvType.getDimSize(0) != batch || pvType.getDimSize(1) != kvHeads ||
        pvType.getDimSize(2) != pkType.getDimSize(2) ||
        pvType.getDimSize(3) != vType.getDimSize(3))
      return (void)(ctx.emitError()
                    << "past_key and past_value must be static [batch, "
                       "kv_heads, past_seq, size] tensors matching K ("
                    << kType << ") and V (" << vType << "), not " << pkType
                    << " and " << pvType);
    pastLen = pkType.getDimSize(2);
    Value pastKey = ctx.getInput(kPastKey);
    Value pastValue = ctx.getInput(kPastValue);
    if (!pastKey || !pastValue)
      return;
    k = ctx.create<kiln::ConcatOp>(ValueRange{pastKey, k}, int64_t(2));
    v = ctx.create<kiln::ConcatOp>(ValueRange{pastValue, v}, int64_t(2));
    if (!k || !v)
      return;
  }
  ctx.setOutput(1, k);
  ctx.setOutput(2, v);
  int64_t kvLen = getType(k).getDimSize(2);

  double inf = std::numeric_limits<double>::infinity();
  Value zero = ctx.createScalar(0, floatType);
  Value negInf = ctx.createScalar(-inf, floatType);

  // The additive bias from attn_mask, padded to kvLen (null when absent).
  Value bias;
  if (ctx.hasInput(kMask)) {
    RankedTensorType maskType = ctx.getInputType(kMask);
    if (!maskType)
      return;
    Type maskElement = maskType.getElementType();
    bool isBool = maskElement.isInteger(1);
    if ((!isBool && !isa<FloatType>(maskElement)) || maskType.getRank() < 1 ||
        maskType.getRank() > 4 || !maskType.hasStaticShape() ||
        maskType.getShape().back() > kvLen)
      return (void)(ctx.emitError()
                    << "attn_mask must be a static bool or float tensor of "
                       "rank 1 to 4 whose last dimension is at most the key "
                       "length "
                    << kvLen << ", not " << maskType);
    Value mask = ctx.getInput(kMask);
    if (!mask)
      return;
    int64_t pad = kvLen - maskType.getShape().back();
    if (pad > 0) {
      SmallVector<int64_t> padShape(maskType.getShape());
      padShape.back() = pad;
      HostTensor padding(maskElement, padShape);
      for (int64_t i = 0; i < padding.size(); ++i) {
        if (isBool)
          padding.setFromInt(i, 0);
        else
          padding.setFromDouble(i, -inf);
      }
      mask = ctx.create<kiln::ConcatOp>(
          ValueRange{mask, ctx.createConstant(padding)},
          int64_t(maskType.getRank() - 1));
      if (!mask)
        return;
    }
    if (isBool) {
      bias = ctx.create<kiln::SelectOp>(mask, zero, negInf);
    } else if (maskElement != floatType) {
      bias = ctx.createWithType<kiln::CastOp>(
          RankedTensorType::get(getType(mask).getShape(), floatType), mask);
    } else {
      bias = mask;
    }
    if (!bias)
      return;
  }

  // Causal and sliding-window constraints on (query i, key j) with
  // diff = i + offset - j: causal needs diff >= 0, the window
  // diff <= left and -diff <= right.
  bool hasWindow = leftWindow >= 0 || rightWindow >= 0;
  auto allowedAt = [&](int64_t diff) {
    return (!isCausal || diff >= 0) && (leftWindow < 0 || diff <= leftWindow) &&
           (rightWindow < 0 || -diff <= rightWindow);
  };
  Value structural;
  if (ctx.hasInput(kNonpad)) {
    RankedTensorType nonpadType = ctx.getInputType(kNonpad);
    if (!nonpadType)
      return;
    Type nonpadElement = nonpadType.getElementType();
    if (!isa<IntegerType>(nonpadElement) || nonpadElement.isInteger(1) ||
        nonpadType.getShape() != ArrayRef<int64_t>{batch})
      return (void)(ctx.emitError() << "nonpad_kv_seqlen must be an integer "
                                       "tensor of shape ["
                                    << batch << "], not " << nonpadType);
    Value nonpad = ctx.getInput(kNonpad);
    if (!nonpad)
      return;
    // Padding: key j is valid iff j < nonpad[b]; [batch, 1, kvLen].
    HostTensor iota(nonpadElement, {1, 1, kvLen});
    for (int64_t j = 0; j < kvLen; ++j)
      iota.setFromInt(j, j);
    Value nonpad3 = ctx.createReshape(nonpad, {batch, 1, 1});
    if (!nonpad3)
      return;
    Value allowed = ctx.create<kiln::CompareOp>(
        kiln::ComparePredicate::lt, ctx.createConstant(iota), nonpad3);
    if (isCausal || hasWindow) {
      // diff[b, i, j] = (i - j - qLen) + nonpad[b].
      HostTensor grid(nonpadElement, {1, qLen, kvLen});
      for (int64_t i = 0; i < qLen; ++i)
        for (int64_t j = 0; j < kvLen; ++j)
          grid.setFromInt(i * kvLen + j, i - j - qLen);
      Value diff = ctx.create<kiln::AddOp>(ctx.createConstant(grid), nonpad3);
      auto bound = [&](kiln::ComparePredicate predicate, int64_t value) {
        Value ok = ctx.create<kiln::CompareOp>(
            predicate, diff, ctx.createScalar(value, nonpadElement));
        allowed = ctx.create<kiln::AndOp>(allowed, ok);
      };
      if (isCausal)
        bound(kiln::ComparePredicate::ge, 0);
      if (leftWindow >= 0)
        bound(kiln::ComparePredicate::le, leftWindow);
      if (rightWindow >= 0)
        bound(kiln::ComparePredicate::ge, -rightWindow);
    }
    if (!allowed)
      return;
    int64_t rows = getType(allowed).getDimSize(1);
    Value allowed4 = ctx.createReshape(allowed, {batch, 1, rows, kvLen});
    if (!allowed4)
      return;
    structural = ctx.create<kiln::SelectOp>(allowed4, zero, negInf);
  } else if (isCausal || hasWindow) {
    HostTensor mask(floatType, {qLen, kvLen});
    for (int64_t i = 0; i < qLen; ++i)
      for (int64_t j = 0; j < kvLen; ++j)
        mask.setFromDouble(i * kvLen + j,
                           allowedAt(i + pastLen - j) ? 0.0 : -inf);
    structural = ctx.createConstant(mask);
  }
  if (structural)
    bias = bias ? ctx.create<kiln::AddOp>(bias, structural) : structural;
  if (ctx.hasFailed())
    return;

  // Grouped-query attention: repeat K/V heads.
  Value keys = repeatHeads(ctx, k, qHeads / kvHeads);
  Value values = repeatHeads(ctx, v, qHeads / kvHeads);
  if (!keys || !values)
    return;

  // scores = (Q * sqrt(scale)) (K * sqrt(scale))^T.
  double scale = ctx.hasAttr("scale")
                     ? static_cast<double>(ctx.getFloat("scale", 1.0f))
                     : 1.0 / std::sqrt(static_cast<double>(headSize));
  if (ctx.hasFailed())
    return;
  Value sqrtScale = ctx.createScalar(std::sqrt(scale), floatType);
  Value scaledQ = ctx.create<kiln::MulOp>(q, sqrtScale);
  Value scaledK = ctx.create<kiln::MulOp>(keys, sqrtScale);
  if (!scaledQ || !scaledK)
    return;
  Value keysT =
      ctx.create<kiln::TransposeOp>(scaledK, ArrayRef<int64_t>{0, 1, 3, 2});
  Value scores = createMatMul(ctx, scaledQ, keysT);
  if (!scores)
    return;
  if (softcap > 0) {
    Value cap = ctx.createScalar(softcap, floatType);
    scores = ctx.create<kiln::MulOp>(
        ctx.create<kiln::TanhOp>(ctx.create<kiln::DivOp>(scores, cap)), cap);
  }
  Value withBias = bias ? ctx.create<kiln::AddOp>(scores, bias) : scores;
  if (!withBias)
    return;
  Value qkOutput = mode == 2 ? withBias : scores;

  // Softmax (in softmax_precision), with fully masked rows zeroed.
  Value logits = withBias;
  if (softmaxType != floatType)
    logits = ctx.createWithType<kiln::CastOp>(
        RankedTensorType::get(getType(withBias).getShape(), softmaxType),
        withBias);
  if (!logits)
    return;
  Value probs = createSoftmax(ctx, logits);
  if (bias && probs) {
    int64_t biasRank = getType(bias).getRank();
    Value rowMax = ctx.create<kiln::ReduceMaxOp>(
        bias, ArrayRef<int64_t>{biasRank - 1}, /*keep_dims=*/true);
    Value rowMasked =
        ctx.create<kiln::CompareOp>(kiln::ComparePredicate::eq, rowMax, negInf);
    probs = ctx.create<kiln::SelectOp>(rowMasked,
                                       ctx.createScalar(0, softmaxType), probs);
  }
  if (!probs)
    return;
  if (softmaxType != floatType)
    probs = ctx.createWithType<kiln::CastOp>(
        RankedTensorType::get(getType(probs).getShape(), floatType), probs);
  if (mode == 3)
    qkOutput = probs;

  Value y = createMatMul(ctx, probs, values);
  if (!y)
    return;
  if (rank == 3) {
    RankedTensorType yType = getType(y);
    y = ctx.create<kiln::TransposeOp>(y, ArrayRef<int64_t>{0, 2, 1, 3});
    if (!y)
      return;
    y = ctx.createReshape(
        y, {batch, qLen, yType.getDimSize(1) * yType.getDimSize(3)});
  }
  if (!y || ctx.hasFailed())
    return;
  ctx.setOutput(0, y);
  if (ctx.getNumOutputs() > 3)
    ctx.setOutput(3, qkOutput);
}

void mlir::kiln::onnx::addAttentionRules(ImportRuleMap &rules) {
  rules["Attention"] = importAttention;
}
