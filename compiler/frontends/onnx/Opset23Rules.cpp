//===- Opset23Rules.cpp - ONNX opset 23 operators
//--------------------------===//
//
// Part of Kiln. RMSNormalization and RotaryEmbedding (both new in opset 23)
// as exact compositions of kiln ops, following the ONNX function body of
// RMSNormalization and the reference implementation of RotaryEmbedding
// (onnx/reference/ops/op_rotary_embedding.py).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/Compositions.h"
#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

static ArrayRef<int64_t> getShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

//===----------------------------------------------------------------------===//
// RMSNormalization
//===----------------------------------------------------------------------===//

/// Y = Cast(X / sqrt(mean(X * X over axis..rank-1) + epsilon)) * scale, the
/// normalization computed in stash_type (X cast to it) and cast back.
static void importRMSNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType type = ctx.getInputType(0);
  RankedTensorType scaleType = ctx.getInputType(1);
  if (!type || !scaleType)
    return;
  if (!isa<FloatType>(type.getElementType())) {
    ctx.emitUnsupported() << "element type " << type.getElementType()
                          << " (Kiln supports floating-point inputs only)";
    return;
  }
  auto attrs = getNormalizationAttrs(ctx, type);
  if (!attrs)
    return;
  ArrayRef<int64_t> axes = attrs->axes;
  Type stashType = attrs->stashType;
  float epsilon = attrs->epsilon;
  if (scaleType.getElementType() != type.getElementType()) {
    ctx.emitError() << "scale must have the input's element type "
                    << type.getElementType() << ", not " << scaleType;
    return;
  }
  Value x = ctx.getInput(0);
  if (stashType != type.getElementType())
    x = ctx.createWithType<kiln::CastOp>(type.clone(stashType), x);
  Value meanSquare = ctx.create<kiln::ReduceMeanOp>(
      ctx.create<kiln::MulOp>(x, x), axes, /*keep_dims=*/true);
  Value rms = ctx.create<kiln::SqrtOp>(ctx.create<kiln::AddOp>(
      meanSquare, ctx.createScalar(epsilon, stashType)));
  Value normalized = ctx.create<kiln::DivOp>(x, rms);
  if (stashType != type.getElementType())
    normalized = ctx.createWithType<kiln::CastOp>(type, normalized);
  Value result = ctx.create<kiln::MulOp>(normalized, ctx.getInput(1));
  if (result && getShape(result) != type.getShape()) {
    ctx.emitError() << "scale " << scaleType
                    << " must broadcast to the input shape " << type
                    << " without growing it";
    return;
  }
  ctx.setOutput(0, result);
}

//===----------------------------------------------------------------------===//
// RotaryEmbedding
//===----------------------------------------------------------------------===//

/// Slices the last dimension of `value`: `size` entries from `start`, every
/// `step`-th.
static Value sliceLast(NodeContext &ctx, Value value, int64_t start,
                       int64_t size, int64_t step = 1) {
  if (!value)
    return {};
  ArrayRef<int64_t> shape = getShape(value);
  SmallVector<int64_t> starts(shape.size(), 0), sizes(shape),
      steps(shape.size(), 1);
  starts.back() = start;
  sizes.back() = size;
  steps.back() = step;
  return ctx.create<kiln::SliceOp>(value, starts, sizes, steps);
}

/// Rotates the first rotary_embedding_dim entries of each head:
///   real = cos * x1 - sin * x2, imag = sin * x1 + cos * x2
/// with x1, x2 the two halves (or the even and odd entries, interleaved),
/// written back in the same arrangement. A 4-D input [batch, heads, seq,
/// head] is rotated in place (the caches broadcast as [batch, 1, seq, half]);
/// a 3-D one [batch, seq, hidden] as [batch, seq, heads, head] (the caches as
/// [batch, seq, 1, half]). Either layout gives the reference's values.
static void importRotaryEmbedding(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 4))
    return;
  RankedTensorType type = ctx.getInputType(0);
  RankedTensorType cosType = ctx.getInputType(1);
  RankedTensorType sinType = ctx.getInputType(2);
  bool hasPositions = ctx.hasInput(3);
  RankedTensorType positionsType;
  if (!type || !cosType || !sinType ||
      (hasPositions && !(positionsType = ctx.getInputType(3))))
    return;
  int64_t interleaved = ctx.getInt("interleaved", 0);
  int64_t rotaryDim = ctx.getInt("rotary_embedding_dim", 0);
  int64_t numHeads = ctx.getInt("num_heads", 0);
  if (ctx.hasFailed())
    return;

  Type elementType = type.getElementType();
  if (!isa<FloatType>(elementType)) {
    ctx.emitUnsupported() << "element type " << elementType
                          << " (Kiln supports floating-point inputs only)";
    return;
  }
  int64_t rank = type.getRank();
  if (rank != 3 && rank != 4) {
    ctx.emitError() << "the input must be 4-D (batch, num_heads, "
                       "sequence_length, head_size) or 3-D (batch, "
                       "sequence_length, hidden_size), not "
                    << type;
    return;
  }
  for (RankedTensorType t : {type, cosType, sinType, positionsType}) {
    if (t && !t.hasStaticShape()) {
      ctx.emitUnsupported() << "dynamic input shape " << t;
      return;
    }
  }
  if (interleaved != 0 && interleaved != 1) {
    ctx.emitError() << "interleaved must be 0 or 1, not " << interleaved;
    return;
  }
  int64_t batch = type.getDimSize(0);
  int64_t seq = type.getDimSize(rank == 4 ? 2 : 1);
  int64_t heads, headSize;
  if (rank == 4) {
    heads = type.getDimSize(1);
    headSize = type.getDimSize(3);
  } else {
    int64_t hidden = type.getDimSize(2);
    if (numHeads <= 0 || hidden % numHeads != 0) {
      ctx.emitError() << "a 3-D input needs num_heads > 0 dividing the hidden "
                         "size "
                      << hidden << ", got num_heads = " << numHeads;
      return;
    }
    heads = numHeads;
    headSize = hidden / numHeads;
  }
  if (rotaryDim == 0)
    rotaryDim = headSize;
  if (rotaryDim < 0 || rotaryDim > headSize || rotaryDim % 2 != 0) {
    ctx.emitError() << "the rotated size (rotary_embedding_dim, or head_size "
                       "when 0) must be even and at most head_size "
                    << headSize << ", got " << rotaryDim;
    return;
  }
  int64_t half = rotaryDim / 2;

  // Caches as [batch, seq, half] (gathered at the positions when given).
  for (RankedTensorType cacheType : {cosType, sinType}) {
    if (cacheType.getElementType() != elementType) {
      ctx.emitError() << "the caches must have the input's element type "
                      << elementType << ", not " << cacheType;
      return;
    }
    int64_t expectedRank = hasPositions ? 2 : 3;
    bool ok = cacheType.getRank() == expectedRank &&
              cacheType.getShape().back() == half;
    if (ok && !hasPositions)
      ok = (cacheType.getDimSize(0) == batch || cacheType.getDimSize(0) == 1) &&
           (cacheType.getDimSize(1) == seq || cacheType.getDimSize(1) == 1);
    if (!ok) {
      if (hasPositions)
        ctx.emitError() << "with position_ids the caches must be 2-D "
                           "(max_position_id_plus_1, "
                        << half << "), not " << cacheType;
      else
        ctx.emitError() << "without position_ids the caches must be 3-D ("
                        << batch << ", " << seq << ", " << half << "), not "
                        << cacheType;
      return;
    }
  }
  if (hasPositions && cosType.getDimSize(0) != sinType.getDimSize(0)) {
    ctx.emitError() << "the caches must have the same shape, not " << cosType
                    << " and " << sinType;
    return;
  }
  Value cos = ctx.getInput(1), sin = ctx.getInput(2);
  if (hasPositions) {
    auto positionsElement =
        dyn_cast<IntegerType>(positionsType.getElementType());
    if (!positionsElement ||
        (positionsElement.getWidth() != 32 &&
         positionsElement.getWidth() != 64) ||
        positionsType.getRank() != 2 ||
        (positionsType.getDimSize(0) != batch &&
         positionsType.getDimSize(0) != 1) ||
        (positionsType.getDimSize(1) != seq &&
         positionsType.getDimSize(1) != 1)) {
      ctx.emitError() << "position_ids must be an int64 tensor of shape ("
                      << batch << ", " << seq << "), not " << positionsType;
      return;
    }
    int64_t positions = cosType.getDimSize(0);
    if (const HostTensor *known = ctx.getConstantInput(3)) {
      for (int64_t i = 0, e = known->size(); i < e; ++i) {
        int64_t p = known->getInt(i);
        if (p < -positions || p >= positions) {
          ctx.emitError() << "position id " << p << " is outside the caches' "
                          << positions << " positions";
          return;
        }
      }
    }
    Value ids = ctx.getInput(3);
    cos = ctx.create<kiln::GatherOp>(cos, ids, /*axis=*/0);
    sin = ctx.create<kiln::GatherOp>(sin, ids, /*axis=*/0);
  }
  if (!cos || !sin)
    return;
  ArrayRef<int64_t> cacheShape = getShape(cos);
  SmallVector<int64_t> broadcastShape =
      rank == 4 ? SmallVector<int64_t>{cacheShape[0], 1, cacheShape[1], half}
                : SmallVector<int64_t>{cacheShape[0], cacheShape[1], 1, half};
  cos = ctx.createReshape(cos, broadcastShape);
  sin = ctx.createReshape(sin, broadcastShape);

  Value x = ctx.getInput(0);
  if (rank == 3)
    x = ctx.createReshape(x, {batch, seq, heads, headSize});
  if (!x)
    return;
  Value rotate = rotaryDim == headSize ? x : sliceLast(ctx, x, 0, rotaryDim);
  Value x1 = interleaved ? sliceLast(ctx, rotate, 0, half, 2)
                         : sliceLast(ctx, rotate, 0, half);
  Value x2 = interleaved ? sliceLast(ctx, rotate, 1, half, 2)
                         : sliceLast(ctx, rotate, half, half);
  // Built one at a time: the IR does not depend on argument evaluation order.
  Value cosX1 = ctx.create<kiln::MulOp>(cos, x1);
  Value sinX2 = ctx.create<kiln::MulOp>(sin, x2);
  Value real = ctx.create<kiln::SubOp>(cosX1, sinX2);
  Value sinX1 = ctx.create<kiln::MulOp>(sin, x1);
  Value cosX2 = ctx.create<kiln::MulOp>(cos, x2);
  Value imag = ctx.create<kiln::AddOp>(sinX1, cosX2);
  if (!real || !imag)
    return;
  SmallVector<int64_t> rotatedShape(getShape(x1));
  Value rotated;
  if (interleaved) {
    // [..., half] x 2 -> [..., half, 2] -> [..., rotaryDim].
    SmallVector<int64_t> pairShape(rotatedShape);
    pairShape.push_back(1);
    Value realPairs = ctx.createReshape(real, pairShape);
    Value imagPairs = ctx.createReshape(imag, pairShape);
    Value pairs = ctx.create<kiln::ConcatOp>(
        ValueRange{realPairs, imagPairs},
        /*axis=*/static_cast<int64_t>(pairShape.size() - 1));
    rotatedShape.back() = rotaryDim;
    rotated = ctx.createReshape(pairs, rotatedShape);
  } else {
    rotated = ctx.create<kiln::ConcatOp>(ValueRange{real, imag},
                                         /*axis=*/int64_t(3));
  }
  Value result = rotated;
  if (rotaryDim != headSize) {
    Value kept = sliceLast(ctx, x, rotaryDim, headSize - rotaryDim);
    result = ctx.create<kiln::ConcatOp>(ValueRange{rotated, kept},
                                        /*axis=*/int64_t(3));
  }
  if (!result)
    return;
  if (rank == 3)
    result = ctx.createReshape(result, type.getShape());
  ctx.setOutput(0, result);
}

void mlir::kiln::onnx::addOpset23Rules(ImportRuleMap &rules) {
  rules["RMSNormalization"] = importRMSNormalization;
  rules["RotaryEmbedding"] = importRotaryEmbedding;
}
