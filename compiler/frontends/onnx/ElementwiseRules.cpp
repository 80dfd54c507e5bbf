//===- ElementwiseRules.cpp - Import of elementwise ONNX ops --------------===//
//
// Part of Kiln. Arithmetic with numpy broadcasting, unary math, Clip,
// comparisons, logic and Where, activations composed of kiln ops, and the
// pass-through ops (Identity, Dropout at inference). Integer arithmetic on
// known inputs is evaluated at import time: it is how exporters compute
// shapes.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include <cfloat>
#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::kiln::onnx;

//===----------------------------------------------------------------------===//
// Evaluation on known inputs
//===----------------------------------------------------------------------===//

/// Maps a flat index of `outShape` to the flat index of a broadcast operand.
static int64_t broadcastIndex(int64_t flat, ArrayRef<int64_t> outShape,
                              ArrayRef<int64_t> inShape) {
  int64_t index = 0, stride = 1;
  for (int64_t d = outShape.size() - 1, e = inShape.size() - 1; e >= 0;
       --d, --e) {
    int64_t coord = flat % outShape[d];
    flat /= outShape[d];
    if (inShape[e] != 1)
      index += coord * stride;
    stride *= inShape[e];
  }
  return index;
}

using IntFn = std::function<std::optional<int64_t>(int64_t, int64_t)>;
using FloatFn = std::function<double(double, double)>;

/// Evaluates a broadcasting binary op on two known tensors of one type.
static std::optional<HostTensor> evaluateBinary(const HostTensor &lhs,
                                                const HostTensor &rhs,
                                                const IntFn &onInt,
                                                const FloatFn &onFloat) {
  if (lhs.getElementType() != rhs.getElementType())
    return std::nullopt;
  auto shape = kiln::broadcastShapes(lhs.getShape(), rhs.getShape());
  if (!shape)
    return std::nullopt;
  auto count = kiln::numElements(*shape);
  if (!count || *count > kMaxHostElements)
    return std::nullopt;
  HostTensor result(lhs.getElementType(), *shape);
  for (int64_t i = 0; i < *count; ++i) {
    int64_t a = broadcastIndex(i, *shape, lhs.getShape());
    int64_t b = broadcastIndex(i, *shape, rhs.getShape());
    if (result.isFloat()) {
      if (!onFloat)
        return std::nullopt;
      result.setFromDouble(i, onFloat(lhs.getDouble(a), rhs.getDouble(b)));
      continue;
    }
    auto value = onInt(lhs.getInt(a), rhs.getInt(b));
    if (!value)
      return std::nullopt; // e.g. division by zero: leave it to run time.
    result.setFromInt(i, *value);
  }
  return result;
}

/// A comparison of two known tensors of one (signed or float) type.
static std::optional<HostTensor>
evaluateCompare(kiln::ComparePredicate predicate, const HostTensor &lhs,
                const HostTensor &rhs) {
  using P = kiln::ComparePredicate;
  if (lhs.getElementType() != rhs.getElementType())
    return std::nullopt;
  auto shape = kiln::broadcastShapes(lhs.getShape(), rhs.getShape());
  auto count = shape ? kiln::numElements(*shape) : std::nullopt;
  if (!count || *count > kMaxHostElements)
    return std::nullopt;
  HostTensor result(IntegerType::get(lhs.getElementType().getContext(), 1),
                    *shape);
  for (int64_t i = 0; i < *count; ++i) {
    int64_t ia = broadcastIndex(i, *shape, lhs.getShape());
    int64_t ib = broadcastIndex(i, *shape, rhs.getShape());
    // Doubles order floats (NaN compares false but for ne) and, for the
    // integers of shape arithmetic, int64 values exactly enough; compare
    // integers as integers anyway.
    int order = 0;
    bool unordered = false;
    if (lhs.isFloat()) {
      double a = lhs.getDouble(ia), b = rhs.getDouble(ib);
      unordered = std::isnan(a) || std::isnan(b);
      order = a < b ? -1 : (a > b ? 1 : 0);
    } else {
      int64_t a = lhs.getInt(ia), b = rhs.getInt(ib);
      order = a < b ? -1 : (a > b ? 1 : 0);
    }
    bool value = false;
    switch (predicate) {
    case P::eq:
      value = !unordered && order == 0;
      break;
    case P::ne:
      value = unordered || order != 0;
      break;
    case P::lt:
      value = !unordered && order < 0;
      break;
    case P::le:
      value = !unordered && order <= 0;
      break;
    case P::gt:
      value = !unordered && order > 0;
      break;
    case P::ge:
      value = !unordered && order >= 0;
      break;
    }
    result.setFromInt(i, value);
  }
  return result;
}

/// Where on three known tensors.
static std::optional<HostTensor> evaluateSelect(const HostTensor &condition,
                                                const HostTensor &onTrue,
                                                const HostTensor &onFalse) {
  if (onTrue.getElementType() != onFalse.getElementType() ||
      !condition.getElementType().isInteger(1))
    return std::nullopt;
  auto values = kiln::broadcastShapes(onTrue.getShape(), onFalse.getShape());
  auto shape = values ? kiln::broadcastShapes(condition.getShape(), *values)
                      : std::nullopt;
  auto count = shape ? kiln::numElements(*shape) : std::nullopt;
  if (!count || *count > kMaxHostElements)
    return std::nullopt;
  HostTensor result(onTrue.getElementType(), *shape);
  for (int64_t i = 0; i < *count; ++i) {
    bool pick =
        condition.getInt(broadcastIndex(i, *shape, condition.getShape()));
    const HostTensor &from = pick ? onTrue : onFalse;
    int64_t index = broadcastIndex(i, *shape, from.getShape());
    if (result.isFloat())
      result.setFromDouble(i, from.getDouble(index));
    else
      result.setFromInt(i, from.getInt(index));
  }
  return result;
}

/// Wrapping int64 arithmetic: narrower types wrap in HostTensor::setFromInt.
static int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) +
                              static_cast<uint64_t>(b));
}
static int64_t wrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) -
                              static_cast<uint64_t>(b));
}
static int64_t wrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) *
                              static_cast<uint64_t>(b));
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

/// The shape the right operand takes under the pre-opset-7 broadcasting
/// rules: with `broadcast = 1` its dimensions line up with the left
/// operand's starting at `axis` (default: trailing). Returns nullopt after an
/// error; from opset 7 on returns the shape unchanged (numpy broadcasting).
static std::optional<SmallVector<int64_t>>
getLegacyRhsShape(NodeContext &ctx, ArrayRef<int64_t> lhs,
                  ArrayRef<int64_t> rhs) {
  SmallVector<int64_t> shape(rhs);
  if (ctx.getOpset() >= 7)
    return shape;
  if (ctx.getInt("broadcast", 0) == 0) {
    if (lhs != rhs) {
      ctx.emitError() << "operand shapes differ but broadcast = 0";
      return std::nullopt;
    }
    return shape;
  }
  int64_t lhsRank = lhs.size(), rhsRank = rhs.size();
  int64_t axis = ctx.getInt("axis", lhsRank - rhsRank);
  if (axis < 0)
    axis += lhsRank;
  if (axis < 0 || axis + rhsRank > lhsRank) {
    ctx.emitError() << "legacy broadcast axis " << axis
                    << " does not fit the operand ranks";
    return std::nullopt;
  }
  shape.assign(lhsRank, 1);
  llvm::copy(rhs, shape.begin() + axis);
  return shape;
}

template <typename OpTy>
static void importBinary(NodeContext &ctx, const IntFn &onInt,
                         const FloatFn &onFloat) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType lhsType = ctx.getInputType(0), rhsType = ctx.getInputType(1);
  if (!lhsType || !rhsType)
    return;
  auto rhsShape =
      getLegacyRhsShape(ctx, lhsType.getShape(), rhsType.getShape());
  if (!rhsShape)
    return;
  const HostTensor *lhs = ctx.getConstantInput(0);
  const HostTensor *rhs = ctx.getConstantInput(1);
  if (lhs && rhs) {
    if (auto result =
            evaluateBinary(*lhs, rhs->reshaped(*rhsShape), onInt, onFloat)) {
      ctx.setOutput(0, std::move(*result));
      return;
    }
  }
  ctx.setOutput(
      0, ctx.create<OpTy>(ctx.getInput(0),
                          ctx.createReshape(ctx.getInput(1), *rhsShape)));
}

static void importAdd(NodeContext &ctx) {
  importBinary<kiln::AddOp>(
      ctx, [](int64_t a, int64_t b) { return wrapAdd(a, b); },
      [](double a, double b) { return a + b; });
}

static void importSub(NodeContext &ctx) {
  importBinary<kiln::SubOp>(
      ctx, [](int64_t a, int64_t b) { return wrapSub(a, b); },
      [](double a, double b) { return a - b; });
}

static void importMul(NodeContext &ctx) {
  importBinary<kiln::MulOp>(
      ctx, [](int64_t a, int64_t b) { return wrapMul(a, b); },
      [](double a, double b) { return a * b; });
}

static void importDiv(NodeContext &ctx) {
  importBinary<kiln::DivOp>(
      ctx,
      [](int64_t a, int64_t b) -> std::optional<int64_t> {
        if (b == 0 || (a == INT64_MIN && b == -1))
          return std::nullopt;
        return a / b; // ONNX integer Div truncates toward zero, as C++ does.
      },
      [](double a, double b) { return a / b; });
}

static void importPow(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  Value base = ctx.getInput(0), exponent = ctx.getInput(1);
  if (!base || !exponent)
    return;
  auto expShape =
      getLegacyRhsShape(ctx, cast<RankedTensorType>(base.getType()).getShape(),
                        cast<RankedTensorType>(exponent.getType()).getShape());
  if (!expShape)
    return;
  exponent = ctx.createReshape(exponent, *expShape);
  auto baseType = cast<RankedTensorType>(base.getType());
  auto expType = cast<RankedTensorType>(exponent.getType());
  Type baseElement = baseType.getElementType();
  // ONNX lets the exponent's type differ (opset 12+) and the base be an
  // integer; kiln.pow is floating-point with one element type.
  Type computeType =
      isa<FloatType>(baseElement) ? baseElement : ctx.getBuilder().getF64Type();
  auto castTo = [&](Value value, RankedTensorType type) -> Value {
    if (type.getElementType() == computeType)
      return value;
    return ctx.createWithType<kiln::CastOp>(type.clone(computeType), value);
  };
  Value result = ctx.create<kiln::PowOp>(castTo(base, baseType),
                                         castTo(exponent, expType));
  if (result && computeType != baseElement)
    result = ctx.createWithType<kiln::CastOp>(
        cast<RankedTensorType>(result.getType()).clone(baseElement), result);
  ctx.setOutput(0, result);
}

/// Max, Min and Sum take one or more inputs and fold them left to right.
template <typename OpTy> static Value foldVariadic(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, UINT32_MAX))
    return {};
  Value result = ctx.getInput(0);
  for (unsigned i = 1; i < ctx.getNumInputs() && result; ++i)
    result = ctx.create<OpTy>(result, ctx.getInput(i));
  return result;
}

/// Max, Min and Sum of known integer tensors (shape arithmetic such as
/// CenterCropPad's function body), evaluated at import time.
static std::optional<HostTensor> evaluateVariadic(NodeContext &ctx,
                                                  const IntFn &onInt) {
  std::optional<HostTensor> result;
  for (unsigned i = 0; i < ctx.getNumInputs(); ++i) {
    const HostTensor *input = ctx.getConstantInput(i);
    if (!input || input->isFloat())
      return std::nullopt;
    result = result ? evaluateBinary(*result, *input, onInt, nullptr)
                    : std::optional<HostTensor>(*input);
    if (!result)
      return std::nullopt;
  }
  return result;
}

template <typename OpTy>
static void importVariadic(NodeContext &ctx, const IntFn &onInt) {
  if (ctx.getNumInputs() >= 1) {
    if (auto known = evaluateVariadic(ctx, onInt))
      return ctx.setOutput(0, std::move(*known));
  }
  ctx.setOutput(0, foldVariadic<OpTy>(ctx));
}

static void importMax(NodeContext &ctx) {
  importVariadic<kiln::MaxOp>(
      ctx, [](int64_t a, int64_t b) { return std::max(a, b); });
}
static void importMin(NodeContext &ctx) {
  importVariadic<kiln::MinOp>(
      ctx, [](int64_t a, int64_t b) { return std::min(a, b); });
}
static void importSum(NodeContext &ctx) {
  importVariadic<kiln::AddOp>(
      ctx, [](int64_t a, int64_t b) { return wrapAdd(a, b); });
}

static void importMean(NodeContext &ctx) {
  Value sum = foldVariadic<kiln::AddOp>(ctx);
  if (!sum)
    return;
  Type elementType = cast<RankedTensorType>(sum.getType()).getElementType();
  ctx.setOutput(0, ctx.create<kiln::DivOp>(
                       sum, ctx.createScalar(ctx.getNumInputs(), elementType)));
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

template <typename OpTy> static void importUnary(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  ctx.setOutput(0, ctx.create<OpTy>(ctx.getInput(0)));
}

/// A unary op that the importer also evaluates on known tensors (the
/// trip-count arithmetic of Range's function body: Ceil, Relu). `onFloat`
/// maps exactly representable values to exactly representable values, so
/// evaluating in double is exact; `onInt` is used for integer tensors.
template <typename OpTy, double (*onFloat)(double),
          int64_t (*onInt)(int64_t) = nullptr>
static void importFoldableUnary(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  const HostTensor *input = ctx.getConstantInput(0);
  if (input && (input->isFloat() || onInt)) {
    HostTensor result = *input;
    for (int64_t i = 0; i < result.size(); ++i) {
      if (result.isFloat())
        result.setFromDouble(i, onFloat(input->getDouble(i)));
      else
        result.setFromInt(i, onInt(input->getInt(i)));
    }
    return ctx.setOutput(0, std::move(result));
  }
  ctx.setOutput(0, ctx.create<OpTy>(ctx.getInput(0)));
}

static double reluOf(double x) { return x < 0 ? 0.0 : x; }
static int64_t reluOf(int64_t x) { return std::max<int64_t>(x, 0); }
static double absOf(double x) { return std::fabs(x); }
static int64_t absOf(int64_t x) { return x < 0 ? wrapSub(0, x) : x; }
static double ceilOf(double x) { return std::ceil(x); }
static double floorOf(double x) { return std::floor(x); }
/// Round half to even, as ONNX Round (nearbyint in the default mode).
static double roundOf(double x) { return std::nearbyint(x); }

static void importNeg(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  if (const HostTensor *input = ctx.getConstantInput(0)) {
    HostTensor result = *input;
    for (int64_t i = 0; i < result.size(); ++i) {
      if (result.isFloat())
        result.setFromDouble(i, -input->getDouble(i));
      else
        result.setFromInt(i, wrapSub(0, input->getInt(i)));
    }
    ctx.setOutput(0, std::move(result));
    return;
  }
  ctx.setOutput(0, ctx.create<kiln::NegOp>(ctx.getInput(0)));
}

static void importReciprocal(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  Value input = ctx.getInput(0);
  if (!input)
    return;
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  ctx.setOutput(
      0, ctx.create<kiln::DivOp>(ctx.createScalar(1.0, elementType), input));
}

static void importIdentity(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  ctx.forwardInput(0, 0);
}

/// Whether Dropout's ratio is known to be 0: then training mode drops
/// nothing either (the output is the input, the mask all true). PyTorch code
/// such as torchvision's Swin calls F.dropout(x, p=0.0), whose `training`
/// defaults to true, and exports that as training_mode = true.
static bool isZeroRatio(NodeContext &ctx) {
  // The ratio defaults to 0.5.
  if (!ctx.hasInput(1))
    return false;
  const HostTensor *ratio = ctx.getConstantInput(1);
  return ratio && ratio->size() == 1 && ratio->getDouble(0) == 0.0;
}

static void importDropout(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 3))
    return;
  // Inference: Dropout is the identity. Training mode is a different op.
  if (ctx.hasInput(2)) {
    const HostTensor *training = ctx.getConstantInput(2);
    if (!training) {
      ctx.emitUnsupported() << "training_mode must be known at compile time";
      return;
    }
    bool isTraining = training->size() == 1 && training->getInt(0) != 0;
    // Whether training mode drops anything depends on the ratio.
    if (isTraining && ctx.hasInput(1) && !ctx.getConstantInput(1)) {
      ctx.emitUnsupported() << "the ratio must be known at compile time when "
                               "training_mode = true";
      return;
    }
    if (isTraining && !isZeroRatio(ctx)) {
      ctx.emitUnsupported() << "training_mode = true (Kiln compiles models "
                               "for inference)";
      return;
    }
  }
  if (ctx.getOpset() < 7 && ctx.getInt("is_test", 0) == 0) {
    ctx.emitUnsupported() << "is_test = 0 (training mode)";
    return;
  }
  ctx.forwardInput(0, 0);
  if (!ctx.isOutputUsed(1))
    return;
  // At inference nothing is dropped: the mask is all true.
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << "the mask output of an input with a dynamic "
                             "shape";
    return;
  }
  auto maskType =
      RankedTensorType::get(type.getShape(), ctx.getBuilder().getI1Type());
  Value isKept = ctx.createScalar(1, maskType.getElementType());
  if (isKept)
    ctx.setOutput(1, ctx.createWithType<kiln::BroadcastToOp>(maskType, isKept));
}

/// Clip whose min or max is a graph input: max(x, min) then min(.., max),
/// which also gives ONNX's "every element becomes max when min > max".
/// Constant bounds (`min`, `max`) stay attributes of one kiln.clip.
static void importClipWithRunTimeBounds(NodeContext &ctx, Value input,
                                        FloatAttr min, FloatAttr max,
                                        ArrayRef<unsigned> runTimeBounds) {
  Value result = min || max ? ctx.create<kiln::ClipOp>(input, min, max) : input;
  for (unsigned i : runTimeBounds) {
    RankedTensorType type = ctx.getInputType(i);
    if (!type)
      return;
    if (!type.hasStaticShape() || type.getNumElements() != 1 ||
        type.getElementType() !=
            cast<RankedTensorType>(input.getType()).getElementType()) {
      ctx.emitError() << (i == 1 ? "min" : "max")
                      << " must be a scalar of the input's type, not " << type;
      return;
    }
    // A one-element bound of rank > 0 must not raise the result's rank.
    Value bound = ctx.createReshape(ctx.getInput(i), {});
    if (!bound)
      return;
    result = i == 1 ? ctx.create<kiln::MaxOp>(result, bound)
                    : ctx.create<kiln::MinOp>(result, bound);
  }
  ctx.setOutput(0, result);
}

static void importClip(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, ctx.getOpset() >= 11 ? 3 : 1))
    return;
  Value input = ctx.getInput(0);
  if (!input)
    return;
  OpBuilder &b = ctx.getBuilder();
  FloatAttr min, max;
  if (ctx.getOpset() < 11) {
    if (ctx.hasAttr("min"))
      min = b.getF64FloatAttr(ctx.getFloat("min", 0));
    if (ctx.hasAttr("max"))
      max = b.getF64FloatAttr(ctx.getFloat("max", 0));
  } else {
    SmallVector<unsigned> runTimeBounds;
    for (unsigned i : {1u, 2u}) {
      if (!ctx.hasInput(i))
        continue;
      const HostTensor *bound = ctx.getConstantInput(i);
      if (ctx.hasFailed())
        return;
      if (!bound) {
        runTimeBounds.push_back(i);
        continue;
      }
      if (bound->size() != 1) {
        ctx.emitError() << (i == 1 ? "min" : "max") << " must be a scalar, not "
                        << bound->size() << " values";
        return;
      }
      (i == 1 ? min : max) = b.getF64FloatAttr(bound->getDouble(0));
    }
    if (!runTimeBounds.empty()) {
      importClipWithRunTimeBounds(ctx, input, min, max, runTimeBounds);
      return;
    }
  }
  // ONNX: when min > max every element becomes max.
  if (min && max && min.getValueAsDouble() > max.getValueAsDouble())
    min = max;
  ctx.setOutput(0, ctx.create<kiln::ClipOp>(input, min, max));
}

//===----------------------------------------------------------------------===//
// Comparisons, logic and selection
//===----------------------------------------------------------------------===//

/// Equal, Less, LessOrEqual, Greater, GreaterOrEqual: `kiln.compare`.
template <kiln::ComparePredicate predicate>
static void importCompare(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType lhsType = ctx.getInputType(0), rhsType = ctx.getInputType(1);
  if (!lhsType || !rhsType)
    return;
  auto rhsShape =
      getLegacyRhsShape(ctx, lhsType.getShape(), rhsType.getShape());
  if (!rhsShape)
    return;
  // Known operands (shape arithmetic: exporters compare shapes with -1 to
  // implement expand(-1)) fold at import time.
  const HostTensor *lhs = ctx.getConstantInput(0);
  const HostTensor *rhs = ctx.getConstantInput(1);
  if (lhs && rhs && !lhs->getElementType().isUnsignedInteger()) {
    if (auto result =
            evaluateCompare(predicate, *lhs, rhs->reshaped(*rhsShape))) {
      ctx.setOutput(0, std::move(*result));
      return;
    }
  }
  ctx.setOutput(0, ctx.create<kiln::CompareOp>(
                       predicate, ctx.getInput(0),
                       ctx.createReshape(ctx.getInput(1), *rhsShape)));
}

static void importAnd(NodeContext &ctx) {
  importBinary<kiln::AndOp>(
      ctx, [](int64_t a, int64_t b) { return a & b; }, nullptr);
}
static void importOr(NodeContext &ctx) {
  importBinary<kiln::OrOp>(
      ctx, [](int64_t a, int64_t b) { return a | b; }, nullptr);
}
static void importXor(NodeContext &ctx) {
  importBinary<kiln::XorOp>(
      ctx, [](int64_t a, int64_t b) { return a ^ b; }, nullptr);
}

static void importBitShift(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  std::string direction = ctx.getString("direction", "");
  if (direction == "LEFT")
    ctx.setOutput(
        0, ctx.create<kiln::ShiftLeftOp>(ctx.getInput(0), ctx.getInput(1)));
  else if (direction == "RIGHT")
    ctx.setOutput(
        0, ctx.create<kiln::ShiftRightOp>(ctx.getInput(0), ctx.getInput(1)));
  else
    ctx.emitError() << "direction must be \"LEFT\" or \"RIGHT\", got \""
                    << direction << "\"";
}

/// Where: `kiln.select` with three-way broadcasting.
static void importWhere(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  const HostTensor *condition = ctx.getConstantInput(0);
  const HostTensor *onTrue = ctx.getConstantInput(1);
  const HostTensor *onFalse = ctx.getConstantInput(2);
  if (condition && onTrue && onFalse) {
    if (auto result = evaluateSelect(*condition, *onTrue, *onFalse)) {
      ctx.setOutput(0, std::move(*result));
      return;
    }
  }
  ctx.setOutput(0, ctx.create<kiln::SelectOp>(ctx.getInput(0), ctx.getInput(1),
                                              ctx.getInput(2)));
}

/// Mod with fmod = 0 on floats (opset 28 defines it; earlier opsets leave
/// it undefined and Kiln gives it the same meaning): numpy's `mod`, the
/// remainder with the divisor's sign. C's fmod, plus the divisor when the
/// remainder is non-zero and its sign differs from the divisor's (which
/// also gives -3 mod inf = inf and x mod 0 = NaN, as the spec says); a zero
/// remainder takes the divisor's sign.
static void importFloatMod(NodeContext &ctx) {
  Value lhs = ctx.getInput(0), rhs = ctx.getInput(1);
  if (!lhs || !rhs)
    return;
  Type elementType = cast<RankedTensorType>(lhs.getType()).getElementType();
  Value zero = ctx.createScalar(0, elementType);
  auto compare = [&](kiln::ComparePredicate predicate, Value a, Value b) {
    return ctx.create<kiln::CompareOp>(predicate, a, b);
  };
  Value rem = ctx.create<kiln::ModOp>(lhs, rhs, ctx.getBuilder().getUnitAttr());
  Value rhsNegative = compare(kiln::ComparePredicate::lt, rhs, zero);
  Value signsDiffer = ctx.create<kiln::XorOp>(
      compare(kiln::ComparePredicate::lt, rem, zero), rhsNegative);
  Value isZero = compare(kiln::ComparePredicate::eq, rem, zero);
  Value adjust =
      ctx.create<kiln::AndOp>(ctx.create<kiln::NotOp>(isZero), signsDiffer);
  Value adjusted = ctx.create<kiln::SelectOp>(
      adjust, ctx.create<kiln::AddOp>(rem, rhs), rem);
  Value signedZero = ctx.create<kiln::SelectOp>(
      rhsNegative, ctx.createScalar(-0.0, elementType), zero);
  ctx.setOutput(0, ctx.create<kiln::SelectOp>(isZero, signedZero, adjusted));
}

static void importMod(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType lhsType = ctx.getInputType(0);
  if (!lhsType)
    return;
  bool fmod = ctx.getInt("fmod", 0) != 0;
  if (!fmod && isa<FloatType>(lhsType.getElementType())) {
    importFloatMod(ctx);
    return;
  }
  // Known integer operands (head-count arithmetic in function bodies such as
  // Attention's) fold: C fmod takes the dividend's sign, Python mod the
  // divisor's.
  const HostTensor *lhs = ctx.getConstantInput(0);
  const HostTensor *rhs = ctx.getConstantInput(1);
  if (lhs && rhs && !lhs->isFloat() &&
      !lhs->getElementType().isUnsignedInteger()) {
    auto result = evaluateBinary(
        *lhs, *rhs,
        [fmod](int64_t a, int64_t b) -> std::optional<int64_t> {
          if (b == 0 || (b == -1 && a == INT64_MIN))
            return std::nullopt;
          int64_t r = a % b;
          if (!fmod && r != 0 && ((r < 0) != (b < 0)))
            r += b;
          return r;
        },
        nullptr);
    if (result) {
      ctx.setOutput(0, std::move(*result));
      return;
    }
  }
  ctx.setOutput(0, ctx.create<kiln::ModOp>(ctx.getInput(0), ctx.getInput(1),
                                           fmod ? ctx.getBuilder().getUnitAttr()
                                                : UnitAttr()));
}

/// Not and BitwiseNot; a known operand folds (logical not of bools,
/// complement of integers).
static void importNot(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  if (const HostTensor *input = ctx.getConstantInput(0)) {
    if (!input->isFloat()) {
      HostTensor result = *input;
      bool isBool = input->getElementType().isInteger(1);
      for (int64_t i = 0, e = input->size(); i < e; ++i)
        result.setFromInt(i, isBool ? !input->getInt(i) : ~input->getInt(i));
      ctx.setOutput(0, std::move(result));
      return;
    }
  }
  ctx.setOutput(0, ctx.create<kiln::NotOp>(ctx.getInput(0)));
}

//===----------------------------------------------------------------------===//
// Compositions: float tests and activations
//===----------------------------------------------------------------------===//

/// The single input of a unary float op, or null after an error.
static Value getUnaryInput(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return {};
  return ctx.getInput(0);
}

static Type getElementType(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// `x * c` for a scalar constant `c`.
static Value scaled(NodeContext &ctx, Value x, double c) {
  return ctx.create<kiln::MulOp>(x, ctx.createScalar(c, getElementType(x)));
}

/// `x + c` for a scalar constant `c`.
static Value shifted(NodeContext &ctx, Value x, double c) {
  return ctx.create<kiln::AddOp>(x, ctx.createScalar(c, getElementType(x)));
}

/// `x < 0`, `x <= 0`, `x > c` and the like against a scalar constant.
static Value compareScalar(NodeContext &ctx, kiln::ComparePredicate predicate,
                           Value x, double c) {
  return ctx.create<kiln::CompareOp>(predicate, x,
                                     ctx.createScalar(c, getElementType(x)));
}

/// IsNaN: `not (x == x)`; only NaN compares unequal to itself.
static void importIsNaN(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  ctx.setOutput(0, ctx.create<kiln::NotOp>(ctx.create<kiln::CompareOp>(
                       kiln::ComparePredicate::eq, x, x)));
}

/// IsInf: `|x| == inf`, `x == inf` or `x == -inf` as the attributes say.
static void importIsInf(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  bool negative = ctx.getInt("detect_negative", 1) != 0;
  bool positive = ctx.getInt("detect_positive", 1) != 0;
  const double inf = INFINITY;
  using P = kiln::ComparePredicate;
  if (negative && positive) {
    ctx.setOutput(0,
                  compareScalar(ctx, P::eq, ctx.create<kiln::AbsOp>(x), inf));
    return;
  }
  if (positive || negative) {
    ctx.setOutput(0, compareScalar(ctx, P::eq, x, positive ? inf : -inf));
    return;
  }
  // Neither: false everywhere (no value is both +inf and -inf).
  ctx.setOutput(0, ctx.create<kiln::AndOp>(compareScalar(ctx, P::eq, x, inf),
                                           compareScalar(ctx, P::eq, x, -inf)));
}

/// Softsign: `x / (1 + |x|)`.
static void importSoftsign(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  ctx.setOutput(0, ctx.create<kiln::DivOp>(
                       x, shifted(ctx, ctx.create<kiln::AbsOp>(x), 1.0)));
}

/// `x < 0 ? negative : x`: NaN keeps x.
static Value selectNegative(NodeContext &ctx, Value x, Value negative) {
  return ctx.create<kiln::SelectOp>(
      compareScalar(ctx, kiln::ComparePredicate::lt, x, 0.0), negative, x);
}

static void importLeakyRelu(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  double alpha = ctx.getFloat("alpha", 0.01f);
  ctx.setOutput(0, selectNegative(ctx, x, scaled(ctx, x, alpha)));
}

/// PRelu: `x < 0 ? slope * x : x`, the slope broadcast to x's shape
/// (unidirectional numpy broadcasting from opset 7, per channel before).
static void importPRelu(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  Value x = ctx.getInput(0), slope = ctx.getInput(1);
  if (!x || !slope)
    return;
  // Before opset 7 a 1-D slope holds one value per channel (dimension 1).
  auto xShape = cast<RankedTensorType>(x.getType()).getShape();
  auto slopeShape = cast<RankedTensorType>(slope.getType()).getShape();
  if (ctx.getOpset() < 7 && slopeShape.size() == 1 && xShape.size() >= 2 &&
      slopeShape[0] == xShape[1] && slopeShape[0] != 1) {
    SmallVector<int64_t> channelShape(xShape.size() - 1, 1);
    channelShape[0] = slopeShape[0];
    slope = ctx.createReshape(slope, channelShape);
  }
  Value product = ctx.create<kiln::MulOp>(x, slope);
  if (!product)
    return;
  if (product.getType() != x.getType()) {
    ctx.emitError() << "slope must broadcast to the input's shape";
    return;
  }
  ctx.setOutput(0, selectNegative(ctx, x, product));
}

static void importElu(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  double alpha = ctx.getFloat("alpha", 1.0f);
  Value expm1 = shifted(ctx, ctx.create<kiln::ExpOp>(x), -1.0);
  ctx.setOutput(0, selectNegative(ctx, x, scaled(ctx, expm1, alpha)));
}

/// Selu: `gamma * (x <= 0 ? alpha * e^x - alpha : x)`.
static void importSelu(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  double alpha = ctx.getFloat("alpha", 1.67326319217681884765625f);
  double gamma = ctx.getFloat("gamma", 1.05070102214813232421875f);
  Value negative =
      shifted(ctx, scaled(ctx, ctx.create<kiln::ExpOp>(x), alpha), -alpha);
  Value chosen = ctx.create<kiln::SelectOp>(
      compareScalar(ctx, kiln::ComparePredicate::le, x, 0.0), negative, x);
  ctx.setOutput(0, scaled(ctx, chosen, gamma));
}

/// Celu: `max(0, x) + min(0, alpha * (e^(x / alpha) - 1))`.
static void importCelu(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  double alpha = ctx.getFloat("alpha", 1.0f);
  Type type = getElementType(x);
  Value expm1 = shifted(ctx,
                        ctx.create<kiln::ExpOp>(ctx.create<kiln::DivOp>(
                            x, ctx.createScalar(alpha, type))),
                        -1.0);
  Value negative = ctx.create<kiln::MinOp>(scaled(ctx, expm1, alpha),
                                           ctx.createScalar(0.0, type));
  Value positive = ctx.create<kiln::MaxOp>(x, ctx.createScalar(0.0, type));
  ctx.setOutput(0, ctx.create<kiln::AddOp>(positive, negative));
}

/// `clip(alpha * x + beta, 0, 1)`.
static Value hardSigmoid(NodeContext &ctx, Value x, double alpha, double beta) {
  OpBuilder &b = ctx.getBuilder();
  return ctx.create<kiln::ClipOp>(shifted(ctx, scaled(ctx, x, alpha), beta),
                                  b.getF64FloatAttr(0.0),
                                  b.getF64FloatAttr(1.0));
}

static void importHardSigmoid(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  ctx.setOutput(0, hardSigmoid(ctx, x, ctx.getFloat("alpha", 0.2f),
                               ctx.getFloat("beta", 0.5f)));
}

/// HardSwish: `x * hard_sigmoid(x)` with alpha = 1/6, beta = 0.5.
static void importHardSwish(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  ctx.setOutput(
      0, ctx.create<kiln::MulOp>(x, hardSigmoid(ctx, x, 1.0f / 6.0f, 0.5)));
}

/// `log(e^x + 1)`.
static Value softplus(NodeContext &ctx, Value x) {
  return ctx.create<kiln::LogOp>(shifted(ctx, ctx.create<kiln::ExpOp>(x), 1.0));
}

static void importSoftplus(NodeContext &ctx) {
  if (Value x = getUnaryInput(ctx))
    ctx.setOutput(0, softplus(ctx, x));
}

/// Mish: `x * tanh(softplus(x))`.
static void importMish(NodeContext &ctx) {
  if (Value x = getUnaryInput(ctx))
    ctx.setOutput(0, ctx.create<kiln::MulOp>(
                         x, ctx.create<kiln::TanhOp>(softplus(ctx, x))));
}

/// `x * sigmoid(alpha * x)`.
static Value swish(NodeContext &ctx, Value x, double alpha) {
  Value gate = alpha == 1.0 ? x : scaled(ctx, x, alpha);
  return ctx.create<kiln::MulOp>(x, ctx.create<kiln::SigmoidOp>(gate));
}

/// Swish (opset 24): `x * sigmoid(alpha * x)`.
static void importSwish(NodeContext &ctx) {
  if (Value x = getUnaryInput(ctx))
    ctx.setOutput(0, swish(ctx, x, ctx.getFloat("alpha", 1.0f)));
}

/// SwiGLU: `swish(a, alpha) * b` for `a` and `b` of one shape (no
/// broadcasting, as the spec says).
static void importSwiGLU(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType aType = ctx.getInputType(0), bType = ctx.getInputType(1);
  double alpha = ctx.getFloat("alpha", 1.0f);
  if (!aType || !bType || ctx.hasFailed())
    return;
  if (aType != bType || !isa<FloatType>(aType.getElementType())) {
    ctx.emitError() << "A and B must be float tensors of one type and shape, "
                       "got "
                    << aType << " and " << bType;
    return;
  }
  ctx.setOutput(0, ctx.create<kiln::MulOp>(swish(ctx, ctx.getInput(0), alpha),
                                           ctx.getInput(1)));
}

/// ThresholdedRelu: `x > alpha ? x : 0`.
static void importThresholdedRelu(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  double alpha = ctx.getFloat("alpha", 1.0f);
  ctx.setOutput(0, ctx.create<kiln::SelectOp>(
                       compareScalar(ctx, kiln::ComparePredicate::gt, x, alpha),
                       x, ctx.createScalar(0.0, getElementType(x))));
}

/// Gelu (opset 20): `0.5 x (1 + erf(x / sqrt 2))`, or with
/// approximate = "tanh" `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))`.
static void importGelu(NodeContext &ctx) {
  Value x = getUnaryInput(ctx);
  if (!x)
    return;
  std::string approximate = ctx.getString("approximate", "none");
  Value inner;
  if (approximate == "none") {
    inner = ctx.create<kiln::ErfOp>(scaled(ctx, x, M_SQRT1_2));
  } else if (approximate == "tanh") {
    Value cube = ctx.create<kiln::MulOp>(ctx.create<kiln::MulOp>(x, x), x);
    Value poly = ctx.create<kiln::AddOp>(x, scaled(ctx, cube, 0.044715));
    inner = ctx.create<kiln::TanhOp>(scaled(ctx, poly, std::sqrt(2.0 / M_PI)));
  } else {
    ctx.emitError() << "approximate must be \"none\" or \"tanh\", got \""
                    << approximate << "\"";
    return;
  }
  Value half = scaled(ctx, x, 0.5);
  ctx.setOutput(0, ctx.create<kiln::MulOp>(half, shifted(ctx, inner, 1.0)));
}

void mlir::kiln::onnx::addElementwiseRules(ImportRuleMap &rules) {
  rules["Add"] = importAdd;
  rules["Sub"] = importSub;
  rules["Mul"] = importMul;
  rules["Div"] = importDiv;
  rules["Pow"] = importPow;
  rules["Max"] = importMax;
  rules["Min"] = importMin;
  rules["Sum"] = importSum;
  rules["Mean"] = importMean;
  rules["Neg"] = importNeg;
  rules["Abs"] = importFoldableUnary<kiln::AbsOp, absOf, absOf>;
  rules["Exp"] = importUnary<kiln::ExpOp>;
  rules["Log"] = importUnary<kiln::LogOp>;
  rules["Sqrt"] = importUnary<kiln::SqrtOp>;
  rules["Relu"] = importFoldableUnary<kiln::ReluOp, reluOf, reluOf>;
  rules["Sigmoid"] = importUnary<kiln::SigmoidOp>;
  rules["Tanh"] = importUnary<kiln::TanhOp>;
  rules["Erf"] = importUnary<kiln::ErfOp>;
  rules["Reciprocal"] = importReciprocal;
  rules["Identity"] = importIdentity;
  rules["Dropout"] = importDropout;
  rules["Clip"] = importClip;
  using P = kiln::ComparePredicate;
  rules["Equal"] = importCompare<P::eq>;
  rules["Less"] = importCompare<P::lt>;
  rules["LessOrEqual"] = importCompare<P::le>;
  rules["Greater"] = importCompare<P::gt>;
  rules["GreaterOrEqual"] = importCompare<P::ge>;
  rules["Not"] = importNot;
  rules["And"] = importAnd;
  rules["Or"] = importOr;
  rules["Xor"] = importXor;
  rules["BitwiseNot"] = importNot;
  rules["BitwiseAnd"] = importAnd;
  rules["BitwiseOr"] = importOr;
  rules["BitwiseXor"] = importXor;
  rules["BitShift"] = importBitShift;
  rules["Where"] = importWhere;
  rules["Mod"] = importMod;
  rules["Floor"] = importFoldableUnary<kiln::FloorOp, floorOf>;
  rules["Ceil"] = importFoldableUnary<kiln::CeilOp, ceilOf>;
  rules["Round"] = importFoldableUnary<kiln::RoundOp, roundOf>;
  rules["Sign"] = importUnary<kiln::SignOp>;
  rules["Sin"] = importUnary<kiln::SinOp>;
  rules["Cos"] = importUnary<kiln::CosOp>;
  rules["Tan"] = importUnary<kiln::TanOp>;
  rules["Asin"] = importUnary<kiln::AsinOp>;
  rules["Acos"] = importUnary<kiln::AcosOp>;
  rules["Atan"] = importUnary<kiln::AtanOp>;
  rules["Sinh"] = importUnary<kiln::SinhOp>;
  rules["Cosh"] = importUnary<kiln::CoshOp>;
  rules["Asinh"] = importUnary<kiln::AsinhOp>;
  rules["Acosh"] = importUnary<kiln::AcoshOp>;
  rules["Atanh"] = importUnary<kiln::AtanhOp>;
  rules["IsNaN"] = importIsNaN;
  rules["IsInf"] = importIsInf;
  rules["Softsign"] = importSoftsign;
  rules["LeakyRelu"] = importLeakyRelu;
  rules["PRelu"] = importPRelu;
  rules["Elu"] = importElu;
  rules["Selu"] = importSelu;
  rules["Celu"] = importCelu;
  rules["HardSigmoid"] = importHardSigmoid;
  rules["HardSwish"] = importHardSwish;
  rules["Softplus"] = importSoftplus;
  rules["Mish"] = importMish;
  rules["Swish"] = importSwish;
  rules["SwiGLU"] = importSwiGLU;
  rules["ThresholdedRelu"] = importThresholdedRelu;
  rules["Gelu"] = importGelu;
}
