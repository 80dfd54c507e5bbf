//===- ReductionRules.cpp - Import of ONNX reductions and normalizations --===//
//
// Part of Kiln. The Reduce* family (axes as an attribute, or as a constant
// input from opset 13 for ReduceSum and 18 for the others), ArgMax/ArgMin,
// the softmax family (Softmax, LogSoftmax, Hardmax; before opset 13 they
// work on the input flattened to 2-D at `axis`) and the normalizations
// (LayerNormalization, InstanceNormalization, GroupNormalization,
// MeanVarianceNormalization, LRN). Only the plain reductions and arg reductions
// are kiln ops; the rest are exact compositions of them with elementwise ops.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/Compositions.h"
#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "llvm/ADT/STLExtras.h"

#include <array>
#include <limits>

using namespace mlir;
using namespace mlir::kiln::onnx;

static Type getElementType(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

static ArrayRef<int64_t> getShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// Checks that the input has a floating-point element type.
static bool requireFloat(NodeContext &ctx, RankedTensorType type) {
  if (isa<FloatType>(type.getElementType()))
    return true;
  ctx.emitUnsupported() << "element type " << type.getElementType()
                        << " (Kiln supports floating-point inputs only)";
  return false;
}

/// Checks that every dimension of `type` is static.
static bool requireStaticShape(NodeContext &ctx, RankedTensorType type) {
  if (type.hasStaticShape())
    return true;
  ctx.emitUnsupported() << "dynamic input shape " << type;
  return false;
}

/// Normalizes ONNX axes into sorted, unique, non-negative axes.
static std::optional<SmallVector<int64_t>>
normalizeAxes(NodeContext &ctx, ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> normalized;
  for (int64_t axis : axes) {
    auto n = ctx.normalizeAxis(axis, rank);
    if (!n)
      return std::nullopt;
    if (llvm::is_contained(normalized, *n)) {
      ctx.emitError() << "axis " << axis << " is repeated";
      return std::nullopt;
    }
    normalized.push_back(*n);
  }
  llvm::sort(normalized);
  return normalized;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

namespace {

enum class ReduceKind {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  LogSum,
  LogSumExp,
  SumSquare
};

/// What a Reduce* node reduces.
struct ReduceParams {
  SmallVector<int64_t> axes;
  bool keepDims = true;
  /// noop_with_empty_axes with empty axes: the output is the input.
  bool identity = false;
};

} // namespace

/// Reads the axes (attribute before `axesInputOpset`, constant input from
/// it), keepdims and noop_with_empty_axes of a Reduce* node.
static std::optional<ReduceParams> getReduceParams(NodeContext &ctx,
                                                   RankedTensorType type,
                                                   int64_t axesInputOpset) {
  bool fromInput = ctx.getOpset() >= axesInputOpset;
  if (!ctx.checkNumInputs(1, fromInput ? 2 : 1))
    return std::nullopt;
  std::vector<int64_t> axes;
  if (fromInput) {
    if (ctx.hasInput(1)) {
      // A zero-element axes tensor is empty whatever its (unknown) values.
      RankedTensorType axesType = ctx.getInputType(1);
      if (!axesType)
        return std::nullopt;
      if (!(axesType.hasStaticShape() && axesType.getNumElements() == 0)) {
        auto values = ctx.requireConstantInts(1, "axes");
        if (!values)
          return std::nullopt;
        axes = *values;
      }
    }
  } else if (auto values = ctx.getInts("axes")) {
    axes = *values;
  }
  ReduceParams params;
  params.keepDims = ctx.getInt("keepdims", 1) != 0;
  bool noopWhenEmpty = fromInput && ctx.getInt("noop_with_empty_axes", 0) != 0;
  if (ctx.hasFailed())
    return std::nullopt;
  if (axes.empty()) {
    if (noopWhenEmpty) {
      params.identity = true;
      return params;
    }
    for (int64_t d = 0; d < type.getRank(); ++d)
      axes.push_back(d);
  }
  auto normalized = normalizeAxes(ctx, axes, type.getRank());
  if (!normalized)
    return std::nullopt;
  params.axes = std::move(*normalized);
  return params;
}

/// log(sum(exp(x))) over `axes`, shifted by the maximum so that exp cannot
/// overflow. A maximum of +-inf (or NaN) is replaced by 0 as the shift, so
/// that rows of -inf give -inf (not NaN) and a reduction over nothing gives
/// log(0) = -inf.
static Value buildLogSumExp(NodeContext &ctx, Value x, ArrayRef<int64_t> axes,
                            bool keepDims) {
  Type elementType = getElementType(x);
  Value max = ctx.create<kiln::ReduceMaxOp>(x, axes, /*keep_dims=*/true);
  Value finite = ctx.create<kiln::CompareOp>(
      kiln::ComparePredicate::lt, ctx.create<kiln::AbsOp>(max),
      ctx.createScalar(std::numeric_limits<double>::infinity(), elementType));
  Value shift = ctx.create<kiln::SelectOp>(finite, max,
                                           ctx.createScalar(0.0, elementType));
  Value exp = ctx.create<kiln::ExpOp>(ctx.create<kiln::SubOp>(x, shift));
  Value sum = ctx.create<kiln::ReduceSumOp>(exp, axes, keepDims);
  Value log = ctx.create<kiln::LogOp>(sum);
  if (!log)
    return {};
  if (!keepDims)
    shift = ctx.createReshape(shift, getShape(log));
  return ctx.create<kiln::AddOp>(log, shift);
}

/// `axesInputOpset` is the opset from which axes come as an input.
template <ReduceKind kind, int64_t axesInputOpset>
static void importReduce(NodeContext &ctx) {
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  auto params = getReduceParams(ctx, type, axesInputOpset);
  if (!params)
    return;
  constexpr bool needsFloat = kind == ReduceKind::L2 ||
                              kind == ReduceKind::LogSum ||
                              kind == ReduceKind::LogSumExp;
  if (needsFloat && !requireFloat(ctx, type))
    return;
  Value x = ctx.getInput(0);
  if (params->identity)
    return ctx.setOutput(0, x);
  ArrayRef<int64_t> axes = params->axes;
  bool keepDims = params->keepDims;
  Value result;
  switch (kind) {
  case ReduceKind::Sum:
    result = ctx.create<kiln::ReduceSumOp>(x, axes, keepDims);
    break;
  case ReduceKind::Mean:
    result = ctx.create<kiln::ReduceMeanOp>(x, axes, keepDims);
    break;
  case ReduceKind::Max:
    result = ctx.create<kiln::ReduceMaxOp>(x, axes, keepDims);
    break;
  case ReduceKind::Min:
    result = ctx.create<kiln::ReduceMinOp>(x, axes, keepDims);
    break;
  case ReduceKind::Prod:
    result = ctx.create<kiln::ReduceProdOp>(x, axes, keepDims);
    break;
  case ReduceKind::L1:
    result = ctx.create<kiln::ReduceSumOp>(ctx.create<kiln::AbsOp>(x), axes,
                                           keepDims);
    break;
  case ReduceKind::L2:
    result = ctx.create<kiln::SqrtOp>(ctx.create<kiln::ReduceSumOp>(
        ctx.create<kiln::MulOp>(x, x), axes, keepDims));
    break;
  case ReduceKind::LogSum:
    result = ctx.create<kiln::LogOp>(
        ctx.create<kiln::ReduceSumOp>(x, axes, keepDims));
    break;
  case ReduceKind::LogSumExp:
    result = buildLogSumExp(ctx, x, axes, keepDims);
    break;
  case ReduceKind::SumSquare:
    result = ctx.create<kiln::ReduceSumOp>(ctx.create<kiln::MulOp>(x, x), axes,
                                           keepDims);
    break;
  }
  ctx.setOutput(0, result);
}

template <typename OpTy> static void importArgReduce(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  int64_t axisAttr = ctx.getInt("axis", 0);
  bool keepDims = ctx.getInt("keepdims", 1) != 0;
  bool selectLast =
      ctx.getOpset() >= 12 && ctx.getInt("select_last_index", 0) != 0;
  if (ctx.hasFailed())
    return;
  auto axis = ctx.normalizeAxis(axisAttr, type.getRank());
  if (!axis)
    return;
  if (type.getDimSize(*axis) == 0) {
    ctx.emitError() << "axis " << axisAttr << " of " << type
                    << " is empty: there is no element to select";
    return;
  }
  ctx.setOutput(0,
                ctx.create<OpTy>(ctx.getInput(0), *axis, keepDims, selectLast));
}

//===----------------------------------------------------------------------===//
// Softmax, LogSoftmax, Hardmax
//===----------------------------------------------------------------------===//

Value mlir::kiln::onnx::buildLogSoftmax(NodeContext &ctx, Value x,
                                        int64_t axis) {
  SmallVector<int64_t> axes = {axis};
  Value max = ctx.create<kiln::ReduceMaxOp>(x, axes, /*keep_dims=*/true);
  Value shifted = ctx.create<kiln::SubOp>(x, max);
  Value sum = ctx.create<kiln::ReduceSumOp>(ctx.create<kiln::ExpOp>(shifted),
                                            axes, /*keep_dims=*/true);
  return ctx.create<kiln::SubOp>(shifted, ctx.create<kiln::LogOp>(sum));
}

namespace {
enum class SoftmaxKind { Softmax, LogSoftmax, Hardmax };
} // namespace

/// The op along `axis` of `x` (ONNX opset >= 13 semantics).
static Value buildSoftmaxLike(NodeContext &ctx, SoftmaxKind kind, Value x,
                              int64_t axis) {
  switch (kind) {
  case SoftmaxKind::Softmax:
    return ctx.create<kiln::SoftmaxOp>(x, axis);
  case SoftmaxKind::LogSoftmax:
    return buildLogSoftmax(ctx, x, axis);
  case SoftmaxKind::Hardmax: {
    // One-hot of the first maximum: argmax == iota along the axis.
    auto type = cast<RankedTensorType>(x.getType());
    int64_t size = type.getDimSize(axis);
    if (ShapedType::isDynamic(size)) {
      ctx.emitUnsupported() << "Hardmax along a dynamic dimension";
      return {};
    }
    if (type.hasStaticShape() && type.getNumElements() == 0)
      return x;
    Value index = ctx.create<kiln::ArgMaxOp>(x, axis, /*keep_dims=*/true,
                                             /*select_last_index=*/false);
    SmallVector<int64_t> iotaShape(type.getRank() - axis, 1);
    iotaShape[0] = size;
    HostTensor iota(IntegerType::get(ctx.getContext(), 64), iotaShape);
    for (int64_t i = 0; i < size; ++i)
      iota.setFromInt(i, i);
    Value hot = ctx.create<kiln::CompareOp>(kiln::ComparePredicate::eq, index,
                                            ctx.createConstant(iota));
    return ctx.createWithType<kiln::CastOp>(type, hot);
  }
  }
  llvm_unreachable("unknown softmax kind");
}

template <SoftmaxKind kind> static void importSoftmaxLike(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type || !requireFloat(ctx, type))
    return;
  bool coerce2D = ctx.getOpset() < 13;
  auto axis =
      ctx.normalizeAxis(ctx.getInt("axis", coerce2D ? 1 : -1), type.getRank());
  if (!axis)
    return;
  if (!coerce2D)
    return ctx.setOutput(0,
                         buildSoftmaxLike(ctx, kind, ctx.getInput(0), *axis));
  // Before opset 13 the input is flattened to 2-D at `axis` and the op runs
  // over the whole second dimension.
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << "opset < 13 " << ctx.getOpType()
                          << " of a dynamic shape";
    return;
  }
  ArrayRef<int64_t> shape = type.getShape();
  Value flat = ctx.createReshape(ctx.getInput(0),
                                 {*kiln::numElements(shape.take_front(*axis)),
                                  *kiln::numElements(shape.drop_front(*axis))});
  Value result = buildSoftmaxLike(ctx, kind, flat, 1);
  ctx.setOutput(0, ctx.createReshape(result, shape));
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

/// Mean and centered input over `axes` (kept as size 1): returns
/// {mean, x - mean, variance}, the variance computed from the centered
/// values (two passes, no cancellation).
static std::array<Value, 3> buildMoments(NodeContext &ctx, Value x,
                                         ArrayRef<int64_t> axes) {
  Value mean = ctx.create<kiln::ReduceMeanOp>(x, axes, /*keep_dims=*/true);
  Value centered = ctx.create<kiln::SubOp>(x, mean);
  Value variance = ctx.create<kiln::ReduceMeanOp>(
      ctx.create<kiln::MulOp>(centered, centered), axes, /*keep_dims=*/true);
  return {mean, centered, variance};
}

/// The element type of an ONNX stash_type, or null.
static Type getStashType(MLIRContext *context, int64_t dataType) {
  switch (dataType) {
  case 1:
    return Float32Type::get(context);
  case 10:
    return Float16Type::get(context);
  case 11:
    return Float64Type::get(context);
  case 16:
    return BFloat16Type::get(context);
  default:
    return {};
  }
}

/// Applies `value * scale (+ bias)`, with scale and bias broadcasting
/// (numpy rules) to the shape of `value` without growing it.
static Value applyAffine(NodeContext &ctx, Value value, unsigned scaleInput,
                         std::optional<unsigned> biasInput) {
  Value result = ctx.create<kiln::MulOp>(value, ctx.getInput(scaleInput));
  if (biasInput)
    result = ctx.create<kiln::AddOp>(result, ctx.getInput(*biasInput));
  if (result && getShape(result) != getShape(value)) {
    ctx.emitError() << "scale and bias must broadcast to the input shape "
                    << value.getType() << " without growing it";
    return {};
  }
  return result;
}

std::optional<NormalizationAttrs>
mlir::kiln::onnx::getNormalizationAttrs(NodeContext &ctx,
                                        RankedTensorType type) {
  int64_t axisAttr = ctx.getInt("axis", -1);
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  int64_t stashAttr = ctx.getInt("stash_type", 1);
  if (ctx.hasFailed())
    return std::nullopt;
  Type stashType = getStashType(ctx.getContext(), stashAttr);
  if (!stashType) {
    ctx.emitError() << "stash_type " << stashAttr
                    << " is not a floating-point data type";
    return std::nullopt;
  }
  if (type.getRank() == 0) {
    ctx.emitError() << "input must have rank >= 1";
    return std::nullopt;
  }
  auto axis = ctx.normalizeAxis(axisAttr, type.getRank());
  if (!axis)
    return std::nullopt;
  NormalizationAttrs attrs{{}, epsilon, stashType};
  for (int64_t d = *axis; d < type.getRank(); ++d)
    attrs.axes.push_back(d);
  return attrs;
}

static void importLayerNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type || !requireFloat(ctx, type))
    return;
  auto attrs = getNormalizationAttrs(ctx, type);
  if (!attrs)
    return;
  ArrayRef<int64_t> axes = attrs->axes;
  Type stashType = attrs->stashType;
  float epsilon = attrs->epsilon;

  Value x = ctx.getInput(0);
  if (stashType != type.getElementType())
    x = ctx.createWithType<kiln::CastOp>(type.clone(stashType), x);
  auto [mean, centered, variance] = buildMoments(ctx, x, axes);
  Value stddev = ctx.create<kiln::SqrtOp>(
      ctx.create<kiln::AddOp>(variance, ctx.createScalar(epsilon, stashType)));
  Value normalized = ctx.create<kiln::DivOp>(centered, stddev);
  if (stashType != type.getElementType())
    normalized = ctx.createWithType<kiln::CastOp>(type, normalized);
  ctx.setOutput(0, applyAffine(ctx, normalized, 1,
                               ctx.hasInput(2) ? std::optional<unsigned>(2)
                                               : std::nullopt));
  if (ctx.isOutputUsed(1))
    ctx.setOutput(1, mean);
  if (ctx.isOutputUsed(2))
    ctx.setOutput(
        2, ctx.create<kiln::DivOp>(ctx.createScalar(1.0, stashType), stddev));
}

static void importInstanceNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  RankedTensorType type = ctx.getInputType(0);
  RankedTensorType scaleType = ctx.getInputType(1);
  RankedTensorType biasType = ctx.getInputType(2);
  if (!type || !scaleType || !biasType || !requireFloat(ctx, type))
    return;
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  if (ctx.hasFailed())
    return;
  if (type.getRank() < 3) {
    ctx.emitError() << "input must have rank >= 3 (N x C x D1 ...), got "
                    << type;
    return;
  }
  int64_t channels = type.getDimSize(1);
  for (RankedTensorType paramType : {scaleType, biasType}) {
    if (paramType.getRank() != 1 || paramType.getDimSize(0) != channels) {
      ctx.emitError() << "scale and B must be 1-D with one entry per channel ("
                      << channels << "), got " << paramType;
      return;
    }
  }
  if (ShapedType::isDynamic(channels)) {
    ctx.emitUnsupported() << "a dynamic channel count";
    return;
  }
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  Type elementType = type.getElementType();
  auto [mean, centered, variance] = buildMoments(ctx, ctx.getInput(0), axes);
  (void)mean;
  Value stddev = ctx.create<kiln::SqrtOp>(ctx.create<kiln::AddOp>(
      variance, ctx.createScalar(epsilon, elementType)));
  Value normalized = ctx.create<kiln::DivOp>(centered, stddev);
  // [C] -> [C, 1, ..., 1] so that it broadcasts along dimension 1.
  SmallVector<int64_t> paramShape(type.getRank() - 1, 1);
  paramShape[0] = channels;
  Value scale = ctx.createReshape(ctx.getInput(1), paramShape);
  Value bias = ctx.createReshape(ctx.getInput(2), paramShape);
  ctx.setOutput(0, ctx.create<kiln::AddOp>(
                       ctx.create<kiln::MulOp>(normalized, scale), bias));
}

/// (x - mean) / (sqrt(variance) + 1e-9) over `axes` (default [0, 2, 3]),
/// with ONNX's epsilon placement.
static void importMeanVarianceNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type || !requireFloat(ctx, type))
    return;
  std::vector<int64_t> axes = {0, 2, 3};
  if (auto values = ctx.getInts("axes"))
    axes = *values;
  if (ctx.hasFailed())
    return;
  auto normalized = normalizeAxes(ctx, axes, type.getRank());
  if (!normalized)
    return;
  Type elementType = type.getElementType();
  auto [mean, centered, variance] =
      buildMoments(ctx, ctx.getInput(0), *normalized);
  (void)mean;
  Value denominator = ctx.create<kiln::AddOp>(
      ctx.create<kiln::SqrtOp>(variance), ctx.createScalar(1e-9, elementType));
  ctx.setOutput(0, ctx.create<kiln::DivOp>(centered, denominator));
}

/// GroupNormalization: statistics per sample and group of C / num_groups
/// channels, over the group's channels and the spatial dimensions (x viewed
/// as N x G x rest). Opset 18 has one scale and bias per group, opset 21 one
/// per channel and a stash_type.
static void importGroupNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  RankedTensorType type = ctx.getInputType(0);
  RankedTensorType scaleType = ctx.getInputType(1);
  RankedTensorType biasType = ctx.getInputType(2);
  if (!type || !scaleType || !biasType || !requireFloat(ctx, type) ||
      !requireStaticShape(ctx, type))
    return;
  if (!ctx.hasAttr("num_groups")) {
    ctx.emitError() << "missing required attribute 'num_groups'";
    return;
  }
  int64_t groups = ctx.getInt("num_groups", 1);
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  bool perChannel = ctx.getOpset() >= 21;
  int64_t stashAttr = perChannel ? ctx.getInt("stash_type", 1) : 0;
  if (ctx.hasFailed())
    return;
  Type stashType = perChannel ? getStashType(ctx.getContext(), stashAttr)
                              : type.getElementType();
  if (!stashType) {
    ctx.emitError() << "stash_type " << stashAttr
                    << " is not a floating-point data type";
    return;
  }
  if (type.getRank() < 2) {
    ctx.emitError() << "input must have rank >= 2 (N x C x ...), got " << type;
    return;
  }
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[1];
  if (groups <= 0 || channels % groups != 0) {
    ctx.emitError() << "num_groups " << groups
                    << " must be positive and divide the channel count "
                    << channels;
    return;
  }
  int64_t params = perChannel ? channels : groups;
  for (RankedTensorType paramType : {scaleType, biasType}) {
    if (paramType.getRank() != 1 || paramType.getDimSize(0) != params) {
      ctx.emitError() << "scale and bias must be 1-D with one entry per "
                      << (perChannel ? "channel" : "group") << " (" << params
                      << "), got " << paramType;
      return;
    }
  }
  Value x = ctx.getInput(0);
  if (stashType != type.getElementType())
    x = ctx.createWithType<kiln::CastOp>(type.clone(stashType), x);
  SmallVector<int64_t> grouped = {
      shape[0], groups, *kiln::numElements(shape.drop_front(1)) / groups};
  x = ctx.createReshape(x, grouped);
  auto [mean, centered, variance] = buildMoments(ctx, x, {2});
  (void)mean;
  Value stddev = ctx.create<kiln::SqrtOp>(
      ctx.create<kiln::AddOp>(variance, ctx.createScalar(epsilon, stashType)));
  Value normalized = ctx.create<kiln::DivOp>(centered, stddev);
  if (stashType != type.getElementType())
    normalized = ctx.createWithType<kiln::CastOp>(
        RankedTensorType::get(grouped, type.getElementType()), normalized);
  // Per group: [G] -> [G, 1] against N x G x rest. Per channel: [C] ->
  // [C, 1, ..., 1] against the input shape.
  SmallVector<int64_t> paramShape(perChannel ? type.getRank() - 1 : 2, 1);
  paramShape[0] = params;
  if (perChannel)
    normalized = ctx.createReshape(normalized, shape);
  Value scale = ctx.createReshape(ctx.getInput(1), paramShape);
  Value bias = ctx.createReshape(ctx.getInput(2), paramShape);
  Value y =
      ctx.create<kiln::AddOp>(ctx.create<kiln::MulOp>(normalized, scale), bias);
  ctx.setOutput(0, ctx.createReshape(y, shape));
}

/// x / (bias + alpha / size * sum of x^2 over a window of channels)^beta.
/// The window sum is a convolution of x^2, viewed as N x 1 x C x (D1*...),
/// with a `size` x 1 filter of ones, zero-padded along the channels.
static void importLRN(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type || !requireFloat(ctx, type) || !requireStaticShape(ctx, type))
    return;
  float alpha = ctx.getFloat("alpha", 1e-4f);
  float beta = ctx.getFloat("beta", 0.75f);
  float bias = ctx.getFloat("bias", 1.0f);
  if (!ctx.hasAttr("size")) {
    ctx.emitError() << "missing required attribute 'size'";
    return;
  }
  int64_t size = ctx.getInt("size", 1);
  if (ctx.hasFailed())
    return;
  if (size < 1) {
    ctx.emitError() << "size must be positive, got " << size;
    return;
  }
  if (type.getRank() < 2) {
    ctx.emitError() << "input must have rank >= 2 (N x C x ...), got " << type;
    return;
  }
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[1];
  if (type.getNumElements() == 0)
    return ctx.setOutput(0, ctx.getInput(0));
  // Window [c - before, c + after]; channels beyond the input add 0, so
  // both sides are clamped to the channel count.
  int64_t before = std::min((size - 1) / 2, channels - 1);
  int64_t after = std::min(size - 1 - (size - 1) / 2, channels - 1);
  int64_t window = before + after + 1;
  Type elementType = type.getElementType();
  Value x = ctx.getInput(0);
  Value squares = ctx.create<kiln::MulOp>(x, x);
  SmallVector<int64_t> viewShape = {shape[0], 1, channels,
                                    *kiln::numElements(shape.drop_front(2))};
  HostTensor ones(elementType, {1, 1, window, 1});
  for (int64_t i = 0; i < window; ++i)
    ones.setFromDouble(i, 1.0);
  Value sums = ctx.create<kiln::Conv2DOp>(
      ctx.createReshape(squares, viewShape), ctx.createConstant(ones), Value(),
      ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{before, 0, after, 0},
      ArrayRef<int64_t>{1, 1}, /*groups=*/1);
  sums = ctx.createReshape(sums, shape);
  Value base = ctx.create<kiln::AddOp>(
      ctx.create<kiln::MulOp>(
          sums, ctx.createScalar(double(alpha) / double(size), elementType)),
      ctx.createScalar(bias, elementType));
  Value denominator =
      ctx.create<kiln::PowOp>(base, ctx.createScalar(beta, elementType));
  ctx.setOutput(0, ctx.create<kiln::DivOp>(x, denominator));
}

/// LpNormalization: x / ||x||_p along `axis`, p = 1 (sum of |x|) or 2
/// (square root of the sum of squares); a zero norm gives 0, as in the
/// reference, not NaN.
static void importLpNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type || !requireFloat(ctx, type))
    return;
  int64_t p = ctx.getInt("p", 2);
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", -1), type.getRank());
  if (!axis || ctx.hasFailed())
    return;
  if (p != 1 && p != 2) {
    ctx.emitError() << "p must be 1 or 2, got " << p;
    return;
  }
  Value x = ctx.getInput(0);
  Value terms =
      p == 1 ? ctx.create<kiln::AbsOp>(x) : ctx.create<kiln::MulOp>(x, x);
  Value norm = ctx.create<kiln::ReduceSumOp>(terms, ArrayRef<int64_t>{*axis},
                                             /*keep_dims=*/true);
  if (p == 2)
    norm = ctx.create<kiln::SqrtOp>(norm);
  Value zero = ctx.createScalar(0, type.getElementType());
  Value isZero =
      ctx.create<kiln::CompareOp>(kiln::ComparePredicate::eq, norm, zero);
  ctx.setOutput(0, ctx.create<kiln::SelectOp>(
                       isZero, zero, ctx.create<kiln::DivOp>(x, norm)));
}

void mlir::kiln::onnx::addReductionRules(ImportRuleMap &rules) {
  rules["ReduceSum"] = importReduce<ReduceKind::Sum, 13>;
  rules["ReduceMean"] = importReduce<ReduceKind::Mean, 18>;
  rules["ReduceMax"] = importReduce<ReduceKind::Max, 18>;
  rules["ReduceMin"] = importReduce<ReduceKind::Min, 18>;
  rules["ReduceProd"] = importReduce<ReduceKind::Prod, 18>;
  rules["ReduceL1"] = importReduce<ReduceKind::L1, 18>;
  rules["ReduceL2"] = importReduce<ReduceKind::L2, 18>;
  rules["ReduceLogSum"] = importReduce<ReduceKind::LogSum, 18>;
  rules["ReduceLogSumExp"] = importReduce<ReduceKind::LogSumExp, 18>;
  rules["ReduceSumSquare"] = importReduce<ReduceKind::SumSquare, 18>;
  rules["ArgMax"] = importArgReduce<kiln::ArgMaxOp>;
  rules["ArgMin"] = importArgReduce<kiln::ArgMinOp>;
  rules["Softmax"] = importSoftmaxLike<SoftmaxKind::Softmax>;
  rules["LogSoftmax"] = importSoftmaxLike<SoftmaxKind::LogSoftmax>;
  rules["Hardmax"] = importSoftmaxLike<SoftmaxKind::Hardmax>;
  rules["LayerNormalization"] = importLayerNormalization;
  rules["InstanceNormalization"] = importInstanceNormalization;
  rules["GroupNormalization"] = importGroupNormalization;
  rules["MeanVarianceNormalization"] = importMeanVarianceNormalization;
  rules["LRN"] = importLRN;
  rules["LpNormalization"] = importLpNormalization;
}
