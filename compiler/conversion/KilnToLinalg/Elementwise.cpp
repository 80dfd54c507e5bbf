//===- Elementwise.cpp - Lower kiln elementwise ops -----------------------===//
//
// Part of Kiln. Binary ops (numpy broadcasting), unary ops, clip and cast
// become one parallel linalg.generic each; operands are read through
// broadcasting indexing maps (a broadcast size-1 dimension reads index 0).
// The kiln element type picks the scalar op: float, signed (signless
// integers) or unsigned (`ui*`, and `i1` booleans).
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace mlir::kiln;

namespace {

//===----------------------------------------------------------------------===//
// Scalar bodies
//===----------------------------------------------------------------------===//

Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  return b.create<arith::ConstantOp>(
      loc, IntegerAttr::get(type, APInt(type.getIntOrFloatBitWidth(), value,
                                        /*isSigned=*/true)));
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return b.create<arith::ConstantOp>(loc, FloatAttr::get(type, value));
}

Value buildAdd(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createAdd(b, loc, kind, lhs, rhs);
}

Value buildSub(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::SubFOp>(loc, lhs, rhs);
  return b.create<arith::SubIOp>(loc, lhs, rhs);
}

Value buildMul(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createMul(b, loc, kind, lhs, rhs);
}

/// Integer division truncates toward zero. Division by zero is undefined in
/// arith (and traps on x86), as is INT_MIN / -1, so both are defined here:
/// `x / 0 = 0` (numpy's answer) and `x / -1 = -x` (wrapping).
Value buildDiv(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::DivFOp>(loc, lhs, rhs);
  Type type = lhs.getType();
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  Value isZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, zero);
  if (isUnsignedLike(kind)) {
    Value divisor = b.create<arith::SelectOp>(loc, isZero, one, rhs);
    Value quotient = b.create<arith::DivUIOp>(loc, lhs, divisor);
    return b.create<arith::SelectOp>(loc, isZero, zero, quotient);
  }
  Value minusOne = intConstant(b, loc, type, -1);
  Value isMinusOne =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, minusOne);
  Value special = b.create<arith::OrIOp>(loc, isZero, isMinusOne);
  Value divisor = b.create<arith::SelectOp>(loc, special, one, rhs);
  Value quotient = b.create<arith::DivSIOp>(loc, lhs, divisor);
  Value negated = b.create<arith::SubIOp>(loc, zero, lhs);
  quotient = b.create<arith::SelectOp>(loc, isMinusOne, negated, quotient);
  return b.create<arith::SelectOp>(loc, isZero, zero, quotient);
}

Value buildPow(OpBuilder &b, Location loc, ElementKind, Value lhs, Value rhs) {
  return b.create<math::PowFOp>(loc, lhs, rhs);
}

Value buildMax(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createMax(b, loc, kind, lhs, rhs);
}

Value buildMin(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createMin(b, loc, kind, lhs, rhs);
}

// abs and relu of unsigned integers and booleans are the identity; the
// pattern replaces them by their operand before a body is built.

Value buildNeg(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  if (kind == ElementKind::Float)
    return b.create<arith::NegFOp>(loc, x);
  return b.create<arith::SubIOp>(loc, intConstant(b, loc, x.getType(), 0), x);
}

Value buildAbs(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  if (kind == ElementKind::Float)
    return b.create<math::AbsFOp>(loc, x);
  if (kind == ElementKind::Signed)
    return b.create<math::AbsIOp>(loc, x);
  return x;
}

Value buildRelu(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  if (kind == ElementKind::Float)
    return b.create<arith::MaximumFOp>(loc, x,
                                       floatConstant(b, loc, x.getType(), 0.0));
  if (kind == ElementKind::Signed)
    return b.create<arith::MaxSIOp>(loc, x,
                                    intConstant(b, loc, x.getType(), 0));
  return x;
}

Value buildSigmoid(OpBuilder &b, Location loc, ElementKind, Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value negated = b.create<arith::NegFOp>(loc, x);
  Value exp = b.create<math::ExpOp>(loc, negated);
  Value denominator = b.create<arith::AddFOp>(loc, one, exp);
  return b.create<arith::DivFOp>(loc, one, denominator);
}

template <typename MathOp>
Value buildMath(OpBuilder &b, Location loc, ElementKind, Value x) {
  return b.create<MathOp>(loc, x);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

using BinaryBody = Value (*)(OpBuilder &, Location, ElementKind, Value, Value);
using UnaryBody = Value (*)(OpBuilder &, Location, ElementKind, Value);

template <typename OpTy> struct BinaryLowering : OpConversionPattern<OpTy> {
  BinaryLowering(const TypeConverter &converter, MLIRContext *ctx,
                 BinaryBody body)
      : OpConversionPattern<OpTy>(converter, ctx), body(body) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return body(b, loc, kind, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  BinaryBody body;
};

template <typename OpTy> struct UnaryLowering : OpConversionPattern<OpTy> {
  UnaryLowering(const TypeConverter &converter, MLIRContext *ctx,
                UnaryBody body)
      : OpConversionPattern<OpTy>(converter, ctx), body(body) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    // abs and relu are the identity on unsigned integers and booleans.
    if (kind != ElementKind::Float && kind != ElementKind::Signed &&
        (std::is_same_v<OpTy, AbsOp> || std::is_same_v<OpTy, ReluOp>)) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value result =
        createElementwise(rewriter, op.getLoc(), type, {adaptor.getInput()},
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return body(b, loc, kind, args[0]);
                          });
    rewriter.replaceOp(op, result);
    return success();
  }

  UnaryBody body;
};

/// The integer bound of `clip` for an integer type: `min` rounds up and
/// `max` rounds down to an integer, saturated to the type's range. Returns
/// nullopt when the bound cannot clip anything (it lies at or beyond the
/// type's extreme on its own side).
std::optional<APInt> getIntegerBound(double bound, bool isMin, IntegerType type,
                                     ElementKind kind) {
  unsigned width = type.getWidth();
  bool isSigned = kind == ElementKind::Signed;
  APInt lowest =
      isSigned ? APInt::getSignedMinValue(width) : APInt::getMinValue(width);
  APInt highest =
      isSigned ? APInt::getSignedMaxValue(width) : APInt::getMaxValue(width);
  double rounded = isMin ? std::ceil(bound) : std::floor(bound);
  // Compare in double: the extremes of 64-bit types round to +-2^63 / 2^64,
  // and values at or beyond them saturate.
  double lowestD = isSigned ? lowest.roundToDouble(/*isSigned=*/true) : 0.0;
  double highestD = highest.roundToDouble(isSigned);
  APInt value;
  if (rounded <= lowestD)
    value = lowest;
  else if (rounded >= highestD)
    value = highest;
  else if (isSigned)
    value = APInt(width, static_cast<int64_t>(rounded), /*isSigned=*/true);
  else
    value = APInt(width, static_cast<uint64_t>(rounded));
  if (isMin && value == lowest)
    return std::nullopt;
  if (!isMin && value == highest)
    return std::nullopt;
  return value;
}

struct ClipLowering : OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Type elementType = type.getElementType();
    // The bounds as attributes of the element type; null when absent or when
    // they cannot clip anything.
    auto getBound = [&](FloatAttr bound, bool isMin) -> TypedAttr {
      if (!bound)
        return nullptr;
      double value = bound.getValueAsDouble();
      if (auto floatType = dyn_cast<FloatType>(elementType))
        return FloatAttr::get(floatType, value);
      auto intType = cast<IntegerType>(elementType);
      if (auto bits = getIntegerBound(value, isMin, intType, kind))
        return IntegerAttr::get(intType, *bits);
      return nullptr;
    };
    TypedAttr minAttr = getBound(op.getMinAttr(), /*isMin=*/true);
    TypedAttr maxAttr = getBound(op.getMaxAttr(), /*isMin=*/false);
    if (!minAttr && !maxAttr) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          if (minAttr)
            x = createMax(b, loc, kind, x, createScalar(b, loc, minAttr));
          if (maxAttr)
            x = createMin(b, loc, kind, x, createScalar(b, loc, maxAttr));
          return x;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Converts one scalar from the kiln element type `from` to `to` (kinds
/// taken from the kiln types, values already signless); both types are
/// floats, integers or booleans.
Value buildCast(OpBuilder &b, Location loc, Value x, Type from, Type to,
                Type toSignless) {
  ElementKind fromKind = getElementKind(from), toKind = getElementKind(to);
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromKind == ElementKind::Float) {
    if (toKind == ElementKind::Float) {
      if (toWidth > fromWidth)
        return b.create<arith::ExtFOp>(loc, toSignless, x);
      if (toWidth < fromWidth)
        return b.create<arith::TruncFOp>(loc, toSignless, x);
      // Same width, different format (f16 <-> bf16): through f32.
      Value wide = b.create<arith::ExtFOp>(loc, b.getF32Type(), x);
      return b.create<arith::TruncFOp>(loc, toSignless, wide);
    }
    if (toKind == ElementKind::Bool) // NaN is non-zero, so true.
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, x,
                                     floatConstant(b, loc, from, 0.0));
    if (toKind == ElementKind::Signed)
      return b.create<arith::FPToSIOp>(loc, toSignless, x);
    return b.create<arith::FPToUIOp>(loc, toSignless, x);
  }
  // From an integer or a boolean.
  if (toKind == ElementKind::Float) {
    if (fromKind == ElementKind::Signed)
      return b.create<arith::SIToFPOp>(loc, toSignless, x);
    return b.create<arith::UIToFPOp>(loc, toSignless, x);
  }
  if (toKind == ElementKind::Bool)
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x,
                                   intConstant(b, loc, x.getType(), 0));
  if (toWidth > fromWidth) {
    if (fromKind == ElementKind::Signed)
      return b.create<arith::ExtSIOp>(loc, toSignless, x);
    return b.create<arith::ExtUIOp>(loc, toSignless, x);
  }
  if (toWidth < fromWidth)
    return b.create<arith::TruncIOp>(loc, toSignless, x);
  return x; // Same bits, other signedness.
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Type from = op.getInput().getType().getElementType();
    Type to = op.getType().getElementType();
    if (adaptor.getInput().getType() == type) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    if (getElementKind(from) == ElementKind::Other ||
        getElementKind(to) == ElementKind::Other)
      return op.emitOpError("cannot lower a cast from ")
             << from << " to " << to
             << ": only float, integer and i1 element types are supported";
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildCast(b, loc, args[0], from, to, type.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateElementwiseLoweringPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BinaryLowering<AddOp>>(converter, ctx, buildAdd);
  patterns.add<BinaryLowering<SubOp>>(converter, ctx, buildSub);
  patterns.add<BinaryLowering<MulOp>>(converter, ctx, buildMul);
  patterns.add<BinaryLowering<DivOp>>(converter, ctx, buildDiv);
  patterns.add<BinaryLowering<PowOp>>(converter, ctx, buildPow);
  patterns.add<BinaryLowering<MaxOp>>(converter, ctx, buildMax);
  patterns.add<BinaryLowering<MinOp>>(converter, ctx, buildMin);
  patterns.add<UnaryLowering<NegOp>>(converter, ctx, buildNeg);
  patterns.add<UnaryLowering<AbsOp>>(converter, ctx, buildAbs);
  patterns.add<UnaryLowering<ReluOp>>(converter, ctx, buildRelu);
  patterns.add<UnaryLowering<SigmoidOp>>(converter, ctx, buildSigmoid);
  patterns.add<UnaryLowering<ExpOp>>(converter, ctx, buildMath<math::ExpOp>);
  patterns.add<UnaryLowering<LogOp>>(converter, ctx, buildMath<math::LogOp>);
  patterns.add<UnaryLowering<SqrtOp>>(converter, ctx, buildMath<math::SqrtOp>);
  patterns.add<UnaryLowering<TanhOp>>(converter, ctx, buildMath<math::TanhOp>);
  patterns.add<UnaryLowering<ErfOp>>(converter, ctx, buildMath<math::ErfOp>);
  patterns.add<ClipLowering, CastLowering>(converter, ctx);
}
