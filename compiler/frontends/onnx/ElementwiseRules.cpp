//===- ElementwiseRules.cpp - Import of elementwise ONNX ops --------------===//
//
// Part of Kiln. Arithmetic with numpy broadcasting, unary math, Clip, and the
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
  auto rhsShape = getLegacyRhsShape(ctx, lhsType.getShape(), rhsType.getShape());
  if (!rhsShape)
    return;
  const HostTensor *lhs = ctx.getConstantInput(0);
  const HostTensor *rhs = ctx.getConstantInput(1);
  if (lhs && rhs) {
    if (auto result = evaluateBinary(*lhs, rhs->reshaped(*rhsShape), onInt,
                                     onFloat)) {
      ctx.setOutput(0, std::move(*result));
      return;
    }
  }
  ctx.setOutput(0, ctx.create<OpTy>(ctx.getInput(0),
                                    ctx.createReshape(ctx.getInput(1),
                                                      *rhsShape)));
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

static void importMax(NodeContext &ctx) {
  ctx.setOutput(0, foldVariadic<kiln::MaxOp>(ctx));
}
static void importMin(NodeContext &ctx) {
  ctx.setOutput(0, foldVariadic<kiln::MinOp>(ctx));
}
static void importSum(NodeContext &ctx) {
  ctx.setOutput(0, foldVariadic<kiln::AddOp>(ctx));
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
  ctx.setOutput(0, ctx.create<kiln::DivOp>(ctx.createScalar(1.0, elementType),
                                           input));
}

static void importIdentity(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  ctx.forwardInput(0, 0);
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
    if (training->size() == 1 && training->getInt(0) != 0) {
      ctx.emitUnsupported() << "training_mode = true (Kiln compiles models "
                               "for inference)";
      return;
    }
  }
  if (ctx.getOpset() < 7 && ctx.getInt("is_test", 0) == 0) {
    ctx.emitUnsupported() << "is_test = 0 (training mode)";
    return;
  }
  if (ctx.isOutputUsed(1)) {
    ctx.emitUnsupported() << "the mask output is used";
    return;
  }
  ctx.forwardInput(0, 0);
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
    for (unsigned i : {1u, 2u}) {
      if (!ctx.hasInput(i))
        continue;
      const HostTensor *bound = ctx.getConstantInput(i);
      if (!bound || bound->size() != 1) {
        if (!ctx.hasFailed())
          ctx.emitUnsupported() << (i == 1 ? "min" : "max")
                                << " must be a scalar known at compile time";
        return;
      }
      (i == 1 ? min : max) = b.getF64FloatAttr(bound->getDouble(0));
    }
  }
  // ONNX: when min > max every element becomes max.
  if (min && max && min.getValueAsDouble() > max.getValueAsDouble())
    min = max;
  ctx.setOutput(0, ctx.create<kiln::ClipOp>(input, min, max));
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
  rules["Abs"] = importUnary<kiln::AbsOp>;
  rules["Exp"] = importUnary<kiln::ExpOp>;
  rules["Log"] = importUnary<kiln::LogOp>;
  rules["Sqrt"] = importUnary<kiln::SqrtOp>;
  rules["Relu"] = importUnary<kiln::ReluOp>;
  rules["Sigmoid"] = importUnary<kiln::SigmoidOp>;
  rules["Tanh"] = importUnary<kiln::TanhOp>;
  rules["Erf"] = importUnary<kiln::ErfOp>;
  rules["Reciprocal"] = importReciprocal;
  rules["Identity"] = importIdentity;
  rules["Dropout"] = importDropout;
  rules["Clip"] = importClip;
}
